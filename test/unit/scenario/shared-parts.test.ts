// The scenario validator compiles the schema with its recurring parts written once (shared-parts.ts): it must accept
// what the schema as written accepts, and say the same problems, in the same words, of anything it rejects.
import '../../setup.js';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { SCENARIO_AJV_OPTIONS } from '../../../src/scenario/ajv-options.js';
import { scenarioSchema } from '../../../src/scenario/scenario-validator.js';
import { schemaProblems } from '../../../src/scenario/schema-issues.js';
import { withSharedParts } from '../../../src/scenario/shared-parts.js';
import { fromRoot } from '../../root.js';

const shared = withSharedParts(scenarioSchema);
const asWritten = new Ajv(SCENARIO_AJV_OPTIONS).compile(scenarioSchema);
const withRefs = new Ajv(SCENARIO_AJV_OPTIONS).compile(shared);

/** The verdict and the problems (as acksim words them) of one validator. */
function judged(validate: typeof asWritten, data: unknown) {
  const ok = validate(structuredClone(data));
  return { ok, problems: ok ? [] : schemaProblems(validate.errors ?? []) };
}

/** Every built-in scenario's data, and one with a custom mode overriding every section. */
const bases: unknown[] = readdirSync(fromRoot('scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(fromRoot(`scenarios/${f}`), 'utf8')) as unknown);
bases.push({
  messages: 10,
  network: { publish: { loss: '1%', latencyMs: { dist: 'uniform', min: 1, max: 5 } } },
  modes: [
    'at-most-once',
    {
      name: 'custom',
      base: 'at-least-once',
      network: { ack: { loss: 0.1, latencyMs: { dist: 'exponential', mean: 2 } } },
      broker: { visibilityTimeoutMs: 100, maxDeliveries: 3 },
      consumers: { count: 2, processingMs: { dist: 'constant', value: 3 }, crash: { probability: 0.1 } },
      producer: { ratePerSec: 10, retry: { maxAttempts: 2 } },
    },
  ],
});

/** The object paths of `value` (where a field can be set or added). */
function objectPaths(value: unknown, path: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [];
  const here = Array.isArray(value) ? [] : [path];
  return [...here, ...Object.entries(value).flatMap(([k, v]) => objectPaths(v, [...path, k]))];
}

const junk = fc.oneof(
  fc.constantFrom(null, true, -1, 0, 1.5, 1e9, '', 'x', '10%', '5 ms', 'uniform', 'at-least-once', 'log', [], [1]),
  fc.dictionary(
    fc.constantFrom('dist', 'min', 'max', 'mean', 'value', 'loss', 'latencyMs', 'count', 'name', 'base', 'zz'),
    fc.constantFrom(-1, 2, 'uniform', 'exponential', 'constant', 'x', null, '3%'),
    { maxKeys: 3 },
  ),
);
const keys = fc.constantFrom(
  'loss',
  'latencyMs',
  'dist',
  'min',
  'count',
  'processingMs',
  'crash',
  'visibilityTimeoutMs',
  'kind',
  'base',
  'name',
  'ratePerSec',
  'retry',
  'unknownField',
);

describe('the schema with its shared parts', () => {
  it('writes recurring parts once: fewer, smaller, and with definitions', () => {
    expect(Object.keys(shared.definitions as object).length).toBeGreaterThan(5);
    expect(JSON.stringify(shared).length).toBeLessThan(JSON.stringify(scenarioSchema).length / 1.5);
  });

  it('judges every built-in, and anything a few edits away from one, exactly as the schema as written', () => {
    for (const base of bases) expect(judged(withRefs, base)).toEqual(judged(asWritten, base));
    fc.assert(
      fc.property(
        fc.constantFrom(...bases),
        fc.array(fc.tuple(fc.nat(), keys, junk), { minLength: 1, maxLength: 3 }),
        (base, edits) => {
          const data = structuredClone(base) as Record<string, unknown>;
          for (const [at, key, value] of edits) {
            const paths = objectPaths(data);
            const target = paths[at % paths.length]!.reduce<Record<string, unknown>>(
              (node, k) => node[k] as Record<string, unknown>,
              data,
            );
            // An existing field half the time (its name), else the key drawn.
            const fields = Object.keys(target);
            target[fields.length > 0 && at % 2 === 0 ? fields[at % fields.length]! : key] = value;
          }
          expect(judged(withRefs, data)).toEqual(judged(asWritten, data));
        },
      ),
      { numRuns: 400 },
    );
  });
});
