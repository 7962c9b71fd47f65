// Time series of a run (issue 18): the run's counters sampled on virtual time every `sampleMs`. Each point keeps
// the broker's levels then and the run's cumulative counts; the report's rates and indicators are made from the
// differences between points (time-series-data.ts). Sampling adds no event and changes nothing in the run (the
// simulation stops its kernel at each sample time and goes on), so a run with and without it has the same
// fingerprint and report. At most MAX_POINTS points: past that, every other point goes (the interval doubles; a
// level keeps its later value, and cumulative counts need nothing more).
import type { Kernel, RunLimits, StopReason } from '../sim/kernel.js';
import { LOSS_CAUSES } from './causes.js';
import { seriesData, snapshot, CUMULATIVE, type SeriesPoints, type TimeSeriesData } from './time-series-data.js';
import type { SimulationConfig } from './config.js';
import type { Counters, RequestCounts, World } from './world.js';

export { INDICATOR_SERIES, LEVEL_SERIES, RATE_SERIES, type TimeSeriesData } from './time-series-data.js';

/** Most points a run's series keep. */
export const MAX_POINTS = 4096;
/** Most points kept when no interval is asked for: half this to this many points, whatever the run's length. */
export const DEFAULT_POINTS = 1024;

/** Levels the broker and the consumers report at each point (see SeriesProbe). */
export const PROBED_LEVELS = ['ready', 'inFlight', 'delayed', 'heldDeadLetters', 'consumersUp', 'consumerLag'] as const;

/** What the broker and consumers hold now, in PROBED_LEVELS order. */
export interface SeriesProbe {
  levels(): readonly number[];
}

/** Samples a run's counters. */
export class TimeSeries {
  private sampleMs: number;
  /** When the next point is due. */
  nextMs: number;
  private readonly points: SeriesPoints = {
    t: [],
    levels: PROBED_LEVELS.map(() => []),
    counts: CUMULATIVE.map(() => []),
    lossesByCause: new Map(),
  };

  constructor(
    sampleMs: number,
    private readonly counters: Counters,
    private readonly requests: RequestCounts,
    private readonly probe: SeriesProbe,
    /** Losses so far by cause code (the ledger counts them while sampling). */
    private readonly lossTally: Int32Array,
    private readonly maxPoints: number = MAX_POINTS,
  ) {
    this.sampleMs = sampleMs;
    this.nextMs = sampleMs;
  }

  /** Records the point at `timeMs` (a due sample time, or the run's end). */
  sample(timeMs: number): void {
    const p = this.points;
    // The run's end at a sample's own time (what happened at that instant) replaces that point.
    if (p.t.at(-1) === timeMs) this.drop(p.t.length - 1);
    p.t.push(timeMs);
    this.probe.levels().forEach((value, i) => p.levels[i]!.push(value));
    snapshot(this.counters, this.requests.dedupeHits).forEach((value, i) => p.counts[i]!.push(value));
    for (let cause = 1; cause < LOSS_CAUSES.length; cause++) {
      const n = this.lossTally[cause]!;
      let column = p.lossesByCause.get(cause);
      if (column === undefined && n > 0)
        p.lossesByCause.set(cause, (column = new Array<number>(p.t.length - 1).fill(0)));
      column?.push(n);
    }
    if (p.t.length >= this.maxPoints) this.halve();
    this.nextMs = (Math.floor(timeMs / this.sampleMs) + 1) * this.sampleMs;
  }

  private columns(): number[][] {
    const p = this.points;
    return [p.t, ...p.levels, ...p.counts, ...p.lossesByCause.values()];
  }

  private drop(i: number): void {
    for (const column of this.columns()) column.splice(i, 1);
  }

  /** Keeps every second point, and the last; the interval doubles. */
  private halve(): void {
    for (const column of this.columns()) {
      const kept = column.filter((_v, i) => i % 2 === 1 || i === column.length - 1);
      column.splice(0, column.length, ...kept);
    }
    this.sampleMs *= 2;
  }

  /** The series as the report carries them; `latencies` are the run's first-effect latencies in effect order. */
  data(latencies: Float32Array, dedupe: boolean): TimeSeriesData {
    return seriesData(this.points, { sampleMs: this.sampleMs, latencies, dedupe });
  }
}

/** With config.sampleMs, the ledger's tally of losses by cause code; undefined otherwise. */
export function lossTallyOf(config: SimulationConfig): Int32Array | undefined {
  return config.sampleMs === undefined ? undefined : new Int32Array(LOSS_CAUSES.length);
}

/** With config.sampleMs, the run's sampler, reading levels from `probe`; undefined otherwise. */
export function samplerOf(world: World, probe: SeriesProbe): TimeSeries | undefined {
  const { config, counters, lossTally } = world;
  if (config.sampleMs === undefined || lossTally === undefined) return undefined;
  return new TimeSeries(config.sampleMs, counters, world.requests, probe, lossTally, config.samplePoints);
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
