// The resolved configuration one simulation runs with: a scenario with every default applied and one
// delivery mode folded in. The scenario layer builds it; the model only reads it.
import type { Duration } from '../sim/distribution.js';
import type { UserCode } from './handler.js';

/** The four one-way network links. */
export const LINKS = ['publish', 'confirm', 'deliver', 'ack'] as const;
/** Name of a one-way network link. */
export type LinkName = (typeof LINKS)[number];

/** Faults and latency of one link. */
export interface LinkConfig {
  loss: number;
  duplicate: number;
  latencyMs: Duration;
}

/** How the producer waits between publish attempts. */
export interface RetryConfig {
  maxAttempts: number;
  backoff: 'fixed' | 'exponential';
  baseMs: number;
  maxMs: number;
  jitter: 'none' | 'full' | 'equal' | 'decorrelated';
}

/** The producer of `messages` distinct messages. */
export interface ProducerConfig {
  ratePerSec: number;
  /** Log broker: which writes are confirmed: 0 none (no retry possible), 1 the leader's, all every in-sync replica's.
   * */
  acks: 0 | 1 | 'all';
  arrivals: 'constant' | 'poisson';
  confirmTimeoutMs: number;
  retry: RetryConfig;
  /** The application crashes between writing its own state and publishing (probability per message). */
  crash: { probability: number; restartMs: number };
  /** Idempotent publish whatever the mode (Kafka enable.idempotence), or as the mode says. */
  idempotent: boolean | 'by-mode';
  /** Most messages sent and not yet confirmed (max.in.flight.requests); the rest wait; 0 = unlimited. */
  maxInFlight: number;
  /** A transactional outbox: state and outbox row commit together; a relay publishes (again after its own crash). */
  outbox: boolean;
  /** How long after it is sent a message is due; who holds it until then (the broker, or the consumer: Celery ETA). */
  delayMs: Duration;
  delayHeldBy: 'broker' | 'consumer';
  /** Each message's key, over `count` keys (0: none), evenly or Zipf-skewed (key i in proportion to 1/(i+1)^skew). */
  keys: { count: number; dist: 'uniform' | 'zipf'; skew: number };
}

/** The queue broker. */
export interface BrokerConfig {
  /** The profile whose defaults were applied, if any (for reports). */
  profile?: string;
  /** queue: per-message acks and visibility timeouts; log: partitions, offsets and commits (Kafka). */
  kind: 'queue' | 'log';
  /** Log: partitions of the topic (a message goes to id modulo partitions). */
  partitions: number;
  /** Log: copies of each partition (the leader and its followers). */
  replicas: number;
  /** Log: how long after the leader's write its followers have the record (consumers see only replicated records). */
  replicationLagMs: number;
  visibilityTimeoutMs: number;
  /** Per delivery: the k-th delivery's visibility timeout, the last repeating (NATS BackOff); [] = the one above. */
  visibilityTimeoutsMs: number[];
  maxDeliveries: number;
  retentionMs: number;
  durable: boolean;
  maxPublishPerSec: number;
  publishDedupeWindowMs: number;
  /** Whether the broker can drop re-published ids at all (modes with idempotentPublish ask it to). */
  publishDedupe: boolean;
  /** Over maxDeliveries: true moves the message to the dead-letter queue, false drops it. */
  deadLetter: boolean;
  /** Queue: the key is a message group (SQS FIFO): a group's next message waits while one of it is out. */
  messageGroups: boolean;
  /** At the visibility timeout: redeliver the expired delivery only, or close the consumer's channel and requeue all it
   * holds. */
  visibilityTimeoutScope: 'delivery' | 'channel';
  /** An ack of a delivery that is no longer the latest: ignored (SQS receipt handles) or it settles the message. */
  lateAcks: 'ignored' | 'accepted';
  /** Prefetch counts deliveries not yet acked at the broker (RabbitMQ basic.qos), not the ones the consumer holds. */
  prefetchCountsUnacked: boolean;
  /** A crashed consumer's unacked deliveries are requeued at once (RabbitMQ), not at their timeout. */
  requeueOnDisconnect: boolean;
  /**
   * push: the broker sends a message to any consumer with room in its prefetch (RabbitMQ basic.consume);
   * pull: a consumer that holds nothing asks for up to `prefetch` messages, redelivered ones first, and
   * an expired delivery goes out again only when a consumer asks (Redis XAUTOCLAIM, then XREADGROUP).
   */
  delivery: 'push' | 'pull';
  /** Pull: an expired or nacked delivery goes out at a consumer's next ask (Redis), or at once to a waiting one
   * (JetStream). */
  pullRedelivery: 'on-ask' | 'at-once';
  /** Pull: the chance that an ask sent right after acks is served before them (JetStream: a race; Redis: 0). */
  askOvertakesAcks: number;
  /** Delay before a nacked or expired message can be delivered again: minMs, doubling per delivery, capped at maxMs. */
  redeliveryBackoff: { minMs: number; maxMs: number };
  /** What the broker's list price charges for (the cost metric M8); every price 0: no cost is reported. */
  pricing: BrokerPricing;
}

