// Validation never fails silently: any scenario it refuses comes with at least one problem, each
// naming a field and saying what is wrong. Scenarios are valid ones with one part replaced by an
// arbitrary value (a key added, a type changed, a mode rewritten), where silent refusals hide.
import '../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { defaultsOf } from '../../src/scenario/defaults.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { validateScenario } from '../../src/scenario/validate.js';

type Json = Record<string, unknown>;

/** A valid scenario with every section written out, and custom modes: the places to break. */
function fullScenario(): Json {
  return {
    ...defaultsOf(scenarioSchema),
    messages: 10,
    modes: [
      'at-most-once',
      { name: 'careful', base: 'exactly-once', dedupe: { windowMs: 5 } },
      { name: 'quick', base: 'at-least-once' },
    ],
    expect: { careful: ['lost == 0'] },
  };
}

/** Every path to an object or array inside `value`, the root included. */
function containers(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as Json);
  return [path, ...entries.flatMap(([key, child]) => containers(child, [...path, key]))];
}

const scenario = fullScenario();
const paths = containers(scenario);

const mutation = fc.record({
  at: fc.constantFrom(...paths),
  key: fc.oneof(
    fc.constantFrom('name', 'base', 'dist', 'messages', 'dedup', 'loss', '0', 'type'),
    fc.string({ maxLength: 8 }),
  ),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)),
});

describe('validation properties', () => {
  it('a refused scenario always says why: at least one problem, each naming a field with a message', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const broken = structuredClone(scenario);
        for (const { at, key, value } of mutations) {
          let target: unknown = broken;
          for (const part of at) target = (target as Json)[part as string];
          if (Array.isArray(target)) {
            const index = Number.parseInt(key, 10);
            if (value === undefined) target.splice(Number.isNaN(index) ? 0 : index % (target.length + 1), 1);
            else target[Number.isNaN(index) ? target.length : index % (target.length + 1)] = value;
          } else if (target !== null && typeof target === 'object') {
            if (value === undefined) delete (target as Json)[key];
            else (target as Json)[key] = value;
          }
        }
        const result = validateScenario(JSON.stringify(broken), 'x.json', 'x');
        if (result.ok) return;
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues) {
          expect(issue.path).not.toBe('');
          expect(issue.message.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: 400 },
    );
  });
});
