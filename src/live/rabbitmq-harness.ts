// `acksim live` against RabbitMQ (AMQP 0-9-1, amqplib): the scenario's producer and consumers as real
// clients of a quorum queue. The producer publishes persistent messages on a confirm channel; each
// consumer has its own connection and channel with basic.qos prefetch, `concurrency` workers, manual
// acks (or no-ack for auto-ack). The queue's x-delivery-limit and dead-letter routing do the delivery
// limit. RabbitMQ has no visibility timeout: its consumer_timeout closes the channel of a delivery left
// unacked too long, and the broker requeues everything unacked on it. That timeout is server-wide and
// checked every few seconds, so the harness closes the channel itself at the scenario's (scaled)
// timeout; the requeue, the redelivery, the delivery count and the dead-lettering are RabbitMQ's own.
import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { SimulationConfig } from '../model/config.js';
import { NETWORK_WAIT_MS, within } from './bounded.js';
import { LiveClients, sleep, type LiveOptions, type LiveResult } from './clients.js';

/** A consumer's connection and the channel it will consume on first. */
interface Connection {
  model: ChannelModel;
  channel: Promise<Channel>;
}

/** One consumer channel: what it holds unstarted and the delivery tags it has not acked. */
interface ChannelState {
  channel: Channel;
  open: boolean;
  held: ConsumeMessage[];
  unacked: Set<number>;
}

/** The queue's arguments: quorum type, the delivery limit, dead-letter routing to the run's own queue. */
export function queueArguments(
  config: SimulationConfig,
  deadLetters: string,
  serverVersion: string,
): Record<string, unknown> {
  const { maxDeliveries, deadLetter } = config.broker;
  const args: Record<string, unknown> = { 'x-queue-type': 'quorum' };
  // x-delivery-count counts returns: a limit of N - 1 allows N deliveries. RabbitMQ 4 limits to 20 unless told -1.
  if (maxDeliveries > 0) args['x-delivery-limit'] = maxDeliveries - 1;
  else if (Number(serverVersion.split('.')[0]) >= 4) args['x-delivery-limit'] = -1;
  if (deadLetter) {
    args['x-dead-letter-exchange'] = '';
    args['x-dead-letter-routing-key'] = deadLetters;
  }
  return args;
}

/** Runs the scenario once against RabbitMQ; resolves when every message is settled or the limit passes. */
export async function runRabbit(config: SimulationConfig, options: LiveOptions): Promise<LiveResult> {
  const url = `amqp:${options.address.url.slice(options.address.url.indexOf(':') + 1)}`;
  // Every answer is awaited for a bounded time: a port that accepts and stays silent fails the run.
  const waitMs = Math.min(NETWORK_WAIT_MS, options.limitMs);
  const bounded = <T>(work: Promise<T>, what: string) => within(work, waitMs, what);
  /** Closes a connection; one whose broker does not answer the close is cut, so nothing keeps the process alive. */
  const close = async (model: ChannelModel): Promise<void> => {
    await bounded(model.close(), 'closing the connection').catch(() => {
      (model.connection as unknown as { stream?: { destroy: () => void } }).stream?.destroy();
    });
  };
  const open = async (): Promise<ChannelModel> => {
    const model = await within(
      connect(url, { timeout: waitMs }),
      waitMs,
      'the connection',
      (late) => void late.close().catch(() => undefined),
    );
    model.on('error', () => undefined);
    return model;
  };
  let admin: ChannelModel;
  try {
    admin = await open();
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(`cannot connect (${/ETIMEDOUT/.test(message) ? `no answer within ${waitMs / 1000} s` : message})`);
  }
  const queue = `acksim.${options.runId}`;
  const deadLetters = `${queue}.dlq`;
  let publisher: ConfirmChannel | undefined;
  try {
    publisher = await bounded(admin.createConfirmChannel(), 'opening a channel');
    publisher.on('error', () => undefined);
    await bounded(publisher.assertQueue(deadLetters, { durable: true }), 'declaring a queue');
    await bounded(
      publisher.assertQueue(queue, {
        durable: true,
        arguments: queueArguments(config, deadLetters, String(admin.connection.serverProperties.version ?? '')),
      }),
      'declaring a queue',
    );
    return await drive(config, options, { admin, publisher, open, close, bounded, queue, deadLetters });
  } finally {
    if (publisher !== undefined) {
      await bounded(publisher.deleteQueue(queue), 'deleting the queue').catch(() => undefined);
      await bounded(publisher.deleteQueue(deadLetters), 'deleting the queue').catch(() => undefined);
    }
    await close(admin);
  }
}

