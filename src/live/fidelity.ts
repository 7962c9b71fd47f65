// The fidelity of the model: a live run's loss and duplicate rates, with their 95 % intervals, beside
// the simulator's prediction for the same scenario, mode and seed.
import type { SimulationConfig } from '../model/config.js';
import type { Measured } from '../run/metrics.js';
import { wilson, type Interval } from '../run/stats.js';

/** One rate measured live and predicted. */
export interface RateFidelity {
  live: number;
  interval: Interval;
  predicted: number;
  /** The prediction lies inside the live run's 95 % interval. */
  inside: boolean;
}

/** One mode's comparison. */
export interface FidelityRow {
  mode: string;
  produced: number;
  lossRate: RateFidelity;
  duplicateRate: RateFidelity;
}

function rate(k: number, n: number, predicted: number): RateFidelity {
  const interval = wilson(k, n);
  return { live: n === 0 ? 0 : k / n, interval, predicted, inside: predicted >= interval.lower && predicted <= interval.upper };
}

/** Compares a live run (its audit) with the simulator's run of the same configuration. */
export function fidelityOf(mode: string, live: Measured, simulated: Measured): FidelityRow {
  const l = live.metrics;
  const s = simulated.metrics;
  return {
    mode,
    produced: l.produced,
    lossRate: rate(l.lost, l.produced, s.lossRate),
    duplicateRate: rate(l.duplicates, l.processed, s.duplicateRate),
  };
}

/** What the live harness cannot inject, as one-line problems (field path: why). */
export function unsupportedLive(
  config: Pick<SimulationConfig, 'broker' | 'faults' | 'consumers' | 'producer' | 'network' | 'dedupe'>,
): string[] {
  const problems: string[] = [];
  if (config.broker.kind !== 'queue') problems.push('broker.kind: log brokers have no live harness (allowed: queue)');
  if (config.faults.length > 0)
    problems.push('faults: scheduled broker crashes, partitions and consumer crashes are not injected live (allowed: none)');
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
