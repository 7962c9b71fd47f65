// A run's sampled points (time-series.ts) made into the report's series: levels as they were, counts as rates per
// second over each point's interval, and the SRE indicators of the seed documents (M1-M9) over time.
import { LOSS_CAUSES, type LossCause } from './causes.js';
import type { Counters } from './world.js';

/** Levels: what the broker and consumers held at each point, and the messages lost or dead-lettered so far. */
export const LEVEL_SERIES = [
  'stored',
  'ready',
  'inFlight',
  'delayed',
  'deadLetterQueue',
  'consumersUp',
  'consumerLag',
  'lost',
  'deadLettered',
] as const;
/** Rates per second over each point's interval. */
export const RATE_SERIES = [
  'publishesPerSec',
  'deliveriesPerSec',
  'redeliveriesPerSec',
  'effectsPerSec',
  'duplicateEffectsPerSec',
  'visibilityTimeoutBreachesPerSec',
  'lostPerSec',
] as const;
/** Indicators (null where a point has nothing to divide by). */
export const INDICATOR_SERIES = [
  'deliverySuccessRate',
  'duplicateEffectRate',
  'retriesPerMessage',
  'deadLettersPerHour',
  'latencyP50Ms',
  'latencyP99Ms',
  'dedupeHitRate',
] as const;

type Level = (typeof LEVEL_SERIES)[number];
type Rate = (typeof RATE_SERIES)[number];
type Indicator = (typeof INDICATOR_SERIES)[number];

/** A run's sampled series, as the JSON report carries them. */
export interface TimeSeriesData {
  /** The interval between points, ms of virtual time (doubled as many times as the run was long). */
  sampleMs: number;
  /** Each point's time, ms: the end of its interval (the last one may be shorter: the run's end). */
  t: number[];
  /** Each series' value at each point. */
  series: Record<Level | Rate, number[]> & Record<Indicator, (number | null)[]>;
  /** Losses per second by cause, for the causes the run met. */
  lostPerSecByCause: Partial<Record<LossCause, number[]>>;
}

/** The cumulative counts each point keeps, by name (their order is the snapshot's). */
export const CUMULATIVE = [
  'publishAttempts',
  'deliveries',
  'redeliveries',
  'effects',
  'duplicateEffects',
  'visibilityTimeoutBreaches',
  'lost',
  'deadLettered',
  'deadLetteredProcessed',
  'processed',
  'resolved',
  'produced',
  'retries',
  'dedupeHits',
] as const;
type Cumulative = (typeof CUMULATIVE)[number];

const CUMULATIVE_INDEX = Object.fromEntries(CUMULATIVE.map((name, i) => [name, i])) as Record<Cumulative, number>;

/** The cumulative counts now, in CUMULATIVE order. */
export function snapshot(c: Counters, dedupeHits: number): number[] {
  return [
    c.publishAttempts,
    c.deliveries,
    c.redeliveries,
    c.processed + c.duplicateEffects,
    c.duplicateEffects,
    c.visibilityTimeoutBreaches,
    c.lost,
    c.deadLettered,
    c.deadLetteredProcessed,
    c.processed,
    c.resolved,
    c.produced,
    c.publishRetries + c.redeliveries,
    dedupeHits,
  ];
}

/** The raw points (time-series.ts): times, probed levels and cumulative counts, a column of one value per point. */
export interface SeriesPoints {
  t: number[];
  levels: number[][];
  counts: number[][];
  /** Per loss cause code that occurred, the cumulative losses of that cause. */
  lossesByCause: Map<number, number[]>;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** The differences of a cumulative column, point by point. */
function steps(column: readonly number[]): number[] {
  return column.map((value, i) => value - (i === 0 ? 0 : column[i - 1]!));
}

/** A latency percentile of `values` (nearest rank), or null without any. */
function percentile(sorted: Float32Array, q: number): number | null {
  if (sorted.length === 0) return null;
  return round(sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!, 3);
}

interface DataOptions {
  sampleMs: number;
  latencies: Float32Array;
  /** The mode looks ids up in a dedupe store (else its hit rate is null). */
  dedupe: boolean;
}

/** The report's series of a run's points. */
export function seriesData(points: SeriesPoints, options: DataOptions): TimeSeriesData {
  const { t } = points;
  const count = (name: Cumulative) => points.counts[CUMULATIVE_INDEX[name]]!;
  const spansMs = steps(t);
  const perSec = (column: readonly number[]) =>
    steps(column).map((n, j) => (spansMs[j]! > 0 ? round((n * 1000) / spansMs[j]!, 3) : 0));
  const ratio = (a: readonly number[], b: readonly number[]) =>
    a.map((n, j) => (b[j]! > 0 ? round(n / b[j]!, 6) : null));
  const [ready, inFlight, delayed, held, consumersUp, consumerLag] = points.levels as [number[], ...number[][]];
  const stored = ready.map((n, j) => n + inFlight![j]! + delayed![j]! + held![j]!);
  const deadLetterQueue = held!.map((n, j) => n + count('deadLettered')[j]!);
  const effects = steps(count('effects'));
  const hits = steps(count('dedupeHits'));
  const resolved = count('resolved');
  const succeeded = resolved.map(
    (n, j) => n - count('lost')[j]! - (count('deadLettered')[j]! - count('deadLetteredProcessed')[j]!),
  );
  const processed = count('processed');
  const latencySlices = processed.map((n, j) => options.latencies.slice(j === 0 ? 0 : processed[j - 1]!, n).sort());
  const series = {
    stored,
    ready,
    inFlight: inFlight!,
    delayed: delayed!,
    deadLetterQueue,
    consumersUp: consumersUp!,
    consumerLag: consumerLag!,
    lost: [...count('lost')],
    deadLettered: [...count('deadLettered')],
    publishesPerSec: perSec(count('publishAttempts')),
    deliveriesPerSec: perSec(count('deliveries')),
    redeliveriesPerSec: perSec(count('redeliveries')),
    effectsPerSec: perSec(count('effects')),
    duplicateEffectsPerSec: perSec(count('duplicateEffects')),
    visibilityTimeoutBreachesPerSec: perSec(count('visibilityTimeoutBreaches')),
    lostPerSec: perSec(count('lost')),
    deliverySuccessRate: ratio(succeeded, resolved),
    duplicateEffectRate: ratio(steps(count('duplicateEffects')), effects),
    retriesPerMessage: ratio(count('retries'), count('produced')),
    deadLettersPerHour: perSec(count('deadLettered')).map((n) => round(n * 3600, 3)),
    latencyP50Ms: latencySlices.map((s) => percentile(s, 0.5)),
    latencyP99Ms: latencySlices.map((s) => percentile(s, 0.99)),
    dedupeHitRate: options.dedupe
      ? ratio(
          hits,
          hits.map((n, j) => n + effects[j]!),
        )
      : t.map(() => null),
  };
  const lostPerSecByCause: TimeSeriesData['lostPerSecByCause'] = {};
  for (const [cause, column] of [...points.lossesByCause].sort(([a], [b]) => a - b))
    lostPerSecByCause[LOSS_CAUSES[cause] as LossCause] = perSec(column);
  // Times to the microsecond, as the report's other times.
  return { sampleMs: options.sampleMs, t: t.map((ms) => round(ms, 3)), series, lostPerSecByCause };
}
