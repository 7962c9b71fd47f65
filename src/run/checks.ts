// Judges checks against measured results. A run that ended before every message was resolved can
// only settle a check when the metric's direction makes the answer final; otherwise it is inconclusive.
import { compare, type Check } from '../scenario/check-expression.js';
import { growsOnly } from '../scenario/metric-catalog.js';
import { valueAt, type Measured } from './metrics.js';
import { aggregate, aggregateValue, type RunsAggregate } from './aggregate.js';
import type { RunRecord } from './runs.js';
import { count } from '../number-text.js';

/** Verdict of one check. */
export type CheckStatus = 'pass' | 'fail' | 'inconclusive';

/** A judged check. */
export interface CheckResult {
  expr: string;
  mode: string;
  status: CheckStatus;
  ok: boolean;
  actual: number;
  source: 'scenario' | 'cli';
  /** Over many runs: the seed of the run that decided a bare check. */
  seed?: number;
  /** Why the check is inconclusive, when it is. */
  reason?: string;
}

/**
 * For a value that can only grow: true when more time cannot change the verdict. An exceeded upper bound
 * stays exceeded, a reached lower bound stays reached, and a value above the one a `==` or `!=` names
 * never comes back to it.
 */
function settled(operator: Check['operator'], holds: boolean, actual: number, expected: number): boolean {
  if (operator === '<' || operator === '<=') return !holds;
  if (operator === '>' || operator === '>=') return holds;
  return actual > expected;
}

/** Metrics that describe how the run ended; they are facts even when it ended early. */
const RUN_FACTS = new Set(['unresolved', 'simulatedMs', 'events']);

/** How a run that ended before every message was resolved stopped, in words (a check's inconclusive reason). */
export function stoppedEarly(measured: Measured): string {
  const open = `${count(measured.metrics.unresolved)} message(s) still unresolved`;
  switch (measured.endedBy) {
    case 'maxEvents':
      return `the run stopped at its event limit (maxEvents: ${count(measured.metrics.events)} events) with ${open}`;
    case 'maxPending':
      return `the run stopped with its event queue full (more events waiting than it may hold) with ${open}`;
    case 'horizon':
      return `the run reached its horizon (horizonMs) with ${open}`;
    default:
      return `the run ended with ${open}`;
  }
}

/** Judges one check. */
export function judge(check: Check, measured: Measured): { status: CheckStatus; actual: number } {
  const actual = valueAt(measured, check.metric);
  const expected = check.against === undefined ? check.value : valueAt(measured, check.against);
  const holds = compare(actual, check.operator, expected);
  if (measured.endedBy === 'resolved' || RUN_FACTS.has(check.metric))
    return { status: holds ? 'pass' : 'fail', actual };
  if (check.against === undefined && growsOnly(check.metric) && settled(check.operator, holds, actual, check.value)) {
    return { status: holds ? 'pass' : 'fail', actual };
  }
  return { status: 'inconclusive', actual };
}

/** A check judged over the runs of a batch. */
export interface RunsVerdict {
  status: CheckStatus;
  actual: number;
  /** The seed of the run that decided a bare check (the first failing one, or the worst). */
  seed?: number;
  /** Why the check is inconclusive, when it is. */
  reason?: string;
}

/**
 * Judges a check over runs (in seed order; one run is a batch of one). A bare check must hold in every
 * run; an aggregate check compares `aggregate(metric)`. A pass is inconclusive when nothing was tested:
 * no message was produced, or a fault the scenario configures for this mode (`configured`, by default
 * the summary's) never fired in any run. A pass that met no fault proves nothing.
 */
