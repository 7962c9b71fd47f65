// `sweep`: runs a scenario over a grid of one or two parameters, every mode, optionally several runs
// per point, and reports each metric's mean per point and mode.
import type * as AjvModule from 'ajv';
import { createRequire } from 'node:module';
import { configProblems } from '../scenario/rules.js';
import { scenarioSchema } from '../scenario/scenario-validator.js';
import { parseUnit, UNIT_KEYWORD, type UnitKind } from '../scenario/units.js';
import type { Scenario, ScenarioConfig } from '../scenario/types.js';
import { aggregate, summarisedPaths } from './aggregate.js';
import { execute, type ExecuteOptions } from './execute.js';
import { FORMAT_VERSION } from './report.js';
import { createHash } from 'node:crypto';
import { batchFingerprint, reproduceCommand, selectedModes, shardSeeds, type RunOptions } from './run-scenario.js';
import type { RunTask } from './runs.js';
import { runConfig } from './prepare.js';

/** Most grid points a sweep may have. */
export const MAX_POINTS = 1000;
/** Most runs (points × modes × runs) a sweep may make. */
export const MAX_RUNS = 1_000_000;

/** A parameter value: what a scenario field takes. */
export type ParamValue = number | string | boolean;

/** One swept parameter. */
export interface Param {
  path: string;
  /** The values as the user wrote them (a range or a list). */
  spec: string;
  values: ParamValue[];
}

/** A problem with a --param. */
export class SweepError extends Error {}

type Json = Record<string, unknown>;

const SECTIONS = ['messages', 'producer', 'network', 'broker', 'consumers', 'dedupe', 'sink'];

/** The parameters of a duration distribution (`{dist: uniform, min, max}` and the others), in ms. */
const DISTRIBUTION_PARAMS = ['value', 'min', 'max', 'mean', 'stddev'] as const;

/** The schema of a distribution's parameter: a number of ms. */
const DISTRIBUTION_PARAM_SCHEMA: Json = { type: 'number', minimum: 0, [UNIT_KEYWORD]: 'ms' };

/** True for a field that takes a number of ms or a distribution. */
const isDuration = (property: Json): boolean => property.if !== undefined;

/** Every path a sweep may vary: the leaf fields of the scenario's sections, and each parameter of a duration's
 * distribution. */
export function sweepablePaths(): string[] {
  const out: string[] = [];
  const walk = (schema: Json, prefix: string): void => {
    for (const [key, property] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
      const path = `${prefix}${key}`;
      if (property.properties !== undefined) walk(property, `${path}.`);
      else out.push(path, ...(isDuration(property) ? DISTRIBUTION_PARAMS.map((p) => `${path}.${p}`) : []));
    }
  };
  for (const section of SECTIONS) {
    const property = (scenarioSchema.properties as Record<string, Json>)[section]!;
    if (property.properties !== undefined) walk(property, `${section}.`);
    else out.push(section);
  }
  return out;
}

function schemaAt(path: string): Json | undefined {
  let schema: Json = scenarioSchema;
  for (const part of path.split('.')) {
    if (isDuration(schema))
      return (DISTRIBUTION_PARAMS as readonly string[]).includes(part) ? DISTRIBUTION_PARAM_SCHEMA : undefined;
    const next = (schema.properties as Record<string, Json> | undefined)?.[part];
    if (next === undefined) return undefined;
    schema = next;
  }
  return schema;
}

/** The value at a dotted path of a configuration (undefined when a step is missing or not an object). */
function valueAt(config: ScenarioConfig, path: string): unknown {
  let value: unknown = config;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Json)[part];
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

function parseValue(text: string): ParamValue {
  const trimmed = text.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  const n = Number(trimmed);
  return trimmed !== '' && Number.isFinite(n) ? n : trimmed;
}

/** Rounds away binary noise (0.1 + 0.2) so grid values print as written. */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

let ajv: AjvModule.Ajv | undefined; // loaded (CommonJS, synchronously) with the first --param: merge does not

