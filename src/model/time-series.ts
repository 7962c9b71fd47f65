// Time series of a run (issue 18): the run's counters sampled on virtual time every `sampleMs`, as levels (what the
// broker holds; what has been lost or dead-lettered so far) and rates per second over each interval. Sampling adds
// no event and changes nothing in the run (the simulation stops its kernel at each sample time and goes on), so a
// run with and without it has the same fingerprint and report. At most MAX_POINTS points: past that, neighbouring
// intervals merge (the interval doubles).
import type { Kernel, RunLimits, StopReason } from '../sim/kernel.js';
import type { Counters } from './world.js';

/** Most points a run's series keep. */
export const MAX_POINTS = 4096;

/** The series, in report order: levels, then rates per second. */
export const LEVEL_SERIES = ['stored', 'lost', 'deadLettered'] as const;
export const RATE_SERIES = [
  'publishesPerSec',
  'deliveriesPerSec',
  'redeliveriesPerSec',
  'effectsPerSec',
  'duplicateEffectsPerSec',
  'visibilityTimeoutBreachesPerSec',
] as const;

/** A run's sampled series, as the JSON report carries them. */
export interface TimeSeriesData {
  /** The interval between points, ms of virtual time (doubled as many times as the run was long). */
  sampleMs: number;
  /** Each point's time, ms: the end of its interval (the last one may be shorter: the run's end). */
  t: number[];
  /** Each series' value at each point. */
  series: Record<(typeof LEVEL_SERIES)[number] | (typeof RATE_SERIES)[number], number[]>;
}

/** The counters behind each rate series. */
function rateCounts(c: Counters): number[] {
  return [
    c.publishAttempts,
    c.deliveries,
    c.redeliveries,
    c.processed + c.duplicateEffects,
    c.duplicateEffects,
    c.visibilityTimeoutBreaches,
  ];
}

/** Samples a run's counters. */
export class TimeSeries {
  private sampleMs: number;
  /** When the next point is due. */
  nextMs: number;
  private readonly t: number[] = [];
  private readonly levels: number[][] = LEVEL_SERIES.map(() => []);
  /** Per rate series, the count within each interval (rates are made at the end). */
  private readonly counts: number[][] = RATE_SERIES.map(() => []);
  private last: number[];

  constructor(
    sampleMs: number,
    private readonly counters: Counters,
    /** What the broker holds now. */
    private readonly stored: () => number,
  ) {
    this.sampleMs = sampleMs;
    this.nextMs = sampleMs;
    this.last = rateCounts(counters);
  }

  /** Records the point at `timeMs` (a due sample time, or the run's end). */
  sample(timeMs: number): void {
    const c = this.counters;
    // The run's end at a sample's own time (what happened at that instant) joins that point.
    const again = this.t.at(-1) === timeMs;
    if (!again) this.t.push(timeMs);
    [this.stored(), c.lost, c.deadLettered].forEach((value, i) => {
      if (again) this.levels[i]![this.levels[i]!.length - 1] = value;
      else this.levels[i]!.push(value);
    });
    const now = rateCounts(c);
    now.forEach((value, i) => {
      if (again) this.counts[i]![this.counts[i]!.length - 1]! += value - this.last[i]!;
      else this.counts[i]!.push(value - this.last[i]!);
    });
    this.last = now;
    if (this.t.length >= MAX_POINTS) this.halve();
    this.nextMs = (Math.floor(timeMs / this.sampleMs) + 1) * this.sampleMs;
  }

  /** Merges neighbouring points: a level keeps the later value, a count adds up; the interval doubles. */
  private halve(): void {
    const pairs = <T>(values: T[], merge: (a: T, b: T) => T) => {
      const out: T[] = [];
      for (let i = 0; i < values.length; i += 2)
        out.push(i + 1 < values.length ? merge(values[i]!, values[i + 1]!) : values[i]!);
      values.splice(0, values.length, ...out);
    };
    pairs(this.t, (_a, b) => b);
    for (const level of this.levels) pairs(level, (_a, b) => b);
    for (const count of this.counts) pairs(count, (a, b) => a + b);
    this.sampleMs *= 2;
  }

  /** The series, with every count over its interval turned into a rate per second. */
  data(): TimeSeriesData {
    const t = this.t;
    const series: Record<string, number[]> = {};
    LEVEL_SERIES.forEach((name, i) => (series[name] = [...this.levels[i]!]));
    RATE_SERIES.forEach((name, i) => {
      series[name] = this.counts[i]!.map((n, j) => {
        const span = t[j]! - (j === 0 ? 0 : t[j - 1]!);
        return span > 0 ? Math.round((n * 1000 * 1000) / span) / 1000 : 0;
      });
    });
    // Times to the microsecond, as the report's other times.
    const times = t.map((ms) => Math.round(ms * 1000) / 1000);
    return { sampleMs: this.sampleMs, t: times, series };
  }
}

/**
 * The interval for a run that asks for none: about 500 points over the time it takes to send its messages (at least
 * 1 ms, a whole number of ms); a longer run merges its points past MAX_POINTS.
 */
export function defaultSampleMs(messages: number, ratePerSec: number): number {
  return Math.max(1, Math.round((messages / ratePerSec) * 2));
}

/**
 * Runs `kernel` within `limits` as Kernel.run does, stopping at each due sample time to take the point (the kernel
 * stops before the events at that time, so a point counts what happened before it).
 */
export function runSampled(kernel: Kernel, limits: RunLimits, series: TimeSeries): StopReason {
  const horizonMs = limits.horizonMs;
  const eventsAtStart = kernel.events;
  for (;;) {
    const budget = limits.budget === undefined ? undefined : limits.budget - (kernel.events - eventsAtStart);
    const slice: RunLimits = { ...limits, horizonMs: Math.min(horizonMs, series.nextMs) };
    if (budget !== undefined) slice.budget = budget;
    const reason = kernel.run(slice);
    if (reason !== 'horizon' || series.nextMs >= horizonMs) return reason;
    series.sample(kernel.now);
  }
}