interface Rabbit {
  admin: ChannelModel;
  publisher: ConfirmChannel;
  open: () => Promise<ChannelModel>;
  close: (model: ChannelModel) => Promise<void>;
  /** A broker call awaited for a bounded time. */
  bounded: <T>(work: Promise<T>, what: string) => Promise<T>;
  queue: string;
  deadLetters: string;
}

async function drive(config: SimulationConfig, options: LiveOptions, rabbit: Rabbit): Promise<LiveResult> {
  const { publisher, queue, deadLetters, bounded } = rabbit;
  const { mode, consumers, broker } = config;
  const clients = new LiveClients(config, options);
  // The dead-letter queue's arrivals are the log's dead-letter events.
  const watcher = await bounded(rabbit.admin.createChannel(), 'opening a channel');
  watcher.on('error', () => undefined);
  await bounded(
    watcher.consume(
      deadLetters,
      (message) => message !== null && clients.log('dead-letter', Number(message.content.toString())),
      {
        noAck: true,
      },
    ),
    'starting a consumer',
  );

  const timeoutMs = clients.real(broker.visibilityTimeoutMs);
  const tickMs = Math.max(5, Math.min(50, timeoutMs / 10));
  const idle: boolean[] = Array.from({ length: consumers.count }, () => true);
  const crashes = consumers.crash.probability > 0 || config.faults.some((fault) => fault.type === 'consumer-crash');

  /**
   * A channel made ready to consume on (created, prefetch set) before it is needed: opening one takes
   * round trips the model's consumer does not wait for, so the consumer only asks to consume on it.
   */
  const prepare = (model: ChannelModel): Promise<Channel> => {
    const ready = model.createChannel().then(async (channel) => {
      channel.on('error', () => undefined);
      await channel.prefetch(consumers.prefetch);
      return channel;
    });
    ready.catch(() => undefined);
    return ready;
  };

  /** One consumer process: a connection, one channel at a time, `concurrency` workers; true when it crashed. */
  const life = async (c: number, { model, channel: first }: Connection, consuming: () => void): Promise<boolean> => {
    let spare = first;
    let crashed = false;
    let busy = 0;
    let state: ChannelState;
    let ended: () => void = () => undefined;
    const end = new Promise<void>((done) => (ended = done));
    const pump = () => {
      while (busy < consumers.concurrency && state.held.length > 0 && !crashed && !clients.stopping) {
        const message = state.held.shift()!;
        const owner = state;
        busy++;
        void work(owner, message)
          .catch(clients.fail)
          .finally(() => {
            busy--;
            pump();
          });
      }
      idle[c] = busy === 0 && state.held.length === 0 && state.unacked.size === 0 && !opening && closing === 0;
    };
    const work = async (owner: ChannelState, message: ConsumeMessage) => {
      const tag = message.fields.deliveryTag;
      const crashes = await clients.handle(Number(message.content.toString()), c, {
        ack: () => {
          if (!owner.open) return false;
          try {
            owner.channel.ack(message);
          } catch {
            // The connection is closing (a crash, or the end): the ack goes nowhere, as with a closed channel.
            return false;
          }
          owner.unacked.delete(tag);
          return true;
        },
        alive: () => !crashed,
      });
      if (crashes && !crashed) {
        crashed = true;
        ended();
      }
    };
    let opening = false;
    const openChannel = async (): Promise<void> => {
      opening = true;
      const channel = await bounded(spare, 'opening a channel').finally(() => (opening = false));
      spare = prepare(model);
      const next: ChannelState = { channel, open: true, held: [], unacked: new Set() };
      channel.on('close', () => {
        next.open = false;
        next.held.length = 0;
        next.unacked.clear();
      });
      state = next;
      await bounded(
        channel.consume(
          queue,
          (message) => {
            if (message === null || !next.open) return;
            if (mode.ack !== 'auto') {
              const tag = message.fields.deliveryTag;
              next.unacked.add(tag);
              // Unref'd: a timer left over from a closed channel must not keep the process alive.
              setTimeout(() => next.unacked.has(tag) && next.open && timedOut(next), timeoutMs).unref();
            }
            next.held.push(message);
            pump();
          },
          { noAck: mode.ack === 'auto' },
        ),
        'starting a consumer',
      );
    };
    // consumer_timeout: a delivery unacked past the timeout closes its channel, and the consumer opens another.
    let closing = 0;
    const timedOut = (expired: ChannelState) => {
      expired.open = false;
      expired.held.length = 0;
      expired.unacked.clear();
      // Not idle until RabbitMQ has taken the close, and so requeued what the channel held.
      closing++;
      void expired.channel
        .close()
        .catch(() => undefined)
        .finally(() => closing--);
      if (!crashed && !clients.stopping) void openChannel().catch(() => undefined);
    };
    await openChannel();
    const unwatch = clients.watchCrashes(c, () => {
      crashed = true;
      ended();
    });
    // The clock starts once every consumer consumes: with its spare channel ready, so that making it
    // does not load the broker while the producer starts.
    await spare.catch(() => undefined);
    consuming();
    const watchdog = setInterval(() => {
      if (crashed || clients.stopping) ended();
      else if (!state.open && !opening) timedOut(state);
      else pump();
    }, tickMs);
    await end;
    unwatch();
    clearInterval(watchdog);
    // Not idle until the connection is closed (consume does that next) and RabbitMQ has requeued what it held.
    idle[c] = false;
    return crashed;
  };

  const consume = async (c: number, consuming: () => void): Promise<void> => {
    // Every connection opened is closed: one left open would keep the process alive after the run.
    // Opening one takes tens of ms (more than many a scenario's restartMs at a small time scale), so
    // each incarnation opens the next one's connection as it starts: after a crash, the consumer is
    // back on it as soon as restartMs has passed.
    const open = () => {
      const opening = rabbit.open().then((model) => ({ model, channel: prepare(model) }));
      opening.catch(() => undefined);
      return opening;
    };
    let next: Promise<Connection> | undefined = open();
    try {
      while (next !== undefined && !clients.stopping) {
        const connection = await next;
        const { model } = connection;
        // Only where the consumer can crash: opening one loads the broker while the run goes on.
        if (crashes) next = open();
        let crashed: boolean;
        try {
          crashed = await life(c, connection, consuming);
        } catch (error) {
          await rabbit.close(model);
          throw error;
        }
        const downMs = crashed ? clients.downtime(c) : 0;
        const down = performance.now();
        next ??= crashed && !clients.stopping ? open() : undefined;
        // A crash: the connection goes, and RabbitMQ requeues every delivery it had not acked.
        await rabbit.close(model);
        idle[c] = true;
        if (!crashed) return;
        await sleep(downMs - (performance.now() - down));
      }
    } finally {
      // The connection opened for a restart that did not come.
      if (next !== undefined) void next.then(({ model }) => rabbit.close(model)).catch(() => undefined);
    }
  };
  const consuming = await clients.startConsumers(consumers.count, consume);
  const producing = clients
    .produce(
      (m) =>
        new Promise<boolean>((done) => {
          publisher.sendToQueue(queue, Buffer.from(String(m)), { persistent: true, messageId: String(m) }, (error) =>
            done(error == null),
          );
        }),
    )
    .catch(clients.fail);

  // ---- the end: everything settled, nothing ready, held, unacked or in progress -------------------
  const result = await clients.waitForEnd(
    async () => {
      if (!idle.every(Boolean)) return false;
      const [ready, dead] = await bounded(
        Promise.all([publisher.checkQueue(queue), publisher.checkQueue(deadLetters)]),
        'checking the queues',
      );
      return ready.messageCount === 0 && dead.messageCount === 0;
    },
    Math.max(20, tickMs),
  );
  // Every loop stops at its next step; one stuck on a silent broker is not waited for past the bound.
  await bounded(Promise.allSettled([producing, ...consuming]), 'the last calls').catch(clients.fail);
  await bounded(watcher.close(), 'closing a channel').catch(() => undefined);
  clients.rethrow();
  return result;
}