/** Parses `--param path=from:to:step` or `--param path=a,b,c`. */
export function parseParam(text: string): Param {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new SweepError(`--param ${text}: expected <path>=<from>:<to>:<step> or <path>=<a>,<b>,...`);
  const path = text.slice(0, eq).trim();
  const spec = text.slice(eq + 1).trim();
  const schema = schemaAt(path);
  if (schema === undefined || !sweepablePaths().includes(path)) {
    throw new SweepError(`--param ${text}: unknown parameter "${path}" (allowed: ${sweepablePaths().join(', ')})`);
  }
  let values: ParamValue[];
  if (spec.includes(':')) {
    const parts = spec.split(':').map((p) => Number(p));
    const [from, to, step] = parts as [number, number, number];
    if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p)) || step <= 0 || from > to) {
      throw new SweepError(
        `--param ${text}: bad range "${spec}" (allowed: <from>:<to>:<step> with from <= to and step > 0)`,
      );
    }
    const count = Math.floor((to - from) / step + 1e-9) + 1;
    if (count > MAX_POINTS)
      throw new SweepError(`--param ${text}: ${count} values is too many (allowed: at most ${MAX_POINTS} points)`);
    values = Array.from({ length: count }, (_, i) => tidy(from + i * step));
  } else {
    values = spec.split(',').map(parseValue);
    if (values.some((v) => v === '')) throw new SweepError(`--param ${text}: an empty value in "${spec}"`);
  }
  // A field that takes a unit takes it here too: --param broker.visibilityTimeoutMs=10s,30s,1min.
  const unit = (schema[UNIT_KEYWORD] ?? (schema.else as Json | undefined)?.[UNIT_KEYWORD]) as UnitKind | undefined;
  if (unit !== undefined) {
    values = values.map((value) => {
      if (typeof value !== 'string') return value;
      const parsed = parseUnit(value, unit);
      if (!parsed.ok) throw new SweepError(`--param ${text}: ${parsed.message}`);
      return parsed.value;
    });
  }
  ajv ??= new (createRequire(import.meta.url)('ajv') as typeof AjvModule).Ajv({ strict: false, discriminator: true });
  const check: AjvModule.ValidateFunction = ajv.compile(schema);
  for (const value of values) {
    if (!check(value)) {
      const problem = check.errors?.[0];
      const limits = ['minimum', 'maximum', 'exclusiveMinimum']
        .filter((k) => k in schema)
        .map((k) => `${k} ${String(schema[k] as number)}`);
      throw new SweepError(
        `--param ${text}: value ${JSON.stringify(value)} ${problem?.message ?? 'is not allowed'}${limits.length > 0 ? ` (${limits.join(', ')})` : ''}`,
      );
    }
  }
  return { path, spec, values };
}

/** The grid points of one or two parameters, the first varying slowest. */
export function gridPoints(params: readonly Param[]): ParamValue[][] {
  if (params.length === 0 || params.length > 2)
    throw new SweepError(`sweep takes one or two --param (got ${params.length})`);
  const points = params.reduce<ParamValue[][]>(
    (acc, p) => acc.flatMap((point) => p.values.map((v) => [...point, v])),
    [[]],
  );
  if (points.length > MAX_POINTS)
    throw new SweepError(`${points.length} grid points is too many (allowed: at most ${MAX_POINTS})`);
  return points;
}

/** A configuration with one parameter set (a copy; the original is untouched). */
export function withParam(config: ScenarioConfig, path: string, value: ParamValue): ScenarioConfig {
  const copy = structuredClone(config) as unknown as Json;
  const parts = path.split('.');
  const key = parts[parts.length - 1]!;
  let target = copy;
  for (const part of parts.slice(0, -1)) {
    const next = target[part];
    if (next === null || typeof next !== 'object') {
      // A distribution's parameter, where the duration is a plain number of ms.
      throw new SweepError(
        `--param ${path}: ${parts.slice(0, -1).join('.')} is ${JSON.stringify(next)} ms, not a distribution with ${key} (write it as a distribution in the scenario, e.g. {dist: uniform, min: 5, max: 20})`,
      );
    }
    target = next as Json;
  }
  if (target.dist !== undefined && !(key in target)) {
    throw new SweepError(
      `--param ${path}: ${parts.slice(0, -1).join('.')} is {dist: ${target.dist as string}}, which has no ${key} (allowed: ${Object.keys(
        target,
      )
        .filter((k) => k !== 'dist')
        .join(', ')})`,
    );
  }
  target[key] = value;
  return copy as unknown as ScenarioConfig;
}

/** One point's result for one mode: the mean of every metric, and its 95 % interval. */
export interface SweepCell {
  mode: string;
  mean: Record<string, number>;
  lower: Record<string, number>;
  upper: Record<string, number>;
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
      results: modes.map(({ mode }, m) => {
        const summary = aggregate(batches[m]!, []);
        const pick = (field: 'mean' | 'lower' | 'upper') =>
          Object.fromEntries(paths.map((p) => [p, summary.metrics[p]![field]]));
        return { mode: mode.name, mean: pick('mean'), lower: pick('lower'), upper: pick('upper') };
      }),
    });
  }
  if (shardCount > 1) report.shard = `${shardIndex}/${shardCount}`;
  const overridden = overriddenModes(scenario, params, options);
  if (overridden.length > 0) report.overridden = overridden;
  if (finished.some((b) => b === undefined)) report.interrupted = true;
  return report;
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