/** A broker's list prices, per request (SQS, in chunks of a payload) or per byte moved (Pub/Sub). */
export interface BrokerPricing {
  usdPerMillionRequests: number;
  requestChunkBytes: number;
  usdPerTiB: number;
  minBytesPerRequest: number;
  messageBytes: number;
}

/** Random consumer crashes. */
export interface CrashConfig {
  probability: number;
  point: 'before-effect' | 'after-effect';
  restartMs: number;
}

/** The consumer group. */
export interface ConsumersConfig {
  count: number;
  prefetch: number;
  concurrency: number;
  processingMs: Duration;
  crash: CrashConfig;
  poisonRate: number;
  /** Transient failures: each processing attempt fails (and is nacked) with this probability, independently. */
  failure: { probability: number };
  /**
   * A heartbeat that extends the lease of each delivery being processed (and, with `buffered`, waiting in the
   * consumer's buffer): every `intervalMs` it asks the broker, over the ack link, for `extendToMs` more from
   * when it arrives (0: the delivery's visibility timeout); it stops after `maxMs`. intervalMs 0: none.
   */
  leaseExtension: { intervalMs: number; extendToMs: number; maxMs: number; buffered: boolean };
  /** A consumer freezes (a GC pause, a blocked event loop) for `durationMs` at the start of a delivery's processing.
   * */
  stall: { probability: number; durationMs: number };
  /** Log: when offsets are committed; by-mode follows the mode's ack (auto/before-effect: before, after-effect: after).
   * */
  commit: 'by-mode' | 'auto' | 'before-processing' | 'after-processing';
  /** Log: auto.commit.interval.ms. */
  autoCommitIntervalMs: number;
  /** Log: max.poll.records. */
  maxPollRecords: number;
  /** Log: max.poll.interval.ms; a consumer that does not poll within it leaves the group. */
  maxPollIntervalMs: number;
  /** Log: session.timeout.ms; a crashed consumer is noticed after it. */
  sessionTimeoutMs: number;
  /** Log: sync processes each batch before the next poll; async hands records to `concurrency` workers and polls on. */
  pollLoop: 'sync' | 'async';
  /**
   * How long a poll that finds nothing waits before the next: log, fetch.max.wait.ms; queue with pull
   * delivery, the read's block time (XREADGROUP BLOCK), which new messages cut short and redeliveries do not.
   */
  fetchWaitMs: number;
  /**
   * Log: consume-transform-produce in a Kafka transaction: a batch's effects and its offsets commit
   * together; a crash or a fenced commit aborts them (commit is ignored: offsets go in the transaction).
   */
  transactional: boolean;
}

/** The consumer-side dedupe store used by modes with `consumerDedupe`. */
export interface DedupeConfig {
  windowMs: number;
  capacity: number;
  atomic: boolean;
}

/** What one effect does to the sink. */
export interface SinkConfig {
  effect: 'increment' | 'set' | 'append';
  amount: number;
  /** set: message id modulo keys picks the key; 0 = one key per message. */
  keys: number;
  /** Transactional effects (consumers.transactional): whether the sink's reader sees aborted ones. */
  isolation: 'read_committed' | 'read_uncommitted';
}

