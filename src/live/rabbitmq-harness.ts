// `acksim live` against RabbitMQ (AMQP 0-9-1, amqplib): the scenario's producer and consumers as real
// clients of a quorum queue. The producer publishes persistent messages on a confirm channel; each
// consumer has its own connection and channel with basic.qos prefetch, `concurrency` workers, manual
// acks (or no-ack for auto-ack). The queue's x-delivery-limit and dead-letter routing do the delivery
// limit. RabbitMQ has no visibility timeout: its consumer_timeout closes the channel of a delivery left
// unacked too long, and the broker requeues everything unacked on it. That timeout is server-wide and
// checked every few seconds, so the harness closes the channel itself at the scenario's (scaled)
// timeout; the requeue, the redelivery, the delivery count and the dead-lettering are RabbitMQ's own.
// rabbitmq-connection.ts opens and closes; rabbitmq-consumer.ts is one consumer; here, the queues and the run.
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import type { SimulationConfig } from '../model/config.js';
import { NETWORK_WAIT_MS } from './bounded.js';
import { LiveClients, type LiveOptions, type LiveResult } from './clients.js';
import { rabbitCalls, type Rabbit } from './rabbitmq-connection.js';
import { consume, type ConsumerContext } from './rabbitmq-consumer.js';

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
  const { open, close, bounded } = rabbitCalls(url, waitMs);
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

/** Runs the scenario's clients on the declared queues, and waits for the end. */
async function drive(config: SimulationConfig, options: LiveOptions, rabbit: Rabbit): Promise<LiveResult> {
  const { publisher, queue, deadLetters, bounded } = rabbit;
  const { consumers, broker } = config;
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
  const context: ConsumerContext = { config, rabbit, clients, timeoutMs, tickMs, idle, crashes };
  const consuming = await clients.startConsumers(consumers.count, (c, ready) => consume(context, c, ready));
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
