// Turns a simulation's raw counters and per-message outcomes into the metrics of a report.
import { costOf } from './cost.js';
import { DUPLICATE_CAUSES, LOSS_CAUSES } from '../model/causes.js';
import type { SimulationResult, EndReason } from '../model/simulation.js';
import { ORDER_CAUSES } from '../model/order-book.js';
import type { TimeSeriesData } from '../model/time-series.js';
import { Outcome } from '../model/state.js';
import type { FaultCounters } from '../model/world.js';
import { InvariantError } from '../errors.js';
import { encodeHistogram, histogramOf, latencyOf, unencodedLatencyOf, type Latency } from './latency.js';

export type { Latency } from './latency.js';

/** The metrics of one run of one mode. */
export interface Metrics {
  produced: number;
  processed: number;
  lost: number;
  deadLettered: number;
  deadLetteredProcessed: number;
  expired: number;
  unresolved: number;
  duplicates: number;
  duplicateEffects: number;
  lossRate: number;
  duplicateRate: number;
  retryRate: number;
  publishAttempts: number;
  publishRetries: number;
  deliveries: number;
  redeliveries: number;
  suppressedDuplicates: number;
  visibilityTimeoutBreaches: number;
  maxQueueDepth: number;
  peakPublishPerSec: number;
  reordered: number;
  outOfOrder: number;
  groupBlockedMs: number;
  /** At the broker's list prices (0 without: see scenario/pricing.ts). */
  costUsd: number;
  costPerMillionDelivered: number;
  stateError: number;
  stateErrorAbs: number;
  latencyMs: Latency;
  simulatedMs: number;
  events: number;
}

/** Everything measured in one run of one mode. */
export interface Measured {
  endedBy: EndReason;
  metrics: Metrics;
  lossByCause: Record<string, number>;
  duplicatesByCause: Record<string, number>;
  /** The sink's state error by the cause of the anomaly behind it (only causes that add to it). */
  stateErrorByCause: Record<string, number>;
  faultsInjected: FaultCounters;
  /** With the handler's `check`: '' when it held over the final store, else what is wrong. */
  stateCheck?: string;
  /** With producer.keys: the messages of `outOfOrder` by why they came late (every cause, zeros included). */
  orderViolationsByCause?: Record<string, number>;
  /** With `--time-series`: the run's counters sampled on virtual time. */
  timeSeries?: TimeSeriesData;
}

/**
 * How far the sink's final state is from the state one effect per message gives. increment and append:
 * every extra effect adds `amount` (1 for append: a row), every message without an effect takes it
 * away; `net` is the signed sum (the balance error), `abs` the sum of the sizes (extra and missing do
 * not cancel). set: a repeat writes the same value, so only a key whose last write is not its newest
 * message's is wrong (a loss, or an older message redelivered after a newer one); both count such keys.
 */
export function stateErrorOf(result: SimulationResult): { net: number; abs: number; byCause: Record<string, number> } {
  const { effects, counters, sink, outcome, cause } = result;
  const byCause: Record<string, number> = {};
  const add = (name: string, value: number) => (byCause[name] = (byCause[name] ?? 0) + value);
  /** The cause behind a message without an effect: its loss cause, or what kept it from resolving. */
  const missingCause = (m: number) =>
    outcome[m] === Outcome.lost
      ? LOSS_CAUSES[cause[m]!]!
      : outcome[m] === Outcome.deadLettered
        ? 'deadLettered'
        : 'unresolved';
  if (sink.effect === 'set') {
    let wrong = 0;
    if (result.lastWriter === undefined) {
      for (let m = 0; m < counters.produced; m++) {
        if (effects[m] !== 0) continue;
        wrong++;
        add(missingCause(m), 1);
      }
    } else {
      const keys = result.lastWriter.length;
      for (let k = 0; k < Math.min(keys, counters.produced); k++) {
        // The newest message of key k: the largest id below produced with id % keys == k.
        const newest = k + Math.floor((counters.produced - 1 - k) / keys) * keys;
        const writer = result.lastWriter[k]!;
        if (writer === newest) continue;
        wrong++;
        // A stale value: the newest write never happened, or an older message was redelivered after it,
        // or (not a duplicate at all) its one effect simply came after the newest's: reordered.
        const stale = writer >= 0 ? DUPLICATE_CAUSES[cause[writer]!]! : 'unresolved';
        add(effects[newest] === 0 ? missingCause(newest) : stale === 'none' ? 'reordered' : stale, 1);
      }
    }
    return { net: wrong, abs: wrong, byCause };
  }
  const unit = sink.effect === 'append' ? 1 : sink.amount;
  let missing = 0;
  for (let m = 0; m < counters.produced; m++) {
    if (effects[m] === 0) {
      missing++;
      if (unit !== 0) add(missingCause(m), -unit);
    } else if (effects[m]! > 1 && unit !== 0) add(DUPLICATE_CAUSES[cause[m]!]!, unit * (effects[m]! - 1));
  }
  const extra = counters.duplicateEffects;
  // "+ 0" turns -0 (a negative amount times nothing) into 0.
  return { net: unit * (extra - missing) + 0, abs: Math.abs(unit) * (extra + missing), byCause };
}

