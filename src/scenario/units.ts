// Numbers with units in scenario files: a probability or rate as a percentage (`2%` is 0.02) and a
// field ending in Ms as a duration with its unit (`30s`, `500ms`, `2min`, `1h`). The schema marks
// those fields (`x-unit`) and allows the strings by pattern; before the schema checks the ranges,
// `normalizeUnits` turns every such string into the plain number the rest of acksim reads.
import { formatPath } from './positions.js';
import type { RuleProblem } from './positions.js';

/** What a unit-bearing field holds: a fraction (0.02) or milliseconds. */
export type UnitKind = 'fraction' | 'ms';

/** The schema keyword that marks a field taking a unit. */
export const UNIT_KEYWORD = 'x-unit';

/** Milliseconds per duration unit. */
export const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };

const NUMBER = '(?:\\d+(?:\\.\\d+)?|\\.\\d+)';

/** The strings the schema allows for each kind (editors check them as they are typed). */
export const UNIT_PATTERNS: Readonly<Record<UnitKind, string>> = {
  fraction: `^\\s*${NUMBER}\\s*%\\s*$`,
  ms: `^\\s*${NUMBER}\\s*(?:${Object.keys(DURATION_UNITS).join('|')})\\s*$`,
};

const ALLOWED: Readonly<Record<UnitKind, string>> = {
  fraction: 'a number from 0 to 1, or a percentage such as 2% or 0.5%',
  ms: `a number of ms, or a number with a unit (${Object.keys(DURATION_UNITS).join(', ')}) such as 500ms, 30s, 2min or 1h`,
};

/** Rounds away binary noise (2.3 / 100) so a value reads back as written; whole numbers are exact already. */
const tidy = (value: number): number => (Number.isInteger(value) ? value : Number(value.toPrecision(15)));

/** Reads `text` as a value of `kind`, or says why it cannot (one line, with what is allowed). */
export function parseUnit(text: string, kind: UnitKind): { ok: true; value: number } | { ok: false; message: string } {
  const match = new RegExp(`^\\s*(${NUMBER})\\s*([A-Za-z%]*)\\s*$`).exec(text);
  const unit = match?.[2] ?? '';
  if (match !== null && kind === 'fraction' && unit === '%') return { ok: true, value: tidy(Number(match[1]) / 100) };
  if (match !== null && kind === 'ms' && DURATION_UNITS[unit] !== undefined)
    return { ok: true, value: tidy(Number(match[1]) * DURATION_UNITS[unit]) };
  const hint =
    match === null
      ? `cannot read "${text}" as a number`
      : unit === ''
        ? `"${text}" is a number in quotes; write it without them`
        : unit === 'm'
          ? `"${text}": m is ambiguous (write min for minutes, ms for milliseconds)`
          : `"${text}": unknown unit "${unit}"`;
  return { ok: false, message: `${hint} (allowed: ${ALLOWED[kind]})` };
}

/** Writes a value of `kind` as its unit form: a percentage, or a duration in the largest unit that divides it. */
export function formatUnit(value: number, kind: UnitKind): string {
  if (kind === 'fraction') return `${tidy(value * 100)}%`;
  const [unit, factor] = Object.entries(DURATION_UNITS)
    .reverse()
    .find(([, f]) => value % f === 0) ?? ['ms', 1];
  return `${tidy(value / factor)}${unit}`;
}

type Json = Record<string, unknown>;

/** The alternatives a schema allows: its anyOf and oneOf branches, and the then and else of an if. */
function branchesOf(schema: Json): Json[] {
  return [
    ...((schema.anyOf as Json[] | undefined) ?? []),
    ...((schema.oneOf as Json[] | undefined) ?? []),
    ...(['then', 'else'] as const).flatMap((k) => (schema[k] === undefined ? [] : [schema[k] as Json])),
  ];
}

/** The schemas a key of an object may have: its property in the schema and in each branch. */
function propertySchemas(schema: Json, key: string): Json[] {
  const own = (schema.properties as Record<string, Json> | undefined)?.[key];
  return [...(own === undefined ? [] : [own]), ...branchesOf(schema).flatMap((b) => propertySchemas(b, key))];
}

/** The schemas an array's items may have. */
function itemSchemas(schema: Json): Json[] {
  return [...(schema.items === undefined ? [] : [schema.items as Json]), ...branchesOf(schema).flatMap(itemSchemas)];
}

/** The unit a value of these schemas takes, if any. */
function unitOf(schemas: readonly Json[]): UnitKind | undefined {
  for (const schema of schemas) {
    const kind = (schema[UNIT_KEYWORD] as UnitKind | undefined) ?? unitOf(branchesOf(schema));
    if (kind !== undefined) return kind;
  }
  return undefined;
}

/** What normalizeUnits did: the strings it could not read, and those it turned into numbers (by dotted path). */
export interface Normalized {
  problems: RuleProblem[];
  converted: Map<string, string>;
}

/**
 * Replaces, in place, every unit string of `data` (where `schema` marks a unit) by its number; returns
 * a problem for each string that is not a valid value with a unit.
 */
export function normalizeUnits(data: unknown, schema: Json, path: Array<string | number> = []): Normalized {
  const problems: RuleProblem[] = [];
  const converted = new Map<string, string>();
  const visit = (value: unknown, schemas: Json[], at: Array<string | number>, set: (v: number) => void): void => {
    const kind = unitOf(schemas);
    if (kind !== undefined && typeof value === 'string') {
      const parsed = parseUnit(value, kind);
      if (parsed.ok) {
        set(parsed.value);
        converted.set(formatPath(at), value);
      } else problems.push({ path: at, message: parsed.message });
      return;
    }
    if (Array.isArray(value)) {
      const items = schemas.flatMap(itemSchemas);
      value.forEach((item, i) => visit(item, items, [...at, i], (v) => (value[i] = v)));
    } else if (value !== null && typeof value === 'object') {
      const object = value as Json;
      for (const key of Object.keys(object)) {
        visit(
          object[key],
          schemas.flatMap((s) => propertySchemas(s, key)),
          [...at, key],
          (v) => (object[key] = v),
        );
      }
    }
  };
  visit(data, [schema], path, () => undefined);
  return { problems, converted };
}
