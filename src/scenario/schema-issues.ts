// Turns ajv's errors into one plain line per problem: unknown field, wrong type, out of range, not one
// of the allowed values. Errors from the branches of a union are folded into the branch that fits.
import type { ErrorObject } from 'ajv';
import type { FieldPath } from './positions.js';

/** A schema problem before it is given a file position. */
export interface SchemaProblem {
  path: FieldPath;
  /** True when the position should be the key (unknown fields), not the value. */
  atKey: boolean;
  message: string;
}

type Schema = Record<string, unknown>;

function toPath(instancePath: string): Array<string | number> {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Describes a value for "got ..." messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? 'nothing';
}

function constants(schema: unknown): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as Schema;
  if ('const' in s) return [String(s.const)];
  if (Array.isArray(s.enum)) return s.enum.map(String);
  const branches = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  return Array.isArray(branches) ? branches.flatMap(constants) : [];
}

function hasObjectBranch(schema: Schema): boolean {
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  return Array.isArray(branches) && branches.some((b) => b.type === 'object' || hasObjectBranch(b));
}

function range(schema: Schema): string | undefined {
  const min = (schema.minimum ?? schema.exclusiveMinimum) as number | undefined;
  const max = (schema.maximum ?? schema.exclusiveMaximum) as number | undefined;
  const low = schema.exclusiveMinimum !== undefined ? `> ${String(min)}` : `>= ${String(min)}`;
  if (min !== undefined && max !== undefined) return `${String(min)}..${String(max)}`;
  if (min !== undefined) return low;
  if (max !== undefined) return `<= ${String(max)}`;
  return undefined;
}

function message(error: ErrorObject): SchemaProblem | undefined {
  const path = toPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as Schema;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const { names, allowed } = fieldsOf(parent);
      const near = closest(key, names);
      const hint = near === undefined ? '' : `; did you mean "${near}"?`;
      return { path: [...path, key], atKey: true, message: `unknown field "${key}"${hint} (allowed: ${allowed})` };
    }
    case 'required':
      return { path, atKey: false, message: `missing required field "${String(params.missingProperty)}"` };
    case 'type': {
      const expected = String(params.type);
      const name = expected === 'object' ? 'mapping' : expected === 'array' ? 'list' : expected;
      // The article of the word shown ("an integer", "a list"), not of the schema's type name.
      const article = /^[aeiou]/.test(name) ? 'an' : 'a';
      return { path, atKey: false, message: `must be ${article} ${name}, got ${describe(error.data)}` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        path,
        atKey: false,
        message: `out of range: ${describe(error.data)} (allowed: ${range(parent) ?? '?'})`,
      };
    case 'const':
    case 'enum':
      return {
        path,
        atKey: false,
        message: `must be one of: ${constants(parent).join(', ')}; got ${describe(error.data)}`,
      };
    case 'discriminator': {
      const tag = String(params.tag);
      const allowed = constants({
        anyOf: ((parent.oneOf ?? []) as Schema[]).map((b) => (b.properties as Schema)[tag]),
      });
      if (params.error === 'tag' && (error.data as Schema | undefined)?.[tag] === undefined) {
        return { path, atKey: false, message: `missing required field "${tag}" (allowed: ${allowed.join(', ')})` };
      }
      return {
        path: [...path, tag],
        atKey: false,
        message: `must be one of: ${allowed.join(', ')}; got ${describe(params.tagValue)}`,
      };
    }
    case 'pattern':
      return { path, atKey: false, message: `must match ${String(params.pattern)}, got ${describe(error.data)}` };
    case 'minItems':
      return { path, atKey: false, message: `must have at least ${String(params.limit)} item(s)` };
    case 'minLength':
      return { path, atKey: false, message: 'must not be empty' };
    case 'if':
      return undefined;
    default:
      return { path, atKey: false, message: error.message ?? 'is not valid' };
  }
}

/** The allowed name closest to a misspelt one (at most 2 edits away, or a difference of case). */
function closest(key: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const d = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** A mapping schema's field names, and their list as messages show it (a hostile file can have 100,000 unknown
 * fields in one mapping: each is told the same list). */
const fieldLists = new WeakMap<Schema, { names: string[]; allowed: string }>();
function fieldsOf(schema: Schema): { names: string[]; allowed: string } {
  let fields = fieldLists.get(schema);
  if (fields === undefined) {
    const names = Object.keys(schema.properties ?? {});
    fields = { names, allowed: names.join(', ') };
    fieldLists.set(schema, fields);
  }
  return fields;
}

/** Two rows of editDistance's table, reused (names are at most 64 characters there). */
const rows = [new Int32Array(66), new Int32Array(66)] as const;

/** Levenshtein distance, for short field names (99 for lengths 3 or more apart, or a name over 64). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 64 || b.length > 64) return 99;
  let [previous, row] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [previous, row] = [row, previous];
  }
  return previous[b.length]!;
}

function within(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Folds ajv errors into one problem per mistake. */
export function schemaProblems(errors: readonly ErrorObject[]): SchemaProblem[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || (e.keyword === 'oneOf' && !isDiscriminated(e)));
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // The innermost union this error is a branch of, if any.
    const enclosing = unions
      .filter(
        (u) =>
          u !== error && error.schemaPath.startsWith(`${u.schemaPath}/`) && within(error.instancePath, u.instancePath),
      )
      .sort((a, b) => b.schemaPath.length - a.schemaPath.length)[0];
    // Inside a union: a value that is not a mapping gets the union's own message; a mapping is judged
    // by the branches that take mappings (a custom mode), and the other branches' complaints are noise.
    if (enclosing !== undefined && (!isPlainObject(enclosing.data) || !fromObjectBranch(error, enclosing))) continue;
    let problem: SchemaProblem | undefined;
    if (unions.includes(error)) {
      const parent = error.parentSchema as Schema;
      if (isPlainObject(error.data) && hasObjectBranch(parent)) continue; // the object branch's errors speak
      const allowed = constants(parent);
      const more = hasObjectBranch(parent)
        ? allowed.length > 0
          ? ', or a custom mode {name, base, ...}'
          : 'a mapping'
        : '';
      problem = {
        path: toPath(error.instancePath),
        atKey: false,
        message: `must be one of: ${allowed.join(', ')}${more}; got ${describe(error.data)}`,
      };
    } else {
      problem = message(error);
    }
    if (problem === undefined) continue;
    const key = `${JSON.stringify(problem.path)}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  // ajv said no: there is always at least one thing to tell the user.
  if (problems.length === 0 && errors.length > 0) problems.push(fallbackProblem(errors));
  return problems;
}

/** The deepest error, in plain words: used only when every error was folded away. */
function fallbackProblem(errors: readonly ErrorObject[]): SchemaProblem {
  const deepest = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0]!;
  return {
    path: toPath(deepest.instancePath),
    atKey: false,
    message: `is not valid here (${deepest.message ?? deepest.keyword})`,
  };
}

/** True when `error` comes from a branch of `union` that takes mappings. */
function fromObjectBranch(error: ErrorObject, union: ErrorObject): boolean {
  const rest = error.schemaPath.slice(union.schemaPath.length + 1).split('/');
  const branches = (union.parentSchema?.[union.keyword] ?? []) as Schema[];
  const branch = branches[Number(rest[0])];
  return branch !== undefined && (branch.type === 'object' || hasObjectBranch(branch));
}

function isDiscriminated(error: ErrorObject): boolean {
  return error.parentSchema?.discriminator !== undefined;
}
