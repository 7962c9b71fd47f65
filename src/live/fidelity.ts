// The fidelity of the model: a live run's loss and duplicate rates, with their 95 % intervals, beside
// the simulator's prediction for the same scenario, mode and seed.
import type { SimulationConfig } from '../model/config.js';
import type { BrokerKind } from './broker-url.js';
import type { Measured } from '../run/metrics.js';
import { batchRateInterval, CONFIDENCE, wilson, zFor, type Interval } from '../run/stats.js';

/** One rate measured live and predicted. */
export interface RateFidelity {
  live: number;
  interval: Interval;
  predicted: number;
  /** How far one model run may land from the model's expectation at this seed from timing alone (± this, at the
   * run's confidence). */
  modelSpread: number;
  /**
   * What the prediction is judged against: the live run's interval (95 % unless asked), widened by the model's spread
   * where there is one (each side's half-width and the spread added in quadrature), within [0, 1].
   */
  tolerance: Interval;
  /** The prediction lies inside `tolerance`. Whether that is a verdict at all, `verdictOf` says. */
  inside: boolean;
}

/** One mode's comparison. */
export interface FidelityRow {
  mode: string;
  produced: number;
  lossRate: RateFidelity;
  duplicateRate: RateFidelity;
}

/** Batches a live run's messages are split into (by id range) for the batch interval. */
export const LIVE_BATCHES = 20;

/** The batch of message `id` among `messages`. */
export function batchOf(id: number, messages: number): number {
  return Math.min(LIVE_BATCHES - 1, Math.floor((id * LIVE_BATCHES) / Math.max(1, messages)));
}

type Count = (m: Measured['metrics']) => [k: number, n: number];

/**
 * A live rate and its interval (95 % unless asked): the wider of Wilson's (messages independent) and the batch one
 * (outcomes clustered: one closed channel or claim sweep duplicates many messages at once). The
 * prediction is one model run at the live run's seed (the same faults); where timing alone scatters
 * that run (`spreadSd`, a standard deviation), the two are two draws and the verdict allows for both.
 */
function rate(
  count: Count,
  live: Measured,
  batches: readonly Measured[],
  predicted: number,
  spreadSd: number,
  confidence: number,
): RateFidelity {
  const [k, n] = count(live.metrics);
  const pairs = batches.map((b) => count(b.metrics));
  const independent = wilson(k, n, zFor(confidence));
  const clustered =
    pairs.length >= 2
      ? batchRateInterval(
          pairs.map(([bk]) => bk),
          pairs.map(([, bn]) => bn),
          confidence,
        )
      : independent;
  const interval = {
    lower: Math.min(independent.lower, clustered.lower),
    upper: Math.max(independent.upper, clustered.upper),
  };
  const value = n === 0 ? 0 : k / n;
  const modelSpread = (confidence === CONFIDENCE ? 1.96 : zFor(confidence)) * spreadSd;
  const tolerance = {
    lower: Math.max(0, value - Math.hypot(value - interval.lower, modelSpread)),
    upper: Math.min(1, value + Math.hypot(interval.upper - value, modelSpread)),
  };
  return {
    live: value,
    interval,
    predicted,
    modelSpread,
    tolerance,
    inside: predicted >= tolerance.lower && predicted <= tolerance.upper,
  };
}

/**
 * Compares a live run (its audit, whole and by batch of ids) with the simulator's run of the same
 * configuration, whose rates scatter from timing alone by `spread` (standard deviations), with
 * intervals at `confidence` (95 % unless asked: a suite of many rows asks for more, see `acksim live`).
 */
export function fidelityOf(
  mode: string,
  live: Measured,
  batches: readonly Measured[],
  simulated: Measured,
  spread: { lossRate: number; duplicateRate: number } = { lossRate: 0, duplicateRate: 0 },
  confidence: number = CONFIDENCE,
): FidelityRow {
  const s = simulated.metrics;
  return {
    mode,
    produced: live.metrics.produced,
    lossRate: rate((m) => [m.lost, m.produced], live, batches, s.lossRate, spread.lossRate, confidence),
    duplicateRate: rate(
      (m) => [m.duplicates, m.processed],
      live,
      batches,
      s.duplicateRate,
      spread.duplicateRate,
      confidence,
    ),
  };
}

/** The profile whose semantics each live broker has: the prediction uses it unless --profile names another. */
export const LIVE_PROFILE = { redis: 'redis-streams', rabbitmq: 'rabbitmq-quorum', nats: 'nats-jetstream' } as const;

