// `sweep`'s parameters: which scenario fields a sweep may vary, `--param path=from:to:step` or `a,b,c`
// parsed and checked against the field's schema, the grid of one or two of them, and a config with one set.
import type * as AjvModule from 'ajv';
import { createRequire } from 'node:module';
import { scenarioSchema } from '../scenario/scenario-validator.js';
import { parseUnit, UNIT_KEYWORD, type UnitKind } from '../scenario/units.js';
import type { ScenarioConfig } from '../scenario/types.js';

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
