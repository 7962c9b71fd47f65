// One consumer of a NATS JetStream live run: its own connection to the run's durable pull consumer. A
// consumer that has processed its last batch asks for the next: one pull request for up to `prefetch`
// messages with no_wait and expires at consumers.fetchWaitMs (scaled), which JetStream answers at once
// with what it has, or with the first message to arrive (a new one, or one whose AckWait passed) within
// the wait, or with nothing (a 408 or 404 status). `concurrency` workers share the batch. +ACK
// acknowledges, -NAK gives a failed attempt back (redelivered at once), +WPI extends the AckWait (a
// lease extension). A crash closes the connection: what it held waits for its AckWait, as JetStream
// requeues nothing on a disconnect; a new connection takes over after restartMs.
import { createInbox, type Msg, type NatsConnection } from '@nats-io/transport-node';
import type { SimulationConfig } from '../model/config.js';
import type { BrokerAddress } from './broker-url.js';
import { sleep, type DeliveryCalls, type LiveClients } from './clients.js';
import { openNats } from './nats-connection.js';

/** What every consumer of a run shares. */
export interface NatsContext {
  config: SimulationConfig;
  clients: LiveClients;
  address: BrokerAddress;
  /** The stream's (and its subject's) name. */
  name: string;
  waitMs: number;
  /** Messages the consumers hold, pulled and not yet processed. */
  held: number;
}

/** Status codes that end a pull: no messages (404), its expiry or batch done (408). */
const PULL_DONE = new Set([404, 408]);

/**
 * One pull request for up to `batch` messages, waiting up to `expiresMs` for the first: the messages, and
 * how long the first took to arrive (real ms). JetStream may let a pull expire without a word (a 408 is
 * not promised, nats-server #2482), so the client ends it itself at its expiry and a grace of a few round
 * trips; the server delivers nothing on an expired request, nor to an inbox with no interest left.
 */
async function pull(
  nc: NatsConnection,
  context: NatsContext,
  { batch, expiresMs, graceMs }: { batch: number; expiresMs: number; graceMs: number },
): Promise<{ messages: Msg[]; firstMs: number }> {
  const subscription = nc.subscribe(createInbox());
  const timer = setTimeout(() => subscription.unsubscribe(), expiresMs + graceMs);
  const asked = performance.now();
  let firstMs = 0;
  const messages: Msg[] = [];
  try {
    nc.publish(
      `$JS.API.CONSUMER.MSG.NEXT.${context.name}.acksim`,
      JSON.stringify({ batch, no_wait: true, expires: Math.max(1, Math.round(expiresMs)) * 1_000_000 }),
      { reply: subscription.getSubject() },
    );
    for await (const message of subscription) {
      const code = message.headers?.code ?? 0;
      if (code === 100) continue;
      if (PULL_DONE.has(code)) break;
      if (code !== 0) throw new Error(`JetStream answered a pull with ${code} ${message.headers?.description ?? ''}`);
      if (messages.length === 0) firstMs = performance.now() - asked;
      messages.push(message);
      if (messages.length >= batch) break;
    }
  } finally {
    clearTimeout(timer);
    subscription.unsubscribe();
  }
  return { messages, firstMs };
}

/** How a consumer settles one delivery: acks on its reply subject, while its connection is open. */
function deliveryCalls(nc: NatsConnection, message: Msg, alive: () => boolean): DeliveryCalls {
  const send = (body: string) => {
    if (nc.isClosed()) return false;
    nc.publish(message.reply!, body);
    return true;
  };
  return { ack: () => send('+ACK'), nack: () => send('-NAK'), extend: () => send('+WPI'), alive };
}

/** Consumer `c`: connects, consumes until it crashes, comes back after its downtime, until the run stops. */
export async function consumeNats(context: NatsContext, c: number, connected: () => void): Promise<void> {
  const { clients } = context;
  // After a crash the next connection opens while the consumer is down: it pulls once restartMs has passed.
  let next: Promise<NatsConnection> | undefined = openNats(context.address, context.waitMs);
  for (; next !== undefined && !clients.stopping;) {
    const nc = await next;
    next = undefined;
    connected();
    let killed = false;
    const unwatch = clients.watchCrashes(c, () => {
      killed = true;
      void nc.close();
    });
    let crashed: boolean;
    try {
      crashed = await consumeUntilCrash(context, nc, c, () => killed);
    } catch (error) {
      if (!killed) {
        unwatch();
        await nc.close();
        throw error;
      }
      crashed = true;
    }
    unwatch();
    const downMs = crashed ? clients.downtime(c) : 0;
    const down = performance.now();
    const closing = nc.close();
    if (crashed && !clients.stopping) {
      next = openNats(context.address, context.waitMs);
      next.catch(() => undefined);
    }
    await closing;
    if (!crashed) return;
    await sleep(downMs - (performance.now() - down));
  }
}

/** Pulls and processes batches until the consumer crashes (true) or the run stops (false). */
async function consumeUntilCrash(
  context: NatsContext,
  nc: NatsConnection,
  c: number,
  killed: () => boolean,
): Promise<boolean> {
  const { clients, config } = context;
  const { consumers } = config;
  const blockMs = Math.max(1, clients.real(consumers.fetchWaitMs));
  // A batch that was waiting cost the pull's round trip, which the model's consumer does not pay; one that
  // arrived while the pull waited cost nothing. Told apart by the time to the first message.
  const roundTripMs = await nc.rtt();
  while (!clients.stopping && !killed()) {
    const { messages, firstMs } = await pull(nc, context, {
      batch: consumers.prefetch,
      expiresMs: blockMs,
      graceMs: Math.max(10, 4 * roundTripMs),
    });
    if (messages.length > 0 && firstMs <= 2 * roundTripMs + 1) clients.noteOverhead(firstMs);
    let crashed = false;
    const work = async (): Promise<void> => {
      for (
        let message = messages.shift();
        message !== undefined && !crashed && !killed() && !clients.stopping;
        message = messages.shift()
      ) {
        const alive = () => !crashed && !killed();
        if (await clients.handle(Number(message.string()), c, deliveryCalls(nc, message, alive))) crashed = true;
      }
    };
    const batch = messages.length;
    context.held += batch;
    try {
      await Promise.all(Array.from({ length: consumers.concurrency }, work));
    } finally {
      context.held -= batch;
    }
    if (crashed) return true;
  }
  return killed();
}