/** The fields whose value each live broker fixes: what it does, and why a prediction must say the same. */
const LIVE_SEMANTICS = {
  redis: {
    visibilityTimeoutScope: ['delivery', 'Redis claims one idle entry at a time'],
    prefetchCountsUnacked: [false, 'XREADGROUP COUNT limits one read, not what is unacked'],
    requeueOnDisconnect: [false, 'Redis keeps a gone consumer’s entries pending until claimed'],
    lateAcks: ['accepted', 'XACK removes an entry another consumer has claimed since'],
    pullRedelivery: [
      'on-ask',
      'a blocked XREADGROUP wakes for a new entry only; XAUTOCLAIM claims when a consumer reads',
    ],
    askOvertakesAcks: [0, 'one connection runs XACK before the next XAUTOCLAIM and XREADGROUP'],
    delivery: [
      'pull',
      'Redis consumers pull: XREADGROUP reads a batch once the last one is processed, and XAUTOCLAIM claims only when a consumer reads',
    ],
  },
  rabbitmq: {
    visibilityTimeoutScope: ['channel', "RabbitMQ's consumer timeout closes the whole channel"],
    prefetchCountsUnacked: [true, "RabbitMQ's basic.qos counts the deliveries not yet acked"],
    requeueOnDisconnect: [true, 'RabbitMQ requeues the unacked deliveries of a closed connection'],
    delivery: ['push', 'RabbitMQ pushes (basic.consume): it fills each consumer’s prefetch as messages arrive'],
  },
  nats: {
    visibilityTimeoutScope: ['delivery', "JetStream's AckWait times out one delivery"],
    prefetchCountsUnacked: [false, 'a pull request’s batch limits one pull, not what is unacked'],
    requeueOnDisconnect: [false, 'JetStream redelivers a gone consumer’s messages at their AckWait'],
    lateAcks: ['accepted', 'JetStream takes an ack after AckWait (it names the stream sequence)'],
    pullRedelivery: ['at-once', 'JetStream answers a waiting pull from its redelivery queue first'],
    askOvertakesAcks: [0.5, 'JetStream queues acks apart from pull requests: which it serves first is a race'],
    delivery: [
      'pull',
      'the live NATS consumers pull: a pull request for up to prefetch messages once the last batch is processed',
    ],
  },
} as const;

/** The fixed fields that only pulled deliveries have. */
const PULL_ONLY = new Set(['pullRedelivery', 'askOvertakesAcks']);

/** How each live broker is named in a refusal. */
const BROKER_NAME: Record<BrokerKind, string> = { redis: 'Redis', rabbitmq: 'RabbitMQ', nats: 'JetStream' };

/** How the profile that a fixed field's value comes from is named in a refusal. */
function fixedBy(kind: BrokerKind, field: string): string {
  // rabbitmq-quorum leaves delivery at the schema's default, push.
  return kind === 'rabbitmq' && field === 'delivery' ? 'the default' : `--profile ${LIVE_PROFILE[kind]} sets it`;
}

/**
 * Broker fields of the prediction that contradict the real broker, as one-line problems (field path:
 * why): the semantics each broker fixes, and what neither does in the harness (a redelivery backoff,
 * publish throttling, a retention that can expire a message within the model's horizon, publish
 * dedupe for a mode that asks for it; on Redis, dropping what passes maxDeliveries).
 */
function contradictions(config: Pick<SimulationConfig, 'broker' | 'mode' | 'horizonMs'>, kind: BrokerKind): string[] {
  const problems: string[] = [];
  const { broker } = config;
  for (const [field, [value, why]] of Object.entries(LIVE_SEMANTICS[kind])) {
    // How pulls are served means nothing to pushed deliveries, which the delivery field refuses already.
    if (PULL_ONLY.has(field) && broker.delivery !== 'pull') continue;
    if (broker[field as keyof typeof LIVE_SEMANTICS.redis] !== value)
      problems.push(`broker.${field}: ${why} (allowed: ${String(value)}; ${fixedBy(kind, field)})`);
  }
  const rabbit = kind === 'rabbitmq';
  const returned = {
    rabbitmq: 'RabbitMQ requeues a returned delivery at once',
    redis: 'XAUTOCLAIM hands an idle entry to the next read at once',
    nats: 'JetStream redelivers a timed-out or nak’d message at once (BackOff is broker.visibilityTimeoutsMs)',
  };
  if (broker.redeliveryBackoff.minMs > 0)
    problems.push(`broker.redeliveryBackoff: ${returned[kind]} (allowed: minMs 0)`);
  if (broker.maxPublishPerSec > 0)
    problems.push('broker.maxPublishPerSec: the live broker throttles no publish (allowed: 0)');
  if (broker.retentionMs > 0 && broker.retentionMs < config.horizonMs)
    problems.push(
      `broker.retentionMs: the live ${rabbit ? 'queue' : 'stream'} keeps a message until it is consumed (allowed: 0, or horizonMs or more)`,
    );
  if (config.mode.idempotentPublish && broker.publishDedupe && kind !== 'nats')
    problems.push(
      `broker.publishDedupe: ${rabbit ? 'RabbitMQ stores a re-published message again' : 'XADD has no dedupe'} (allowed: false; --profile ${LIVE_PROFILE[kind]} sets it)`,
    );
  if (kind === 'redis' && broker.maxDeliveries > 0 && !broker.deadLetter)
    problems.push(
      'broker.deadLetter: the live Redis consumers move an entry past maxDeliveries to a dead-letter stream (allowed: true)',
    );
  return problems;
}