/** Rounds to a microsecond, so float noise from Float32 storage does not reach reports. */
function micros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Nearest-rank percentile of sorted samples (0 when there are none). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/** Every loss cause and every duplicate cause at 0, in report order: copied per run (explore measures thousands). */
const ZERO_LOSSES: Readonly<Record<string, number>> = Object.fromEntries(LOSS_CAUSES.slice(1).map((c) => [c, 0]));
const ZERO_DUPLICATES: Readonly<Record<string, number>> = Object.fromEntries(
  DUPLICATE_CAUSES.slice(1).map((c) => [c, 0]),
);

/** No latency at all: what a measure without latencies reads (its percentiles 0). */
const NO_LATENCIES = new Float32Array(0);

/**
 * Computes the metrics and causes of a finished simulation, checking conservation on the way. Without
 * `latency`, every latency percentile is 0: for a caller that reads none (explore judges tens of thousands of
 * schedules, and only a check naming a latency needs them).
 */
export function measure(result: SimulationResult, latency = true): Measured {
  return measureWithHistogram(latency ? result : { ...result, latencies: NO_LATENCIES }, false).measured;
}

/** Whether a check reads a latency percentile (`latencyMs.p99 < 500`, or one on either side). */
export function readsLatency(check: { metric: string; against?: string }): boolean {
  return check.metric.startsWith('latencyMs.') || check.against?.startsWith('latencyMs.') === true;
}

/** The percentiles of a run's latencies, and their histogram encoded when asked (else ''). */
function latencyOfRun(latencies: Float32Array, encode: boolean): { latencyMs: Latency; encoded: string } {
  // Without encoding, no histogram at all (a single run loads neither hdr-histogram-js nor its WebAssembly).
  if (!encode) return { latencyMs: unencodedLatencyOf(latencies), encoded: '' };
  const histogram = histogramOf(latencies);
  const latencyMs = latencyOf(histogram);
  const encoded = encode ? encodeHistogram(histogram) : '';
  histogram.destroy();
  return { latencyMs, encoded };
}

/**
 * Measures a simulation; latency percentiles come from an HdrHistogram (3 significant digits), which
 * is also returned encoded when asked for, so runs can be pooled and merged later.
 */
