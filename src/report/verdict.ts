// One-line verdicts, shared by the human-readable formats.
import type { CheckResult } from '../run/checks.js';
import type { Report } from '../run/report.js';
import { allChecks, inconclusiveReasons } from '../run/report.js';

/** A verdict over some checks. */
export interface Verdict {
  status: 'pass' | 'fail' | 'inconclusive' | 'none';
  text: string;
}

/**
 * The verdict over a list of checks, and the reasons why some results support no verdict at all (a
 * log with nothing to audit): such a result is inconclusive with or without checks, never a pass.
 */
export function verdictOf(checks: readonly CheckResult[], inconclusiveResults: readonly string[] = []): Verdict {
  const failed = checks.filter((c) => c.status === 'fail').length;
  const inconclusive = checks.filter((c) => c.status === 'inconclusive').length;
  if (failed > 0) return { status: 'fail', text: `FAIL: ${failed} of ${checks.length} checks failed` };
  if (inconclusive > 0)
    return {
      status: 'inconclusive',
      text: `INCONCLUSIVE: ${inconclusive} of ${checks.length} checks could not be settled`,
    };
  if (inconclusiveResults.length > 0)
    return { status: 'inconclusive', text: `INCONCLUSIVE: ${inconclusiveResults[0]}` };
  if (checks.length === 0) return { status: 'none', text: 'INCONCLUSIVE: no checks, nothing was judged' };
  return { status: 'pass', text: `PASS: ${checks.length} checks` };
}

/** The closing line of a report. */
export function summaryLine(report: Report): string {
  const scenarios = report.scenarios.length;
  if (scenarios === 0) return 'INCONCLUSIVE: nothing was run (no scenario)';
  const verdict = verdictOf(allChecks(report), inconclusiveReasons(report));
  return `${verdict.text} in ${scenarios} scenario${scenarios === 1 ? '' : 's'}`;
}
