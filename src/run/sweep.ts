// `sweep`: runs a scenario over a grid of one or two parameters (sweep-params.ts), every mode, optionally
// several runs per point, and reports each metric's mean per point and mode; merges a sweep's shards.
import { configProblems } from '../scenario/rules.js';
import type { Scenario, ScenarioConfig } from '../scenario/types.js';
import { aggregate, summarisedPaths } from './aggregate.js';
import { execute, type ExecuteOptions } from './execute.js';
import { FORMAT_VERSION } from './report.js';
import { createHash } from 'node:crypto';
import { batchFingerprint, reproduceCommand, selectedModes, shardSeeds, type RunOptions } from './run-scenario.js';
import type { RunRecord, RunTask } from './runs.js';
import { runConfig } from './prepare.js';
import { gridPoints, MAX_RUNS, SweepError, withParam, type Param, type ParamValue } from './sweep-params.js';

/** The value at a dotted path of a configuration (undefined when a step is missing or not an object). */
function valueAt(config: ScenarioConfig, path: string): unknown {
  let value: unknown = config;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The modes that set a swept parameter themselves (their value differs from the scenario's). The
 * sweep's value replaces theirs, so on that parameter they no longer differ: said in the report.
 */
export function overriddenModes(
  scenario: Scenario,
  params: readonly Param[],
  options: RunOptions,
): Array<{ path: string; modes: string[] }> {
  return params.flatMap((p) => {
    const own = JSON.stringify(valueAt(scenario.config, p.path));
    const modes = selectedModes(scenario, options)
      .filter((m) => JSON.stringify(valueAt(m.config, p.path)) !== own)
      .map((m) => m.mode.name);
    return modes.length === 0 ? [] : [{ path: p.path, modes }];
  });
}

/** One point's result for one mode: the mean of every metric, and its 95 % interval. */
export interface SweepCell {
  mode: string;
  mean: Record<string, number>;
  lower: Record<string, number>;
  upper: Record<string, number>;
  /** Runs of the point that produced no message (absent when none): they measured nothing. */
  untested?: number;
  /** Runs that stopped before every message was resolved (horizon or limits; absent when none). */
  unfinished?: number;
}

/** The cells whose runs measured nothing or stopped early, in words, one per cell; none when all ran whole. */
export function sweepDoubts(report: SweepReport): string[] {
  return report.points.flatMap(({ values, results }) =>
    results.flatMap((cell) => {
      const at = `${report.params.map((p, i) => `${p.path}=${String(values[i])}`).join(', ')} (${cell.mode})`;
      const what: string[] = [];
      if (cell.untested !== undefined) what.push(`${cell.untested} of ${report.runs} run(s) produced no message`);
      if (cell.unfinished !== undefined)
        what.push(`${cell.unfinished} of ${report.runs} run(s) stopped before every message was resolved`);
      return what.length === 0 ? [] : [`at ${at}: ${what.join('; ')}`];
    }),
  );
}

/** The sweep report. */
export interface SweepReport {
  formatVersion: typeof FORMAT_VERSION;
  kind: 'sweep';
  name: string;
  file: string;
  seed: number;
  runs: number;
  messages: number;
  params: Param[];
  metric: string;
  reproduce: string;
  /** A hash of what was run (configurations and grid): only shards of one sweep merge. */
  batch: string;
  points: Array<{ values: ParamValue[]; results: SweepCell[] }>;
  /** Set on a shard's report: "i/n" (a slice of the grid points). */
  shard?: string;
  /** Swept parameters that some modes set themselves: the sweep's value wins, so those modes no longer differ there. */
  overridden?: Array<{ path: string; modes: string[] }>;
  /** Set when Ctrl-C stopped the work: only the points that finished are reported. */
  interrupted?: boolean;
}

/** Runs the grid. */
export async function sweepScenario(
  scenario: Scenario,
  params: readonly Param[],
  metric: string,
  options: RunOptions,
  hooks: Omit<ExecuteOptions, 'workers'> = {},
): Promise<SweepReport> {
  const grid = gridPoints(params);
  // A shard takes a contiguous slice of the grid points (every seed of each).
  const [shardIndex, shardCount] = options.shard ?? [1, 1];
  const points = grid.slice(
    Math.floor(((shardIndex - 1) * grid.length) / shardCount),
    Math.floor((shardIndex * grid.length) / shardCount),
  );
  const modes = selectedModes(scenario, options);
  const runs = options.runs ?? 1;
  if (points.length * modes.length * runs > MAX_RUNS) {
    throw new SweepError(
      `${points.length} points × ${modes.length} modes × ${runs} runs is too many (allowed: at most ${MAX_RUNS} runs)`,
    );
  }
  const seeds = shardSeeds(options.seed ?? scenario.seed, runs, undefined);
  const tasks: RunTask[] = [];
  for (const point of points) {
    for (const { mode, config } of modes) {
      let pointConfig = config;
      params.forEach((p, i) => (pointConfig = withParam(pointConfig, p.path, point[i]!)));
      const problems = configProblems(pointConfig);
      if (problems.length > 0)
        throw new SweepError(
          `at ${params.map((p, i) => `${p.path}=${String(point[i])}`).join(', ')}: ${problems[0]!.message}`,
        );
      const simConfig = runConfig(pointConfig, mode, options);
      tasks.push({ config: simConfig, seeds, histograms: false });
    }
  }
  const finished = await execute(tasks, { ...hooks, workers: Math.max(1, options.workers ?? 1) });
  let index = 0;
  const paths = summarisedPaths();
  const report: SweepReport = {
    formatVersion: FORMAT_VERSION,
    kind: 'sweep',
    name: scenario.name,
    file: scenario.file,
    seed: seeds[0]!,
    runs,
    messages: options.messages ?? scenario.config.messages,
    params: params.map((p) => ({ path: p.path, spec: p.spec, values: [...p.values] })),
    metric,
    reproduce: `${reproduceCommand(scenario, seeds[0]!, { ...options, shard: undefined }).replace(/^acksim run/, 'acksim sweep')} ${params.map((p) => `--param ${p.path}=${p.spec}`).join(' ')} --metric ${metric}`,
    batch: `${batchFingerprint(scenario, { ...options, checks: [] })}-${createHash('sha256')
      .update(JSON.stringify(params.map((p) => p.values)))
      .digest('hex')
      .slice(0, 8)}`,
    points: [],
  };
  for (const values of points) {
    const batches = modes.map(() => finished[index++]);
    // A point some of whose runs did not finish (Ctrl-C) is left out, not reported half-done.
    if (batches.some((b) => b === undefined)) continue;
    report.points.push({
      values,
      results: modes.map(({ mode }, m) => cellOf(mode.name, batches[m]!, paths)),
    });
  }
  if (shardCount > 1) report.shard = `${shardIndex}/${shardCount}`;
  const overridden = overriddenModes(scenario, params, options);
  if (overridden.length > 0) report.overridden = overridden;
  if (finished.some((b) => b === undefined)) report.interrupted = true;
  return report;
}

/** One mode's cell at one point: every metric's mean and interval over its runs, and the runs that fell short. */
function cellOf(mode: string, records: readonly RunRecord[], paths: readonly string[]): SweepCell {
  const summary = aggregate(records, []);
  const pick = (field: 'mean' | 'lower' | 'upper') =>
    Object.fromEntries(paths.map((p) => [p, summary.metrics[p]![field]]));
  const cell: SweepCell = { mode, mean: pick('mean'), lower: pick('lower'), upper: pick('upper') };
  const untested = records.filter((r) => r.metrics.produced === 0).length;
  const unfinished = records.filter((r) => r.metrics.produced > 0 && r.endedBy !== 'resolved').length;
  if (untested > 0) cell.untested = untested;
  if (unfinished > 0) cell.unfinished = unfinished;
  return cell;
}

/** Joins sweep shards (disjoint slices of one grid) into the report of the whole grid. */
export function mergeSweeps(key: string, parts: readonly SweepReport[]): SweepReport {
  const first = parts[0]!;
  const same = (r: SweepReport) =>
    r.name === first.name &&
    r.file === first.file &&
    r.seed === first.seed &&
    r.runs === first.runs &&
    r.messages === first.messages &&
    r.metric === first.metric &&
    r.reproduce === first.reproduce &&
    r.batch === first.batch;
  for (const part of parts) {
    if (!same(part))
      throw new SweepError(
        `${key}: the shards come from different sweeps ("${first.reproduce}" and "${part.reproduce}")`,
      );
    if (part.interrupted === true)
      throw new SweepError(`${key}: a shard was interrupted and holds only part of its points`);
  }
  const grid = gridPoints(first.params.map((p) => ({ ...p, values: [...p.values] })));
  const byKey = new Map<string, SweepReport['points'][number]>();
  for (const part of parts) {
    for (const point of part.points) {
      const id = JSON.stringify(point.values);
      if (byKey.has(id))
        throw new SweepError(`${key}: point ${id} appears in two reports (the same shard given twice?)`);
      byKey.set(id, point);
    }
  }
  const missing = grid.filter((values) => !byKey.has(JSON.stringify(values)));
  if (missing.length > 0)
    throw new SweepError(
      `${key}: missing points ${missing
        .slice(0, 4)
        .map((v) => JSON.stringify(v))
        .join(', ')}${missing.length > 4 ? ` and ${missing.length - 4} more` : ''} (is a shard missing?)`,
    );
  const { shard: _shard, interrupted: _interrupted, points: _points, overridden, ...rest } = first;
  // Keys in the order a single sweep writes them, so the merged report is byte for byte that one.
  return {
    ...rest,
    points: grid.map((values) => byKey.get(JSON.stringify(values))!),
    ...(overridden === undefined ? {} : { overridden }),
  };
}
