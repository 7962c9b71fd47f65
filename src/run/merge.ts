// Joins the JSON reports of shards (`acksim run --runs N --shard i/n --format json`) into exactly the
// report one machine would have written: records are concatenated in seed order, then aggregates and
// checks are computed again from them.
import { parseCheck } from '../scenario/check-expression.js';
import { aggregate } from './aggregate.js';
import { FORMAT_VERSION, type ModeRunsResult, type Report, type ScenarioRunsResult } from './report.js';
import { DETERMINISM_CHECK, judgeAll, nothingTestedField, reportOf } from './run-scenario.js';
import type { RunRecord } from './runs.js';
import type { ScenarioCheck } from '../scenario/types.js';
import { mergeSweeps, type SweepReport } from './sweep.js';
import { SweepError } from './sweep-params.js';
import { histogramCount, HistogramError } from './latency.js';
import { documentProblems } from './document-problems.js';

/** A problem with the reports given to merge. */
export class MergeError extends Error {}

function worstRun(template: string, records: readonly RunRecord[]): string {
  let worst = records[0]!;
  for (const r of records) {
    if (
      r.metrics.lost > worst.metrics.lost ||
      (r.metrics.lost === worst.metrics.lost && r.metrics.duplicates > worst.metrics.duplicates)
    )
      worst = r;
  }
  return template.replace(/--seed \d+/, `--seed ${worst.seed}`);
}

function describeMissing(expected: readonly number[], present: ReadonlySet<number>): string {
  const missing = expected.filter((s) => !present.has(s));
  return missing.length <= 6 ? missing.join(', ') : `${missing.slice(0, 6).join(', ')} and ${missing.length - 6} more`;
}

/** The modes of a shard with their checks and configured faults, as text to compare. */
function verdictInputs(part: ScenarioRunsResult): string {
  return JSON.stringify(
    part.results.map((r) => [
      r.mode,
      r.checks.map((c) => [c.expr, c.mode, c.source]),
      [...r.aggregate.configuredFaults].sort(),
    ]),
  );
}

