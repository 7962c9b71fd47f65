// Fuzz target: what acksim reads back from its own output (shard reports for merge, failure files
// for replay), broken in arbitrary ways. Every broken input is refused with a one-line reason naming
// it, or merged into a report whose runs still add up; nothing else escapes (no TypeError, no NaN).
import '../setup.js';
import fc from 'fast-check';
import { before, describe, it } from 'node:test';
import { expect } from 'expect';
import { mergeReports, MergeError } from '../../src/run/merge.js';
import { parseFailure } from '../../src/run/failure.js';
import { runScenarios } from '../../src/run/run-scenario.js';
import type { ScenarioRunsResult } from '../../src/run/report.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { deflateSync, inflateSync } from 'node:zlib';

type Json = Record<string, unknown>;

/** Every path to a value inside `value`. */
function leaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as Json);
  return [path, ...entries.flatMap(([key, child]) => leaves(child, [...path, key]))];
}

/** `root` with the value at `path` replaced (an earlier edit may have removed the path: then unchanged). */
function setAt(root: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  let target = root;
  for (const part of path.slice(0, -1)) {
    if (target === null || typeof target !== 'object') return root;
    target = (target as Json)[part as string];
  }
  if (target !== null && typeof target === 'object') (target as Json)[path.at(-1) as string] = value;
  return root;
}

/** Values that break things: wrong types, huge, negative, fractional, non-finite after JSON, long text. */
const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, -1, 1e300, 10.5, 2 ** 53, '', 'lots', 'A'.repeat(5000), [], {}, true, '\u001b[31m'),
);

describe('fuzz: reports read back', () => {
  let shards: [unknown, unknown];
  before(async () => {
    const { scenarios } = loadScenarios(['lost-acks'], process.cwd());
    const options = { runs: 2, messages: 100, modes: ['at-least-once'] };
    const reports = await Promise.all(
      [1, 2].map((i) => runScenarios(scenarios, { ...options, shard: [i, 2] as const })),
    );
    shards = [JSON.parse(JSON.stringify(reports[0])), JSON.parse(JSON.stringify(reports[1]))];
  });

  it('merge refuses a broken shard with a MergeError naming the file, or merges runs that add up', () => {
    const paths = leaves(shards[0]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...paths), hostile), { minLength: 1, maxLength: 3 }), (edits) => {
        let broken = structuredClone(shards[0]);
        for (const [path, value] of edits) broken = setAt(broken, path, structuredClone(value));
        try {
          const merged = mergeReports([broken, shards[1]], ['broken.json', 'other.json']);
          for (const scenario of merged.scenarios as ScenarioRunsResult[]) {
            for (const result of scenario.results) {
              for (const value of Object.values(result.aggregate.metrics))
                expect(Number.isFinite(value.mean)).toBe(true);
              for (const r of result.runs) {
                const m = r.metrics;
                expect(m.produced).toBe(m.processed + m.lost + m.deadLettered - m.deadLetteredProcessed + m.unresolved);
              }
            }
          }
        } catch (error) {
          if (!(error instanceof MergeError)) throw error;
          expect(error.message).not.toContain('\n');
          expect(error.message).toMatch(/broken\.json|other\.json|lost-acks/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('merge refuses a forged latency histogram by seed, or merges one that holds a latency per processed message', () => {
    type Runs = {
      scenarios: Array<{
        results: Array<{ runs: Array<{ latencyHistogram: string; metrics: { processed: number } }> }>;
      }>;
    };
    const original = (shards[0] as Runs).scenarios[0]!.results[0]!.runs[0]!.latencyHistogram;
    const outer = Buffer.from(original, 'base64');
    const inner = inflateSync(outer.subarray(8));
    /** One edit of the inner encoding: an int32 of the header, a byte anywhere, a cut, or bytes appended. */
    const edit = fc.oneof(
      fc.tuple(fc.constant('int32' as const), fc.constantFrom(0, 4, 8, 12, 16, 20, 24, 28, 32, 36), fc.integer()),
      fc.tuple(fc.constant('byte' as const), fc.nat(inner.length - 1), fc.integer({ min: 0, max: 255 })),
      fc.tuple(fc.constant('cut' as const), fc.nat(inner.length), fc.constant(0)),
      fc.tuple(fc.constant('append' as const), fc.nat(5000), fc.integer({ min: 0, max: 255 })),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean(), (edits, keepOuterLength) => {
        let bytes = Buffer.from(inner);
        for (const [kind, at, value] of edits) {
          if (kind === 'int32' && at + 4 <= bytes.length) bytes.writeInt32BE(value, at);
          if (kind === 'byte' && at < bytes.length) bytes[at] = value;
          if (kind === 'cut') bytes = bytes.subarray(0, at);
          if (kind === 'append') bytes = Buffer.concat([bytes, Buffer.alloc(at, value)]);
        }
        const compressed = deflateSync(bytes);
        const head = Buffer.from(outer.subarray(0, 8));
        if (!keepOuterLength) head.writeInt32BE(compressed.length, 4);
        const broken = structuredClone(shards[0]) as Runs;
        broken.scenarios[0]!.results[0]!.runs[0]!.latencyHistogram = Buffer.concat([head, compressed]).toString(
          'base64',
        );
        try {
          mergeReports([broken, shards[1]], ['broken.json', 'other.json']);
        } catch (error) {
          if (!(error instanceof MergeError)) throw error;
          expect(error.message).toMatch(
            /^broken\.json: .*(the latency histogram of seed 1 cannot be decoded \(|latencyHistogram)/,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('replay refuses a broken failure file with a reason, or accepts one that is in range', () => {
    const failure = {
      acksimFailure: 1,
      acksimVersion: 'acksim 0.1.0',
      scenario: 'lost-acks',
      mode: 'at-least-once',
      seed: 1,
      messages: 100,
      check: 'duplicates == 0',
      originalFaults: 3,
      faults: [{ site: 3, a: 7, b: 0, c: 0, outcome: 1 }],
    };
    const paths = leaves(failure);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...paths), hostile), { minLength: 1, maxLength: 3 }), (edits) => {
        let broken: unknown = structuredClone(failure);
        for (const [path, value] of edits) broken = setAt(broken, path, structuredClone(value));
        const parsed = parseFailure(broken);
        if (typeof parsed === 'string') {
          expect(parsed.length).toBeGreaterThan(0);
          return;
        }
        expect(Number.isSafeInteger(parsed.seed) && parsed.seed >= 0 && parsed.seed < 2 ** 31).toBe(true);
        expect(Number.isSafeInteger(parsed.messages) && parsed.messages >= 0 && parsed.messages <= 50_000_000).toBe(
          true,
        );
        for (const f of parsed.faults) expect(f.a).toBeLessThan(parsed.messages);
      }),
      { numRuns: 500 },
    );
  });
});
