// The report of a `run`: what every formatter reads. Its JSON form is a documented contract.
import type { CheckResult } from './checks.js';
import type { Measured } from './metrics.js';

/** Version of the JSON report format. */
export const FORMAT_VERSION = 1;

/** One mode's results in one scenario. */
export interface ModeResult extends Measured {
  mode: string;
  checks: CheckResult[];
}

/** One scenario's results. */
export interface ScenarioResult {
  name: string;
  file: string;
  summary: string;
  seed: number;
  messages: number;
  /** The command that replays exactly this run. */
  reproduce: string;
  results: ModeResult[];
}

/** A whole report. */
export interface Report {
  formatVersion: typeof FORMAT_VERSION;
  ok: boolean;
  scenarios: ScenarioResult[];
}

/** Process exit codes, a documented contract. */
export const ExitCode = { ok: 0, checkFailed: 1, badInput: 2, inconclusive: 3, internal: 70, interrupted: 130 } as const;

/** All judged checks of a report. */
export function allChecks(report: Report): CheckResult[] {
  return report.scenarios.flatMap((s) => s.results.flatMap((r) => r.checks));
}

/** The exit code a report calls for: a failed check beats an inconclusive one. */
export function exitCodeOf(report: Report): number {
  const checks = allChecks(report);
  if (checks.some((c) => c.status === 'fail')) return ExitCode.checkFailed;
  if (checks.some((c) => c.status === 'inconclusive')) return ExitCode.inconclusive;
  return ExitCode.ok;
}