function mergeScenario(key: string, parts: readonly ScenarioRunsResult[]): ScenarioRunsResult {
  const first = parts[0]!;
  for (const part of parts) {
    if (
      part.seed !== first.seed ||
      part.runs !== first.runs ||
      part.messages !== first.messages ||
      part.reproduce !== first.reproduce
    ) {
      throw new MergeError(
        `${key}: the shards come from different runs ("${first.reproduce}" and "${part.reproduce}")`,
      );
    }
    if (part.batch !== first.batch) {
      throw new MergeError(
        `${key}: the shards ran different configurations or checks (batch ${first.batch} and ${part.batch}): run every shard from the same scenario file and flags`,
      );
    }
    // What decides the verdict (the modes, their checks, the faults each must meet) is the same in
    // every shard of one batch: a shard that says otherwise was edited.
    if (verdictInputs(part) !== verdictInputs(first)) {
      throw new MergeError(
        `${key}: the shards disagree on their modes, checks or configured faults (same batch ${first.batch}): was a report edited?`,
      );
    }
  }
  const expected = Array.from({ length: first.runs }, (_, i) => first.seed + i);
  const results: ModeRunsResult[] = first.results.map((modeResult) => {
    const records: RunRecord[] = [];
    const seen = new Set<number>();
    for (const part of parts) {
      const match = part.results.find((r) => r.mode === modeResult.mode);
      for (const record of match?.runs ?? []) {
        if (seen.has(record.seed))
          throw new MergeError(
            `${key} ${modeResult.mode}: seed ${record.seed} appears in two reports (the same shard given twice?)`,
          );
        seen.add(record.seed);
        records.push(record);
      }
    }
    if (seen.size !== expected.length) {
      throw new MergeError(
        `${key} ${modeResult.mode}: missing seeds ${describeMissing(expected, seen)} (is a shard missing?)`,
      );
    }
    records.sort((a, b) => a.seed - b.seed);
    const summary = aggregate(records, modeResult.aggregate.configuredFaults);
    const checks: ScenarioCheck[] = modeResult.checks.map((c) => {
      if (c.expr === DETERMINISM_CHECK.check.expr) return DETERMINISM_CHECK;
      const parsed = parseCheck(c.expr);
      if (!parsed.ok) throw new MergeError(`${key}: ${parsed.message}`);
      return { mode: c.mode, check: parsed.check, source: c.source };
    });
    return {
      mode: modeResult.mode,
      aggregate: summary,
      checks: judgeAll(checks, modeResult.mode, records, summary),
      worstRun: worstRun(modeResult.worstRun, records),
      runs: records,
      ...nothingTestedField(records),
    };
  });
  return {
    name: first.name,
    file: first.file,
    summary: first.summary,
    seed: first.seed,
    runs: first.runs,
    messages: first.messages,
    reproduce: first.reproduce,
    batch: first.batch,
    results,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** True when a parsed scenario result is a batch of runs with records (the schema checks the rest). */
function isRunsScenario(value: unknown): boolean {
  return (
    isObject(value) &&
    'runs' in value &&
    Array.isArray(value.results) &&
    value.results.every((r) => isObject(r) && Array.isArray(r.runs))
  );
}

/** True when the parsed reports are sweep reports (all of them). */
export function areSweeps(reports: readonly unknown[]): boolean {
  const kinds = reports.map((r) =>
    r !== null && typeof r === 'object' && (r as { kind?: unknown }).kind === 'sweep' ? 'sweep' : 'run',
  );
  if (kinds.includes('sweep') && kinds.includes('run'))
    throw new MergeError('cannot merge sweep reports with run reports');
  return kinds[0] === 'sweep';
}

/** Merges sweep shard reports (parsed JSON) into the report of the whole grid; `names` say which file each came from.
 * */
export function mergeSweepReports(
  reports: readonly unknown[],
  names: readonly string[] = reports.map((_, i) => `report ${i + 1}`),
): SweepReport {
  const groups = new Map<string, SweepReport[]>();
  reports.forEach((value, index) => {
    const report = value as SweepReport;
    const name = names[index]!;
    if (report.formatVersion !== FORMAT_VERSION || !Array.isArray(report.points) || !Array.isArray(report.params)) {
      throw new MergeError(`${name} is not an acksim sweep report of formatVersion ${FORMAT_VERSION}`);
    }
    const problems = documentProblems('sweep', value, 3);
    if (problems.length > 0) throw new MergeError(`${name}: not a valid sweep shard: ${problems.join('; ')}`);
    const key = `${report.name} (${report.file})`;
    groups.set(key, [...(groups.get(key) ?? []), report]);
  });
  if (groups.size !== 1)
    throw new MergeError(
      `the sweep reports come from ${groups.size} different scenarios (allowed: the shards of one sweep)`,
    );
  const [[key, parts]] = [...groups.entries()] as [[string, SweepReport[]]];
  try {
    return mergeSweeps(key, parts);
  } catch (error) {
    if (error instanceof SweepError) throw new MergeError(error.message);
    throw error;
  }
}

/** Why a run record does not add up (a hand-edited or corrupted shard), or undefined when it does. */
function inconsistency(record: RunRecord): string | undefined {
  const m = record.metrics;
  if (m.produced !== m.processed + m.lost + m.deadLettered - m.deadLetteredProcessed + m.unresolved)
    return 'its outcomes do not add up to produced';
  if (m.duplicates > m.processed || m.deadLetteredProcessed > m.deadLettered || m.expired > m.lost)
    return 'a part is larger than its whole';
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  if (m.lossRate !== ratio(m.lost, m.produced) || m.duplicateRate !== ratio(m.duplicates, m.processed))
    return 'its rates do not match its counts';
  return undefined;
}

/**
 * Why a run's latency histogram cannot be used, or undefined: it must decode safely and hold exactly
 * one latency per processed message ("" only for a run that processed nothing).
 */
function histogramProblem(record: RunRecord): string | undefined {
  const processed = record.metrics.processed;
  if (record.latencyHistogram === '')
    return processed === 0 ? undefined : `it is empty but ${processed} message(s) were processed`;
  try {
    const total = histogramCount(record.latencyHistogram);
    if (total !== processed) return `it holds ${total} latencies but ${processed} message(s) were processed`;
    return undefined;
  } catch (error) {
    if (error instanceof HistogramError) return error.message;
    throw error;
  }
}

/**
 * Merges shard reports (parsed JSON) into one report. Each is checked like any input first (the schema
 * of a shard report, then that every run adds up), so a corrupted or edited shard is refused by name
 * and never turns into a verdict. `names` say which file each report came from.
 */
export function mergeReports(
  reports: readonly unknown[],
  names: readonly string[] = reports.map((_, i) => `report ${i + 1}`),
): Report {
  const groups = new Map<string, ScenarioRunsResult[]>();
  reports.forEach((value, index) => {
    const name = names[index]!;
    const report = value as Partial<Report> | null;
    const version = (report as { formatVersion?: unknown } | null)?.formatVersion;
    if (typeof version === 'number' && version !== FORMAT_VERSION) {
      throw new MergeError(
        `${name} has formatVersion ${version}; this acksim merges ${FORMAT_VERSION} (write every shard with the same acksim)`,
      );
    }
    if (
      report === null ||
      typeof report !== 'object' ||
      report.formatVersion !== FORMAT_VERSION ||
      !Array.isArray(report.scenarios)
    ) {
      throw new MergeError(`${name} is not an acksim JSON report of formatVersion ${FORMAT_VERSION}`);
    }
    if (report.interrupted === true) throw new MergeError(`${name} was interrupted and holds only part of its shard`);
    for (const scenario of report.scenarios as unknown[]) {
      if (!isRunsScenario(scenario)) {
        const title = isObject(scenario) ? String(scenario.name) : String(scenario);
        throw new MergeError(`${name}: scenario "${title}" has no per-run records (run with --runs N --format json)`);
      }
    }
    const problems = documentProblems('runs', value, 3);
    if (problems.length > 0) throw new MergeError(`${name}: not a valid shard report: ${problems.join('; ')}`);
    for (const [i, scenario] of (report.scenarios as ScenarioRunsResult[]).entries()) {
      for (const [j, result] of scenario.results.entries()) {
        for (const [k, record] of result.runs.entries()) {
          const why = inconsistency(record);
          if (why !== undefined)
            throw new MergeError(
              `${name}: scenarios[${i}].results[${j}].runs[${k}] (seed ${record.seed}): ${why}; was the report edited?`,
            );
          const histogram = histogramProblem(record);
          if (histogram !== undefined)
            throw new MergeError(
              `${name}: ${scenario.name} ${result.mode}: the latency histogram of seed ${record.seed} cannot be decoded (${histogram}); was the report edited?`,
            );
        }
      }
      const key = `${scenario.name} (${scenario.file})`;
      groups.set(key, [...(groups.get(key) ?? []), scenario]);
    }
  });
  if (groups.size === 0) throw new MergeError('no scenarios to merge');
  return reportOf(
    [...groups.entries()].map(([key, parts]) => mergeScenario(key, parts)),
    { kind: 'runs' },
  );
}
