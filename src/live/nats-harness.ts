// `acksim live` against NATS JetStream (@nats-io/transport-node, @nats-io/jetstream): the scenario's
// producer and consumers as real clients of a stream and one durable pull consumer, both the run's own.
// The producer publishes with the JetStream client and its PubAck is the confirm; with idempotent
// publish (exactly-once and the like, under a broker with publishDedupe) each publish carries the
// message's id as Nats-Msg-Id and the stream's duplicate window is the scenario's (scaled). The
// consumer's AckWait is the visibility timeout, a list of timeouts is its BackOff, maxDeliveries its
// MaxDeliver, and with broker.deadLetter its MAX_DELIVERIES advisories are the dead-letter events (the
// message stays in the stream, where the advisory's sequence finds it). nats-consumer.ts is one consumer.
import { jetstream, jetstreamManager, AckPolicy, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { SimulationConfig } from '../model/config.js';
import { NETWORK_WAIT_MS, within } from './bounded.js';
import { LiveClients, type LiveOptions, type LiveResult } from './clients.js';
import { openNats } from './nats-connection.js';
import { consumeNats, type NatsContext } from './nats-consumer.js';

/** Nanoseconds, as JetStream counts durations, for `ms` of real time (at least 1 ms). */
export function nanos(ms: number): number {
  return Math.max(1, Math.round(ms)) * 1_000_000;
}

/** A name JetStream takes for a stream and a subject token: letters, digits, `-` and `_` only. */
export function natsName(runId: string): string {
  return `acksim-${runId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The consumer's configuration: ack policy by the mode, AckWait or BackOff, MaxDeliver, no ack-pending limit. */
export function consumerConfig(config: SimulationConfig, real: (ms: number) => number) {
  const { broker, mode } = config;
  const backoff = broker.visibilityTimeoutsMs.map((ms) => nanos(real(ms)));
  // JetStream wants MaxDeliver above the BackOff's length; without a limit, one no run reaches.
  const maxDeliver = broker.maxDeliveries > 0 ? broker.maxDeliveries : backoff.length > 0 ? 1_000_000 : -1;
  return {
    durable_name: 'acksim',
    ack_policy: mode.ack === 'auto' ? AckPolicy.None : AckPolicy.Explicit,
    ack_wait: nanos(real(broker.visibilityTimeoutMs)),
    max_deliver: maxDeliver,
    ...(backoff.length > 0 ? { backoff } : {}),
    // The model has no MaxAckPending (its default, 1,000, would stall consumers whose acks are lost).
    max_ack_pending: -1,
  };
}

/** Runs the scenario once against NATS JetStream; resolves when every message is settled or the limit passes. */
export async function runNats(config: SimulationConfig, options: LiveOptions): Promise<LiveResult> {
  const waitMs = Math.min(NETWORK_WAIT_MS, options.limitMs);
  let admin: NatsConnection;
  try {
    admin = await openNats(options.address, waitMs);
  } catch (error) {
    throw new Error(`cannot connect (${(error as Error).message})`);
  }
  const name = natsName(options.runId);
  const clients = new LiveClients(config, options);
  let jsm: JetStreamManager | undefined;
  try {
    jsm = await within(jetstreamManager(admin, { timeout: waitMs }), waitMs, 'JetStream').catch((error: Error) => {
      throw new Error(`JetStream is not available (${error.message}); start nats-server with -js`);
    });
    const { broker, mode } = config;
    const dedupe = mode.idempotentPublish && broker.publishDedupe;
    // Publish dedupe forgets an id after its window (0: never, so past the whole run).
    const windowMs = broker.publishDedupeWindowMs > 0 ? clients.real(broker.publishDedupeWindowMs) : options.limitMs;
    await jsm.streams.add({
      name,
      subjects: [name],
      duplicate_window: nanos(dedupe ? windowMs : 1000),
      max_age: 0,
    });
    await jsm.consumers.add(
      name,
      consumerConfig(config, (ms) => clients.real(ms)),
    );
    return await drive(config, options, { clients, admin, jsm, name, waitMs, dedupe });
  } finally {
    if (jsm !== undefined) await within(jsm.streams.delete(name), waitMs, 'deleting the stream').catch(() => false);
    await within(admin.close(), waitMs, 'closing the connection').catch(() => undefined);
  }
}

/** Runs the scenario's clients on the stream and its consumer, and waits for the end. */
async function drive(
  config: SimulationConfig,
  options: LiveOptions,
  run: {
    clients: LiveClients;
    admin: NatsConnection;
    jsm: JetStreamManager;
    name: string;
    waitMs: number;
    dedupe: boolean;
  },
): Promise<LiveResult> {
  const { clients, admin, jsm, name, waitMs, dedupe } = run;
  const { consumers, broker } = config;
  // Dead-letter events: the advisory names the stream sequence, whose message holds the id.
  let advising = 0;
  if (broker.deadLetter && broker.maxDeliveries > 0) {
    admin.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${name}.acksim`, {
      callback: (error, message) => {
        if (error !== null) return clients.fail(error);
        advising++;
        const { stream_seq: seq } = message.json<{ stream_seq: number }>();
        within(jsm.streams.getMessage(name, { seq }), waitMs, 'reading a dead-lettered message')
          .then((stored) => stored !== null && clients.log('dead-letter', Number(stored.string())))
          .catch(clients.fail)
          .finally(() => advising--);
      },
    });
  }
  const context: NatsContext = { config, clients, address: options.address, name, waitMs, held: 0 };
  const consuming = await clients.startConsumers(consumers.count, (c, ready) => consumeNats(context, c, ready));
  const js = jetstream(admin, { timeout: waitMs });
  const producing = clients
    .produce(async (m) => {
      await js.publish(name, String(m), dedupe ? { msgID: String(m) } : {});
      return true;
    })
    .catch(clients.fail);

  // ---- the end: everything published is settled, nothing undelivered, unacked, held or being dead-lettered ----
  const blockMs = Math.max(1, clients.real(consumers.fetchWaitMs));
  const result = await clients.waitForEnd(
    async () => {
      if (context.held > 0 || advising > 0) return false;
      const info = await within(jsm.consumers.info(name, 'acksim'), waitMs, 'reading the consumer');
      return info.num_pending === 0 && info.num_ack_pending === 0 && context.held === 0 && advising === 0;
    },
    // As on Redis: long enough for a pull's answer on its way to arrive, short enough not to add seconds.
    Math.max(20, Math.min(100, blockMs)),
  );
  await within(Promise.allSettled([producing, ...consuming]), waitMs, 'the last calls').catch(clients.fail);
  clients.rethrow();
  return result;
}
