// Judges checks against measured results. A run that ended before every message was resolved can
// only settle a check when the metric's direction makes the answer final; otherwise it is inconclusive.
import { compare, type Check } from './check-expression.js';
import { growsOnly } from './metric-catalog.js';
import { valueAt, type Measured } from './metrics.js';

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
}

/** Metrics that describe how the run ended; they are facts even when it ended early. */
const RUN_FACTS = new Set(['unresolved', 'simulatedMs', 'events']);

/** Judges one check. */
export function judge(check: Check, measured: Measured): { status: CheckStatus; actual: number } {
  const actual = valueAt(measured, check.metric);
  const expected = check.against === undefined ? check.value : valueAt(measured, check.against);
  const holds = compare(actual, check.operator, expected);
  if (measured.endedBy === 'resolved' || RUN_FACTS.has(check.metric)) return { status: holds ? 'pass' : 'fail', actual };
  if (check.against === undefined && growsOnly(check.metric)) {
    // The value can only grow: an exceeded upper bound stays exceeded, a reached lower bound stays reached.
    const { operator } = check;
    if (!holds && (operator === '<' || operator === '<=' || (operator === '==' && actual > check.value))) return { status: 'fail', actual };
    if (holds && (operator === '>' || operator === '>=')) return { status: 'pass', actual };
  }
  return { status: 'inconclusive', actual };
}