export function judgeRuns(
  check: Check,
  records: readonly RunRecord[],
  summary: RunsAggregate | undefined,
  configured: readonly string[] = summary?.configuredFaults ?? [],
): RunsVerdict {
  let verdict: RunsVerdict;
  if (check.aggregate === undefined) {
    const judged = records.map((r) => ({ seed: r.seed, ...judge(check, r) }));
    const failed = judged.find((j) => j.status === 'fail');
    const lowIsWorst = check.operator === '>' || check.operator === '>=';
    const worst = judged.reduce((a, b) => (lowIsWorst ? (b.actual < a.actual ? b : a) : b.actual > a.actual ? b : a));
    if (failed !== undefined) verdict = { status: 'fail', actual: failed.actual, seed: failed.seed };
    else if (judged.some((j) => j.status === 'inconclusive')) {
      const open = judged.filter((j) => j.status === 'inconclusive').length;
      const reason = records.length === 1 ? stoppedEarly(records[0]!) : `${open} run(s) ended with messages unresolved`;
      verdict = { status: 'inconclusive', actual: worst.actual, seed: worst.seed, reason };
    } else verdict = { status: 'pass', actual: worst.actual, seed: worst.seed };
  } else {
    const actual = aggregateValue(check.aggregate, check.metric, records, summary ?? aggregate(records, []));
    const incomplete = records.filter((r) => r.endedBy !== 'resolved').length;
    const holds = compare(actual, check.operator, check.value);
    // Means, minima, maxima and percentiles of values that can only grow can only grow too.
    const monotone = check.aggregate !== 'upper' && check.aggregate !== 'lower';
    if (incomplete === 0 || RUN_FACTS.has(check.metric)) verdict = { status: holds ? 'pass' : 'fail', actual };
    else if (monotone && growsOnly(check.metric) && settled(check.operator, holds, actual, check.value))
      verdict = { status: holds ? 'pass' : 'fail', actual };
    else {
      const reason =
        records.length === 1 ? stoppedEarly(records[0]!) : `${incomplete} run(s) ended with messages unresolved`;
      verdict = { status: 'inconclusive', actual, reason };
    }
  }
  // With no message at all, no verdict holds: a failure on nothing (a rate of 0 below its bound) is no
  // finding either, so it is inconclusive too, and never shrunk.
  const nothing = nothingTested(records) ?? unmeasuredLatency(check, records);
  if (nothing !== undefined) return { ...verdict, status: 'inconclusive', reason: nothing };
  return verdict.status === 'pass' ? { ...verdict, ...untested(records, configured) } : verdict;
}

/**
 * Why a check of latency supports no verdict, if so: latencyMs reads 0 where no message was processed (there
 * is no latency to measure), so no run may lack one; an aggregate over runs would average or bound those 0s.
 */
export function unmeasuredLatency(
  check: Check,
  records: readonly { metrics: { processed: number } }[],
): string | undefined {
  if (![check.metric, check.against ?? ''].some((metric) => metric.startsWith('latencyMs.'))) return undefined;
  const without = records.filter((r) => r.metrics.processed === 0).length;
  if (without === 0) return undefined;
  if (records.length === 1) return 'no message was processed: there is no latency to judge';
  return `${count(without)} of ${count(records.length)} runs processed no message: they have no latency to judge`;
}

/** Why a batch (one run or many) supports no verdict at all: no message was produced. */
export function nothingTested(records: readonly RunRecord[]): string | undefined {
  if (!records.every((r) => r.metrics.produced === 0)) return undefined;
  return records.length === 1 ? 'no message was produced' : 'no run produced a message';
}

/** Why a batch tested nothing, as an inconclusive verdict's fields, or nothing when it tested something. */
export function untested(records: readonly RunRecord[], configured: readonly string[]): Partial<RunsVerdict> {
  const one = records.length === 1;
  if (records.every((r) => r.metrics.produced === 0)) {
    return { status: 'inconclusive', reason: one ? 'no message was produced' : 'no run produced a message' };
  }
  const met = (fault: string) =>
    records.some((r) => ((r.faultsInjected as unknown as Record<string, number>)[fault] ?? 0) > 0);
  const unmet = configured.filter((fault) => !met(fault));
  if (unmet.length === 0) return {};
  return {
    status: 'inconclusive',
    reason: one ? `a configured fault never fired: ${unmet.join(', ')}` : `no run met ${unmet.join(', ')}`,
  };
}
