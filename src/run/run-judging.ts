// Judging a run: each check of a mode over its runs (the determinism check included), a result that
// tested nothing, and a report's overall verdict.
import type { ScenarioCheck } from '../scenario/types.js';
import type { RunsAggregate } from './aggregate.js';
import { judgeRuns, nothingTested, type CheckResult, type RunsVerdict } from './checks.js';
import { ExitCode, exitCodeOf, FORMAT_VERSION, type Report } from './report.js';
import type { RunRecord } from './runs.js';
import { STATE_CHECK } from './user-code.js';

/** Judges the determinism check: fails at the first run whose replay differed. */
function judgeDeterminism(records: readonly RunRecord[]): RunsVerdict {
  const differing = records.find((r) => r.deterministic === false);
  if (differing !== undefined)
    return {
      status: 'fail',
      actual: 0,
      seed: differing.seed,
      reason: `fingerprint ${differing.fingerprint} was not repeated${differing.divergence === undefined ? '' : `: ${differing.divergence}`}`,
    };
  return { status: 'pass', actual: 1 };
}

/** Judges checks over runs (one run included); `configured` names the faults the mode could meet. */
export function judgeAll(
  checks: readonly ScenarioCheck[],
  mode: string,
  records: readonly RunRecord[],
  summary: RunsAggregate | undefined,
  configured: readonly string[] = summary?.configuredFaults ?? [],
): CheckResult[] {
  return checks.map((c) => {
    const verdict =
      c.determinism === true ? judgeDeterminism(records) : judgeRuns(c.check, records, summary, configured);
    const result: CheckResult = {
      expr: c.check.expr,
      mode,
      source: c.source,
      status: verdict.status,
      ok: verdict.status === 'pass',
      actual: verdict.actual,
    };
    if (summary !== undefined && verdict.seed !== undefined) result.seed = verdict.seed;
    if (verdict.reason !== undefined) result.reason = verdict.reason;
    // The handler's check says what is wrong, in the run that broke it.
    const broken = records.find((r) => r.seed === (verdict.seed ?? r.seed) && (r.stateCheck ?? '') !== '');
    if (c.check === STATE_CHECK && verdict.status === 'fail' && broken !== undefined)
      result.reason = broken.stateCheck!;
    return result;
  });
}

/** A result's `inconclusive` field when its runs produced no message: exit 3 even without checks. */
export function nothingTestedField(records: readonly RunRecord[]): { inconclusive?: string } {
  const why = nothingTested(records);
  return why === undefined ? {} : { inconclusive: `nothing was tested: ${why}` };
}

/** Wraps scenario results into a report, with its overall verdict. */
export function reportOf(
  scenarios: Report['scenarios'],
  options: { kind: 'run' | 'runs'; interrupted?: boolean },
): Report {
  const interrupted = options.interrupted === true;
  const report: Report = { formatVersion: FORMAT_VERSION, kind: options.kind, ok: true, scenarios };
  if (interrupted) report.interrupted = true;
  // ok is exit 0: every check passed and no result is inconclusive (nothing tested), and the run was not cut.
  report.ok = !interrupted && exitCodeOf(report) === ExitCode.ok;
  return report;
}