export function measureWithHistogram(
  result: SimulationResult,
  encode: boolean,
): { measured: Measured; histogram: string } {
  const { counters } = result;
  const { processed, lost, deadLetteredUnprocessed, unresolved, lossByCause, duplicatesByCause } = outcomesOf(result);
  const deadLettered = counters.deadLettered;
  if (
    processed !== counters.processed ||
    lost !== counters.lost ||
    deadLetteredUnprocessed !== deadLettered - counters.deadLetteredProcessed
  )
    throw new InvariantError(
      `outcome counts disagree: processed ${processed}/${counters.processed}, lost ${lost}/${counters.lost}, dead-lettered without effect ${deadLetteredUnprocessed}/${deadLettered - counters.deadLetteredProcessed}`,
    );
  const { latencyMs, encoded } = latencyOfRun(result.latencies, encode);
  const state = stateErrorOf(result);
  const metrics: Metrics = {
    produced: counters.produced,
    processed,
    lost,
    deadLettered,
    deadLetteredProcessed: counters.deadLetteredProcessed,
    expired: lossByCause.expired!,
    unresolved,
    duplicates: counters.duplicates,
    duplicateEffects: counters.duplicateEffects,
    lossRate: ratio(lost, counters.produced),
    duplicateRate: ratio(counters.duplicates, processed),
    retryRate: ratio(counters.publishRetries + counters.redeliveries, counters.produced),
    publishAttempts: counters.publishAttempts,
    publishRetries: counters.publishRetries,
    deliveries: counters.deliveries,
    redeliveries: counters.redeliveries,
    suppressedDuplicates: counters.suppressedDuplicates,
    visibilityTimeoutBreaches: counters.visibilityTimeoutBreaches,
    maxQueueDepth: counters.maxQueueDepth,
    peakPublishPerSec: counters.peakPublishPerSec,
    reordered: counters.reordered,
    outOfOrder: counters.outOfOrder,
    groupBlockedMs: micros(counters.groupBlockedMs),
    ...costOf(result, processed),
    stateError: state.net,
    stateErrorAbs: state.abs,
    latencyMs,
    simulatedMs: micros(result.simulatedMs),
    events: result.events,
  };
  return {
    measured: {
      endedBy: result.endedBy,
      metrics,
      lossByCause,
      duplicatesByCause,
      stateErrorByCause: state.byCause,
      faultsInjected: { ...result.faults },
      ...(result.stateCheck === undefined ? {} : { stateCheck: result.stateCheck }),
      ...orderOf(result),
      ...(result.timeSeries === undefined ? {} : { timeSeries: result.timeSeries }),
    },
    histogram: encoded,
  };
}

/** Each message's outcome, counted, with the causes of losses and duplicates. */
function outcomesOf(result: SimulationResult) {
  const { counters, outcome, effects, cause } = result;
  const lossByCause: Record<string, number> = { ...ZERO_LOSSES };
  const duplicatesByCause: Record<string, number> = { ...ZERO_DUPLICATES };
  let processed = 0;
  let lost = 0;
  let deadLetteredUnprocessed = 0;
  let unresolved = 0;
  for (let m = 0; m < counters.produced; m++) {
    if (effects[m]! > 0) {
      processed++;
      if (effects[m]! > 1) duplicatesByCause[DUPLICATE_CAUSES[cause[m]!]!]!++;
    } else if (outcome[m] === Outcome.lost) {
      lost++;
      lossByCause[LOSS_CAUSES[cause[m]!]!]!++;
    } else if (outcome[m] === Outcome.deadLettered) {
      deadLetteredUnprocessed++;
    } else {
      unresolved++;
    }
  }
  return { processed, lost, deadLetteredUnprocessed, unresolved, lossByCause, duplicatesByCause };
}

/** With keys, the order violations by cause. */
function orderOf(result: SimulationResult): Pick<Measured, 'orderViolationsByCause'> {
  const byCause = result.orderByCause;
  if (byCause === undefined) return {};
  return { orderViolationsByCause: Object.fromEntries(ORDER_CAUSES.map((name, i) => [name, byCause[i]!])) };
}

/** What the check of the handler's `check` reads: 1 when it failed over the final store, else 0. */
export const STATE_CHECK_METRIC = 'stateCheckFailed';

/** Reads the value a check names (`latencyMs.p99`, `lossByCause.expired`, ...). */
export function valueAt(measured: Measured, path: string): number {
  const dot = path.indexOf('.');
  if (path === STATE_CHECK_METRIC) return measured.stateCheck === undefined || measured.stateCheck === '' ? 0 : 1;
  if (dot < 0) return (measured.metrics as unknown as Record<string, number>)[path] ?? 0;
  const family = path.slice(0, dot);
  const key = path.slice(dot + 1);
  const table: Record<string, unknown> =
    family === 'audit'
      ? ((measured as { audit?: Record<string, unknown> }).audit ?? {})
      : family === 'latencyMs'
        ? (measured.metrics.latencyMs as unknown as Record<string, unknown>)
        : family === 'lossByCause'
          ? measured.lossByCause
          : family === 'duplicatesByCause'
            ? measured.duplicatesByCause
            : family === 'stateErrorByCause'
              ? measured.stateErrorByCause
              : family === 'orderViolationsByCause'
                ? (measured.orderViolationsByCause ?? {})
                : measured.faultsInjected;
  return Number(table[key] ?? 0);
}