/**
 * Lease extension live: Redis resets an entry's idle time, JetStream's +WPI its AckWait (a whole timeout from
 * now); RabbitMQ has no lease.
 */
function leaseProblems(config: Pick<SimulationConfig, 'broker' | 'consumers'>, kind: BrokerKind): string[] {
  const { intervalMs, extendToMs, buffered } = config.consumers.leaseExtension;
  if (intervalMs === 0) return [];
  if (kind === 'rabbitmq')
    return ['consumers.leaseExtension.intervalMs: RabbitMQ has no lease to extend (allowed: 0 with rabbitmq://)'];
  const problems: string[] = [];
  if (extendToMs !== 0 && extendToMs !== config.broker.visibilityTimeoutMs)
    problems.push(
      `consumers.leaseExtension.extendToMs: ${kind === 'nats' ? '+WPI restarts the AckWait' : "XCLAIM JUSTID restarts an entry's idle time"}, a whole visibility timeout (allowed: 0)`,
    );
  if (buffered && config.consumers.prefetch > config.consumers.concurrency)
    problems.push(
      'consumers.leaseExtension.buffered: the live consumers extend what they process only (allowed: false, or prefetch = concurrency)',
    );
  return problems;
}

/** What the live harness cannot inject, or the broker cannot do, as one-line problems (field path: why). */
export function unsupportedLive(
  config: Pick<
    SimulationConfig,
    'broker' | 'faults' | 'consumers' | 'producer' | 'network' | 'dedupe' | 'mode' | 'horizonMs'
  >,
  kind: BrokerKind,
): string[] {
  const problems = contradictions(config, kind);
  if (config.broker.kind !== 'queue') problems.push('broker.kind: log brokers have no live harness (allowed: queue)');
  config.faults.forEach((fault, i) => {
    if (fault.type === 'broker-crash' || fault.type === 'leader-failover' || fault.type === 'dlq-redrive')
      problems.push(
        `faults[${i}]: a ${fault.type} is the server's own; live runs inject client-side faults only (allowed: consumer-crash, partition)`,
      );
  });
  problems.push(...scheduleProblems(config, kind));
  problems.push(...leaseProblems(config, kind));
  if (config.producer.delayMs !== 0)
    problems.push('producer.delayMs: delayed messages are not run live yet (allowed: 0)');
  if (config.producer.keys.count > 0 || config.broker.messageGroups)
    problems.push('producer.keys, broker.messageGroups: keys and message groups are not run live yet (allowed: none)');
  if (config.consumers.stall.probability > 0)
    problems.push('consumers.stall.probability: stalls are not injected live (allowed: 0)');
  if (config.consumers.poisonRate > 0)
    problems.push('consumers.poisonRate: poison messages are not injected live (allowed: 0)');
  if (config.producer.crash.probability > 0)
    problems.push('producer.crash: producer crashes are not injected live (allowed: probability 0)');
  if (config.dedupe.windowMs > 0 || config.dedupe.capacity > 0)
    problems.push('dedupe: a window or capacity is not modelled live (allowed: windowMs 0, capacity 0)');
  for (const link of ['publish', 'confirm', 'deliver', 'ack'] as const) {
    if (config.network[link].duplicate > 0)
      problems.push(`network.${link}.duplicate: duplicated transmissions are not injected live (allowed: 0)`);
  }
  return problems;
}

/** A schedule of timeouts live: JetStream's BackOff (MaxDeliver above its length); no other broker has one. */
function scheduleProblems(config: Pick<SimulationConfig, 'broker'>, kind: BrokerKind): string[] {
  const { visibilityTimeoutsMs: schedule, maxDeliveries } = config.broker;
  if (schedule.length === 0) return [];
  if (kind !== 'nats')
    return [`broker.visibilityTimeoutsMs: ${BROKER_NAME[kind]} has one timeout for every delivery (allowed: [])`];
  if (maxDeliveries > 0 && maxDeliveries <= schedule.length)
    return [
      `broker.visibilityTimeoutsMs: JetStream wants MaxDeliver (maxDeliveries, ${maxDeliveries}) above the BackOff's length (allowed: at most ${maxDeliveries - 1} entries)`,
    ];
  if (schedule.some((ms) => ms <= 0))
    return ['broker.visibilityTimeoutsMs: a BackOff entry of 0 is refused by JetStream (allowed: above 0)'];
  return [];
}
