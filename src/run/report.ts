// The report of a `run`: what every formatter reads. Its JSON form is a documented contract.
import type { RunsAggregate } from './aggregate.js';
import type { AuditFacts } from './audit-facts.js';
import type { CheckResult } from './checks.js';
import type { Measured } from './metrics.js';
import type { RunRecord } from './runs.js';

/** Version of the JSON report format (3: every report says its `kind`). */
export const FORMAT_VERSION = 3;

/**
 * The shape of a `Report`: one run per mode (`run`), many runs per mode (`runs`: `--runs N`,
 * `--shard`, `merge`), or an audit of a real log (`audit`). Sweeps and comparisons have their own.
 */
export type ReportKind = 'run' | 'runs' | 'audit';

/** One mode's results in one scenario. */
export interface ModeResult extends Measured {
  mode: string;
  /** Fingerprint of the run's sequence of choices: equal fingerprints, equal runs. */
  fingerprint: string;
  checks: CheckResult[];
  /** Set when the result audits a real system's log (`acksim audit`) instead of a simulated run. */
  audit?: AuditFacts;
  /** Set when the result can support no verdict (an audit of a log with nothing in it): why. Exit 3 unless a check
   * failed. */
  inconclusive?: string;
}

/** One scenario's results. */
export interface ScenarioResult {
  name: string;
  file: string;
  summary: string;
  /** The broker profile the scenario runs with, if any. */
  profile?: string;
  seed: number;
  messages: number;
  /** The command that replays exactly this run. */
  reproduce: string;
  results: ModeResult[];
}

/** One mode's results over many runs (`--runs N`). */
export interface ModeRunsResult {
  mode: string;
  aggregate: RunsAggregate;
  checks: CheckResult[];
  /** The command that replays the worst run of this mode (by loss, then duplicates). */
  worstRun: string;
  /** Every run, in seed order: what `acksim merge` needs to rebuild the aggregates exactly. */
  runs: RunRecord[];
  /** Set when no run produced a message: nothing was tested (exit 3 unless a check failed). */
  inconclusive?: string;
}

/** One scenario's results over many runs. */
export interface ScenarioRunsResult {
  name: string;
  file: string;
  summary: string;
  /** The broker profile the scenario runs with, if any. */
  profile?: string;
  /** The first seed; runs use seed, seed + 1, ... seed + runs - 1. */
  seed: number;
  runs: number;
  /** Set on a shard's report: "i/n". `acksim merge` joins shards into the full report. */
  shard?: string;
  /** A hash of what was run (each mode's configuration and checks): only shards of one batch merge. */
  batch: string;
  messages: number;
  /** The command that replays exactly this batch. */
  reproduce: string;
  results: ModeRunsResult[];
}

/** A whole report. */
export interface Report {
  formatVersion: typeof FORMAT_VERSION;
  kind: ReportKind;
  ok: boolean;
  /** Set when Ctrl-C stopped the work: the report holds what finished. */
  interrupted?: boolean;
  scenarios: Array<ScenarioResult | ScenarioRunsResult>;
}

/** True for a scenario result over many runs. */
export function isRunsResult(scenario: ScenarioResult | ScenarioRunsResult): scenario is ScenarioRunsResult {
  return 'runs' in scenario;
}

/** Process exit codes, a documented contract. */
export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  badInput: 2,
  inconclusive: 3,
  internal: 70,
  interrupted: 130,
} as const;

/** All judged checks of a report. */
export function allChecks(report: Report): CheckResult[] {
  return report.scenarios.flatMap((s) => (s.results as Array<{ checks: CheckResult[] }>).flatMap((r) => r.checks));
}

/** Why results of the report support no verdict at all (see ModeResult.inconclusive). */
export function inconclusiveReasons(report: Report): string[] {
  return report.scenarios.flatMap((s) =>
    (s.results as Array<{ inconclusive?: string }>).flatMap((r) => r.inconclusive ?? []),
  );
}

/**
 * The exit code a report calls for: a failed check beats an inconclusive one, or a result with nothing
 * in it; a report of nothing, or one that judged no check at all, is inconclusive (CI must not read a run
 * nobody asked anything of as a pass).
 */
export function exitCodeOf(report: Report): number {
  if (report.scenarios.length === 0) return ExitCode.inconclusive;
  const checks = allChecks(report);
  if (checks.length === 0) return ExitCode.inconclusive;
  if (checks.some((c) => c.status === 'fail')) return ExitCode.checkFailed;
  if (checks.some((c) => c.status === 'inconclusive') || inconclusiveReasons(report).length > 0)
    return ExitCode.inconclusive;
  return ExitCode.ok;
}
