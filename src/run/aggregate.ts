// Statistics over the runs of one mode: per metric the mean, a 95 % interval, min, max and the seed
// of the worst run; totals of causes; how many runs met each fault; pooled latency percentiles.
import {
  DUPLICATE_CAUSE_NAMES,
  FAULT_NAMES,
  LATENCY_FIELDS,
  LOSS_CAUSE_NAMES,
  METRICS,
} from '../scenario/metric-catalog.js';
import { ORDER_CAUSES } from '../model/order-book.js';
import { percentile, valueAt, type Latency } from './metrics.js';
import { pooledLatency } from './latency.js';
import type { RunRecord } from './runs.js';
import { mean, meanInterval, wilson } from './stats.js';

/** Summary of one metric over runs. */
export interface MetricSummary {
  mean: number;
  lower: number;
  upper: number;
  /** How the interval was computed: Wilson score on pooled counts, or normal on per-run values. */
  interval: 'wilson' | 'normal';
  min: number;
  max: number;
  /** Seed of the run with the worst value (the highest, or the lowest for `processed`). */
  worstSeed: number;
}

/** Everything aggregated over the runs of one mode. */
export interface RunsAggregate {
  runs: number;
  /** Runs that ended with every message resolved. */
  complete: number;
  metrics: Record<string, MetricSummary>;
  lossByCause: Record<string, number>;
  duplicatesByCause: Record<string, number>;
  stateErrorByCause: Record<string, number>;
  faultsInjected: Record<string, number>;
  /** With producer.keys: messages out of order, by cause, over all runs. */
  orderViolationsByCause?: Record<string, number>;
  /** Faults the configuration makes possible. */
  configuredFaults: string[];
  /** For each fault: in how many runs it happened at least once. */
  coverage: Record<string, number>;
  /** Latency percentiles of all runs' messages together (from merged histograms), ms. */
  pooledLatencyMs: Latency;
}

/** Metrics whose interval is a Wilson interval on pooled counts: [numerator, denominator]. */
const PROPORTIONS: Record<string, [string, string]> = {
  lossRate: ['lost', 'produced'],
  duplicateRate: ['duplicates', 'processed'],
};

/** Metrics where a lower value is the worse one. */
const HIGHER_IS_BETTER = new Set(['processed']);

/** The flat paths summarised per metric. */
export function summarisedPaths(): string[] {
  return [...METRICS.map((m) => m.name), ...LATENCY_FIELDS.map((f) => `latencyMs.${f}`)];
}

export { configuredFaults } from '../model/fault-kinds.js';

/** The smallest value (a loop: spreading a million values would overflow the stack). */
function smallest(values: readonly number[]): number {
  let out = Infinity;
  for (const v of values) if (v < out) out = v;
  return out;
}

/** The largest value. */
function largest(values: readonly number[]): number {
  let out = -Infinity;
  for (const v of values) if (v > out) out = v;
  return out;
}

function summarise(path: string, records: readonly RunRecord[]): MetricSummary {
  const values = records.map((r) => valueAt(r, path));
  const higherIsBetter = HIGHER_IS_BETTER.has(path);
  let worst = 0;
  values.forEach((v, i) => {
    if (higherIsBetter ? v < values[worst]! : v > values[worst]!) worst = i;
  });
  const proportion = PROPORTIONS[path];
  let interval;
  if (proportion !== undefined) {
    let k = 0;
    let n = 0;
    for (const r of records) {
      k += valueAt(r, proportion[0]);
      n += valueAt(r, proportion[1]);
    }
    interval = wilson(k, n);
  } else {
    interval = meanInterval(values);
  }
  return {
    mean: mean(values),
    lower: interval.lower,
    upper: interval.upper,
    interval: proportion === undefined ? 'normal' : 'wilson',
    min: smallest(values),
    max: largest(values),
    worstSeed: records[worst]!.seed,
  };
}

function totals(tables: ReadonlyArray<Record<string, number>>, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  for (const table of tables) for (const [key, value] of Object.entries(table)) out[key] = (out[key] ?? 0) + value;
  return out;
}

/** Sums records of numbers key by key, keeping only keys that some record has. */
function nonZeroTotals(parts: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of parts) for (const [key, value] of Object.entries(part)) out[key] = (out[key] ?? 0) + value;
  return out;
}

/** Aggregates the runs of one mode (in seed order). */
export function aggregate(records: readonly RunRecord[], faults: readonly string[]): RunsAggregate {
  const metrics: Record<string, MetricSummary> = {};
  for (const path of summarisedPaths()) metrics[path] = summarise(path, records);
  const coverage: Record<string, number> = {};
  for (const fault of FAULT_NAMES) {
    coverage[fault] = records.filter(
      (r) => ((r.faultsInjected as unknown as Record<string, number>)[fault] ?? 0) > 0,
    ).length;
  }
  return {
    runs: records.length,
    complete: records.filter((r) => r.endedBy === 'resolved').length,
    metrics,
    lossByCause: totals(
      records.map((r) => r.lossByCause),
      LOSS_CAUSE_NAMES,
    ),
    duplicatesByCause: totals(
      records.map((r) => r.duplicatesByCause),
      DUPLICATE_CAUSE_NAMES,
    ),
    stateErrorByCause: nonZeroTotals(records.map((r) => r.stateErrorByCause ?? {})),
    faultsInjected: totals(
      records.map((r) => r.faultsInjected as unknown as Record<string, number>),
      FAULT_NAMES,
    ),
    ...orderTotals(records),
    configuredFaults: [...faults],
    coverage,
    pooledLatencyMs: pooledLatency(
      records.map((r) => r.latencyHistogram),
      largest(records.map((r) => r.metrics.latencyMs.max)),
    ),
  };
}

/** The value an aggregate check compares: an aggregate of a metric over runs. */
export function aggregateValue(
  aggregateName: string,
  path: string,
  records: readonly RunRecord[],
  summary: RunsAggregate,
): number {
  const s = summary.metrics[path];
  switch (aggregateName) {
    case 'mean':
      return s?.mean ?? mean(records.map((r) => valueAt(r, path)));
    case 'upper':
    case 'lower': {
      if (s !== undefined) return aggregateName === 'upper' ? s.upper : s.lower;
      const interval = meanInterval(records.map((r) => valueAt(r, path)));
      return aggregateName === 'upper' ? interval.upper : interval.lower;
    }
    case 'min':
      return smallest(records.map((r) => valueAt(r, path)));
    case 'max':
      return largest(records.map((r) => valueAt(r, path)));
    default: {
      const sorted = records.map((r) => valueAt(r, path)).sort((a, b) => a - b);
      return percentile(sorted, Number(aggregateName.slice(1)));
    }
  }
}

/** With keys (every record has the table, its zeros left out), the order violations of the runs by cause. */
function orderTotals(records: readonly RunRecord[]): { orderViolationsByCause?: Record<string, number> } {
  if (records.length === 0 || records[0]!.orderViolationsByCause === undefined) return {};
  return {
    orderViolationsByCause: totals(
      records.map((r) => r.orderViolationsByCause ?? {}),
      ORDER_CAUSES,
    ),
  };
}
