// A live consumer's life across crashes, whatever its broker: a connection per incarnation, cut at once by a
// scheduled crash; after a crash the next connection opens while the consumer is down (the model's restartMs has no
// connecting in it), and it consumes once its downtime has passed. Redis and NATS consumers live this way
// (redis-harness.ts, nats-consumer.ts); a RabbitMQ consumer keeps a channel per process (rabbitmq-consumer.ts).
import { sleep, type LiveClients } from './clients.js';

/** How one broker's consumer connects, consumes and closes. */
export interface Incarnation<C> {
  /** Starts opening a connection: `ready` once open (a failure fails the wait for it), or `abandon` it unused. */
  open(): { ready: Promise<C>; abandon(): void };
  /** Consumes on its `incarnation`-th connection until the consumer crashes (true) or the run stops (false). */
  consume(connection: C, incarnation: number, killed: () => boolean): Promise<boolean>;
  /** Cuts the connection at once (a scheduled crash): the calls it cuts short fail. */
  kill(connection: C): void;
  /** Closes a connection done with. */
  close(connection: C): Promise<void> | void;
}

/** Consumer `c`: connects, consumes until it crashes, comes back after its downtime, until the run stops. */
export async function liveIncarnations<C>(
  clients: LiveClients,
  c: number,
  connected: () => void,
  kind: Incarnation<C>,
): Promise<void> {
  let next: ReturnType<Incarnation<C>['open']> | undefined = kind.open();
  try {
    for (let incarnation = 0; next !== undefined && !clients.stopping; incarnation++) {
      const connection = await next.ready;
      next = undefined;
      connected();
      let killed = false;
      const unwatch = clients.watchCrashes(c, () => {
        killed = true;
        kind.kill(connection);
      });
      let crashed: boolean;
      try {
        crashed = await kind.consume(connection, incarnation, () => killed);
      } catch (error) {
        if (!killed) {
          unwatch();
          await kind.close(connection);
          throw error;
        }
        crashed = true;
      }
      unwatch();
      const downMs = crashed ? clients.downtime(c) : 0;
      const down = performance.now();
      const closing = kind.close(connection);
      if (crashed && !clients.stopping) next = kind.open();
      await closing;
      if (!crashed) return;
      await sleep(downMs - (performance.now() - down));
    }
  } finally {
    // A connection opened for a restart the run did not wait for: closed, or it would keep the process alive.
    next?.abandon();
  }
}
