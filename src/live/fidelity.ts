// The fidelity of the model: a live run's loss and duplicate rates, with their 95 % intervals, beside
// the simulator's prediction for the same scenario, mode and seed.
import type { SimulationConfig } from '../model/config.js';
import type { Measured } from '../run/metrics.js';
import { batchRateInterval, wilson, type Interval } from '../run/stats.js';

/** One rate measured live and predicted. */
export interface RateFidelity {
  live: number;
  interval: Interval;
  predicted: number;
  /** How far one model run may land from the model's expectation at this seed from timing alone (95 %, ± this). */
  modelSpread: number;
  /**
   * The prediction agrees: it lies inside the live run's 95 % interval, widened by the model's spread
   * where there is one (each side's half-width and the spread added in quadrature).
   */
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
 * A live rate and its 95 % interval: the wider of Wilson's (messages independent) and the batch one
 * (outcomes clustered: one closed channel or claim sweep duplicates many messages at once). The
 * prediction is one model run at the live run's seed (the same faults); where timing alone scatters
 * that run (`spreadSd`, a standard deviation), the two are two draws and the verdict allows for both.
 */
function rate(count: Count, live: Measured, batches: readonly Measured[], predicted: number, spreadSd: number): RateFidelity {
  const [k, n] = count(live.metrics);
  const pairs = batches.map((b) => count(b.metrics));
  const independent = wilson(k, n);
  const clustered =
    pairs.length >= 2
      ? batchRateInterval(
          pairs.map(([bk]) => bk),
          pairs.map(([, bn]) => bn),
        )
      : independent;
  const interval = { lower: Math.min(independent.lower, clustered.lower), upper: Math.max(independent.upper, clustered.upper) };
  const value = n === 0 ? 0 : k / n;
  const modelSpread = 1.96 * spreadSd;
  const lower = value - Math.hypot(value - interval.lower, modelSpread);
  const upper = value + Math.hypot(interval.upper - value, modelSpread);
  return { live: value, interval, predicted, modelSpread, inside: predicted >= lower && predicted <= upper };
}

/**
 * Compares a live run (its audit, whole and by batch of ids) with the simulator's run of the same
 * configuration, whose rates scatter from timing alone by `spread` (standard deviations).
 */
export function fidelityOf(
  mode: string,
  live: Measured,
  batches: readonly Measured[],
  simulated: Measured,
  spread: { lossRate: number; duplicateRate: number } = { lossRate: 0, duplicateRate: 0 },
): FidelityRow {
  const s = simulated.metrics;
  return {
    mode,
    produced: live.metrics.produced,
    lossRate: rate((m) => [m.lost, m.produced], live, batches, s.lossRate, spread.lossRate),
    duplicateRate: rate((m) => [m.duplicates, m.processed], live, batches, s.duplicateRate, spread.duplicateRate),
  };
}

/** The profile whose semantics each live broker has: the prediction uses it unless --profile names another. */
export const LIVE_PROFILE = { redis: 'redis-streams', rabbitmq: 'rabbitmq-quorum' } as const;

/** What the live harness cannot inject, or the broker cannot do, as one-line problems (field path: why). */
export function unsupportedLive(
  config: Pick<SimulationConfig, 'broker' | 'faults' | 'consumers' | 'producer' | 'network' | 'dedupe'>,
  kind: 'redis' | 'rabbitmq',
): string[] {
  const problems: string[] = [];
  // What the real broker does when a delivery is not acked in time, or its consumer goes away.
  const { visibilityTimeoutScope, requeueOnDisconnect } = config.broker;
  const rabbit = kind === 'rabbitmq';
  const fix = `(allowed: ${rabbit ? 'channel' : 'delivery'}; --profile ${LIVE_PROFILE[kind]} sets it)`;
  if (visibilityTimeoutScope !== (rabbit ? 'channel' : 'delivery'))
    problems.push(
      `broker.visibilityTimeoutScope: ${rabbit ? "RabbitMQ's consumer timeout closes the whole channel" : 'Redis claims one idle entry at a time'} ${fix}`,
    );
  if (config.broker.prefetchCountsUnacked !== rabbit)
    problems.push(
      `broker.prefetchCountsUnacked: ${rabbit ? "RabbitMQ's basic.qos counts the deliveries not yet acked" : 'XREADGROUP COUNT limits one read, not what is unacked'} (allowed: ${String(rabbit)}; --profile ${LIVE_PROFILE[kind]} sets it)`,
    );
  if (requeueOnDisconnect !== rabbit)
    problems.push(
      `broker.requeueOnDisconnect: ${rabbit ? 'RabbitMQ requeues the unacked deliveries of a closed connection' : 'Redis keeps a gone consumer’s entries pending until claimed'} (allowed: ${String(rabbit)}; --profile ${LIVE_PROFILE[kind]} sets it)`,
    );
  if (config.broker.kind !== 'queue') problems.push('broker.kind: log brokers have no live harness (allowed: queue)');
  config.faults.forEach((fault, i) => {
    if (fault.type === 'broker-crash' || fault.type === 'leader-failover')
      problems.push(
        `faults[${i}]: a ${fault.type} is the server's own; live runs inject client-side faults only (allowed: consumer-crash, partition)`,
      );
  });
  if (config.consumers.poisonRate > 0) problems.push('consumers.poisonRate: poison messages are not injected live (allowed: 0)');
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
