// Size guard: a source file over about 300 lines or a function over about 70 is hard to see whole.
// Today's offenders are listed with their size, and the list may only shrink: a listed one may not
// grow, one that fits again must leave the list, and nothing new may join it (as TigerBeetle's tidy
// does). Split the code instead of raising a number here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import ts from 'typescript';
import { fromRoot } from '../../root.js';

const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 70;

/** Files over the limit on 2026-12-01 (at print width 120), with their lines then: they may only shrink. */
const LONG_FILES: Readonly<Record<string, number>> = {
  // Tables read whole: one place to compare nine brokers' knobs with their sources, the scenario's
  // fields in the order docs/scenario-format.md lists them, every report kind's JSON Schema side by side.
  'src/run/report-schema.ts': 370,
};

/** Functions over the limit on 2026-12-01 (`file:name`), with their lines then: they may only shrink. */
const LONG_FUNCTIONS: Readonly<Record<string, number>> = {
  'src/run/sweep.ts:sweepScenario': 76,
  'src/run/merge.ts:mergeScenario': 75,
  'src/audit/line-reader.ts:readLines': 75,
  'src/build/docs.ts:metricsDoc': 117,
  'src/live/redis-harness.ts:runRedis': 218,
  'src/report/junit.ts:formatJunit': 77,
  'src/report/sweep.ts:formatSweepTable': 108,
};

const SOURCES = readdirSync(fromRoot('src'), { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join('src', file).split('\\').join('/'))
  .sort();

/** The name a function goes by: its own, or its variable's, property's or method's, or `outer/anonymous`. */
function nameOf(node: ts.Node, source: ts.SourceFile): string {
  const named = (n: ts.Node): string | undefined => {
    const own = (n as { name?: ts.Node }).name;
    if (own !== undefined && (ts.isFunctionLike(n) || ts.isClassLike(n))) return own.getText(source);
    if (ts.isVariableDeclaration(n) || ts.isPropertyAssignment(n) || ts.isPropertyDeclaration(n))
      return n.name.getText(source);
    return undefined;
  };
  if (ts.isConstructorDeclaration(node)) return `${named(node.parent) ?? 'class'}.constructor`;
  const direct = named(node) ?? named(node.parent);
  if (direct !== undefined) return direct;
  for (let up: ts.Node | undefined = node.parent; up !== undefined; up = up.parent) {
    const outer = named(up);
    if (outer !== undefined) return `${outer}/anonymous`;
  }
  return 'anonymous';
}

/** Every function with a body longer than `MAX_FUNCTION_LINES`, as `file:name` → lines. */
function longFunctions(file: string): Map<string, number> {
  const text = readFileSync(fromRoot(file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as { body?: ts.Node }).body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.end).line;
      const lines = last - first + 1;
      if (lines > MAX_FUNCTION_LINES) {
        const key = `${file}:${nameOf(node, source)}`;
        found.set(key, Math.max(lines, found.get(key) ?? 0));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** What breaks the rule: new offenders, listed ones that grew, listed ones that fit now (to be struck off). */
function judge(
  actual: ReadonlyMap<string, number>,
  listed: Readonly<Record<string, number>>,
  limit: number,
  what: string,
): string[] {
  const problems: string[] = [];
  for (const [key, size] of actual) {
    const allowed = listed[key];
    if (allowed === undefined) problems.push(`${key}: ${size} lines, over the ${limit} a ${what} may have; split it`);
    else if (size > allowed)
      problems.push(`${key}: ${size} lines, more than the ${allowed} it had when it was listed; it may only shrink`);
  }
  for (const key of Object.keys(listed))
    if (!actual.has(key))
      problems.push(`${key}: within ${limit} lines now (or gone); strike it off the list in size.test.ts`);
  return problems;
}

describe('size guard', () => {
  it(`no source file grows past ${MAX_FILE_LINES} lines, and the listed ones only shrink`, () => {
    const long = new Map<string, number>();
    for (const file of SOURCES) {
      const lines = readFileSync(fromRoot(file), 'utf8').split('\n').length - 1;
      if (lines > MAX_FILE_LINES) long.set(file, lines);
    }
    expect(judge(long, LONG_FILES, MAX_FILE_LINES, 'file')).toEqual([]);
  });

  it(`no function grows past ${MAX_FUNCTION_LINES} lines, and the listed ones only shrink`, () => {
    const long = new Map<string, number>();
    for (const file of SOURCES) for (const [key, lines] of longFunctions(file)) long.set(key, lines);
    expect(judge(long, LONG_FUNCTIONS, MAX_FUNCTION_LINES, 'function')).toEqual([]);
  });

  it('the judge catches a new offender, a listed one that grew, and one that should leave the list', () => {
    const listed = { 'a.ts': 400, 'b.ts': 350 };
    expect(judge(new Map([['a.ts', 400]]), listed, 300, 'file')).toEqual([
      'b.ts: within 300 lines now (or gone); strike it off the list in size.test.ts',
    ]);
    expect(
      judge(
        new Map([
          ['a.ts', 401],
          ['b.ts', 350],
          ['c.ts', 301],
        ]),
        listed,
        300,
        'file',
      ),
    ).toEqual([
      'a.ts: 401 lines, more than the 400 it had when it was listed; it may only shrink',
      'c.ts: 301 lines, over the 300 a file may have; split it',
    ]);
  });
});
