// Defaults come from the schema itself, so a default is written once: in the schema, beside its
// description.
import { scenarioSchema } from './scenario-validator.js';
import type { ResolvedInput } from './types.js';

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The default value of every field of `schema` that has one, nested as the schema nests. */
export function defaultsOf(schema: unknown): Json {
  const out: Json = {};
  if (!isPlainObject(schema) || !isPlainObject(schema.properties)) return out;
  for (const [key, property] of Object.entries(schema.properties)) {
    if (!isPlainObject(property)) continue;
    if ('default' in property) out[key] = structuredClone(property.default);
    else if (isPlainObject(property.properties)) out[key] = defaultsOf(property);
  }
  return out;
}

/** Deep-merges `override` onto `base`: objects merge key by key, everything else replaces. */
export function merge<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T;
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(override)) {
    out[key] = key in base ? merge(base[key], value) : value;
  }
  return out as T;
}

/**
 * A scenario with nothing written: every default of the scenario schema. Its type is what the schema
 * infers with every field filled but those without a default (test/unit/scenario/scenario-defaults.test.ts
 * checks the schema gives every other field one): the one place that type is stated rather than inferred.
 */
export function scenarioDefaults(): ResolvedInput {
  return defaultsOf(scenarioSchema) as ResolvedInput;
}