/** A fault at a fixed time. */
export type ScheduledFault =
  | { type: 'broker-crash'; atMs: number; durationMs: number }
  | { type: 'leader-failover'; atMs: number; durationMs: number }
  | { type: 'consumer-crash'; consumer: number; atMs: number; durationMs: number }
  | { type: 'partition'; link: LinkName; atMs: number; durationMs: number }
  | { type: 'dlq-redrive'; atMs: number };

/** When the consumer acknowledges a delivery. */
export type AckMode = 'auto' | 'before-effect' | 'after-effect';

/** The knobs that make a delivery mode. */
export interface ModeKnobs {
  ack: AckMode;
  publishRetry: boolean;
  idempotentPublish: boolean;
  consumerDedupe: boolean;
}

/** A named delivery mode. */
export interface DeliveryMode extends ModeKnobs {
  name: string;
}

/** Everything one simulation needs. */
export interface SimulationConfig {
  messages: number;
  horizonMs: number;
  /** Events the run may take; absent: `defaultMaxEvents(messages)`. */
  maxEvents?: number;
  producer: ProducerConfig;
  network: Record<LinkName, LinkConfig>;
  broker: BrokerConfig;
  consumers: ConsumersConfig;
  dedupe: DedupeConfig;
  sink: SinkConfig;
  faults: ScheduledFault[];
  mode: DeliveryMode;
  /**
   * Exploration only: consumers may also crash at the crash point the scenario did not choose, and a
   * delivery's processing may stall past the visibility timeout (decisions a random run never takes).
   */
  exploration?: boolean;
  /** The user's consumer code (the library's `handler` option), run where the consumer's effect is. */
  handler?: UserCode;
  /** Samples the run's time series every this many ms of virtual time (`--time-series`); undefined: none. */
  sampleMs?: number;
  /** The most points the series keep (default MAX_POINTS); past that, neighbouring points merge. */
  samplePoints?: number;
}

/**
 * The event limit of a run whose scenario sets none: 1,000 events per message, at least 1,000,000 (a
 * second or so), at most 2^31 - 1. The built-in scenarios take at most about 125 per message, so only a
 * run that loops (a delivery storm) reaches it; a run that does ends as `maxEvents`, its messages
 * unresolved, never as a hang.
 */
export function defaultMaxEvents(messages: number): number {
  return Math.min(2 ** 31 - 1, Math.max(1_000_000, 1_000 * messages));
}

/**
 * The most events a run may have waiting in its queue (about 50 bytes each): 64 per message, at least
 * 2^20 (50 MiB). The built-in scenarios keep at most about 6 per message waiting; a storm that leaves a
 * timer behind at every delivery would otherwise grow the queue with every event (to gigabytes under a
 * large `maxEvents`). A run that reaches it ends as `maxPending`, like `maxEvents`.
 */
export function maxPendingEvents(messages: number): number {
  return Math.max(2 ** 20, 64 * messages);
}

/**
 * When the last redrive of the dead-letter queue (faults: dlq-redrive) before the horizon happens, -Infinity if
 * none does: until then the dead-letter queue keeps what it takes, and the run goes on (a redrive of an empty
 * queue still happens, and is met).
 */
export function lastRedriveMs(config: SimulationConfig): number {
  const redrives = config.faults.filter((f) => f.type === 'dlq-redrive' && f.atMs < config.horizonMs);
  return Math.max(-Infinity, ...redrives.map((f) => f.atMs));
}

/** How long a scheduled fault lasts (0 for one that happens at an instant, a redrive). */
export function faultDuration(fault: ScheduledFault): number {
  return 'durationMs' in fault ? fault.durationMs : 0;
}

/** The visibility timeout of delivery `k` (0 for the first): its entry of the schedule, else visibilityTimeoutMs. */
export function visibilityTimeoutOf(broker: BrokerConfig, k: number): number {
  const schedule = broker.visibilityTimeoutsMs;
  return schedule.length === 0 ? broker.visibilityTimeoutMs : schedule[Math.min(k, schedule.length - 1)]!;
}

/** The longest visibility timeout a delivery may have: what a stall must outlast to outlast any. */
export function longestTimeout(broker: BrokerConfig): number {
  return Math.max(broker.visibilityTimeoutMs, ...broker.visibilityTimeoutsMs);
}
