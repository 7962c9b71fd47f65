// The scenario schema for its validator: each subschema that recurs (a latency distribution, a link, a broker's
// fields, once at the top and again in every custom mode's overrides) is written once, under `definitions`, and
// referred to. ajv then compiles each such part as one function of its own (inlineRefs: false), which V8 compiles
// only when it is first called: the validator's code is a third of the size (1.1 MB inlined), and a process that
// reads a scenario spends some 15 ms on it instead of some 75 (import and first call; 2026-12-02). The schema
// `acksim schema` prints and the defaults read stay as they are.
//
// The branches of a union are never replaced: schema-issues.ts reads them (their types, constants and tags) from
// the union's own schema, and tells which branch an error came from by its schema path.

type Schema = Record<string, unknown>;

/** Keywords whose value maps names to subschemas, lists subschemas, or is one subschema. */
const MAPS = ['properties', 'patternProperties'];
const LISTS = ['anyOf', 'oneOf', 'allOf'];
const SINGLE = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else'];

const isSchema = (value: unknown): value is Schema =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A copy of `schema` with each subschema (`part`: the function each subschema goes through), its union branches
 * kept in place (`branch`: what each of them goes through instead).
 */
function mapParts(schema: Schema, part: (s: Schema) => Schema, branch: (s: Schema) => Schema): Schema {
  const out: Schema = { ...schema };
  for (const key of MAPS) {
    const map = schema[key];
    if (isSchema(map))
      out[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, isSchema(v) ? part(v) : v]));
  }
  for (const key of LISTS) {
    const list = schema[key];
    if (Array.isArray(list))
      out[key] = list.map((v: unknown) => (isSchema(v) ? (key === 'allOf' ? part(v) : branch(v)) : v));
  }
  for (const key of SINGLE) {
    const one = schema[key];
    if (isSchema(one)) out[key] = part(one);
    else if (Array.isArray(one)) out[key] = one.map((v: unknown) => (isSchema(v) ? part(v) : v));
  }
  return out;
}

/**
 * `schema` with every subschema of at least `minChars` characters (as JSON) that occurs twice or more written once,
 * under `definitions` (d0, d1, ...), and each occurrence a `$ref` to it. Equal subschemas validate alike, so the
 * schema accepts and rejects exactly what it did.
 */
export function withSharedParts(schema: Schema, minChars = 600): Schema {
  const seen = new Map<string, number>();
  const countBranch = (b: Schema): Schema => mapParts(b, count, countBranch);
  const count = (s: Schema): Schema => {
    const key = JSON.stringify(s);
    if (key.length >= minChars) seen.set(key, (seen.get(key) ?? 0) + 1);
    return mapParts(s, count, countBranch);
  };
  mapParts(schema, count, countBranch);
  const names = new Map<string, string>();
  for (const [key, times] of seen) if (times >= 2) names.set(key, `d${names.size}`);
  const definitions: Record<string, Schema> = {};
  const inBranch = (b: Schema): Schema => mapParts(b, shared, inBranch);
  const shared = (s: Schema): Schema => {
    const name = names.get(JSON.stringify(s));
    if (name === undefined) return mapParts(s, shared, inBranch);
    definitions[name] ??= mapParts(s, shared, inBranch);
    return { $ref: `#/definitions/${name}` };
  };
  const out = mapParts(schema, shared, inBranch);
  return names.size === 0 ? out : { ...out, definitions };
}
