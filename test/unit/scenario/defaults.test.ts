// The schema's defaults fill a scenario: every field but the few without one has a default, which is
// what lets scenarioDefaults() state the filled type (ResolvedInput) that validation and the tests build on.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { defaultsOf, scenarioDefaults } from '../../../src/scenario/defaults.js';
import { scenarioSchema } from '../../../src/scenario/schema.js';
import { validateScenario } from '../../../src/scenario/validate.js';

/** The fields ResolvedInput (src/scenario/types.ts) leaves optional. */
const NO_DEFAULT = ['$schema', 'name', 'maxEvents', 'broker.profile'];

type Json = Record<string, unknown>;

/** Dotted paths of the fields that neither have a default nor are an object whose fields do (as defaultsOf walks). */
function withoutDefault(schema: Json, prefix = ''): string[] {
  return Object.entries((schema.properties ?? {}) as Record<string, Json>).flatMap(([key, property]) => {
    if ('default' in property) return [];
    if (property.properties !== undefined) return withoutDefault(property, `${prefix}${key}.`);
    return [`${prefix}${key}`];
  });
}

describe('scenario defaults', () => {
  it('every field of the schema has a default but those ResolvedInput leaves optional', () => {
    expect(withoutDefault(scenarioSchema as Json).sort()).toEqual([...NO_DEFAULT].sort());
  });

  it('the walk finds a field without a default', () => {
    const schema = { properties: { a: { default: 1 }, b: { properties: { c: { type: 'number' } } } } };
    expect(withoutDefault(schema)).toEqual(['b.c']);
    expect(defaultsOf(schema)).toEqual({ a: 1, b: {} });
  });

  it('an empty scenario resolves to exactly the defaults', () => {
    const result = validateScenario('{}', 'empty.yaml', 'empty');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { producer, network, broker, consumers, dedupe, sink, faults, messages, horizonMs } = scenarioDefaults();
    expect(result.scenario.config).toEqual({
      messages,
      horizonMs,
      producer,
      network,
      broker,
      consumers,
      dedupe,
      sink,
      faults,
    });
    expect(broker.kind).toBe('queue');
    expect(consumers.crash.point).toBe('after-effect');
  });

  it('each call gives a fresh copy, so changing one changes no other', () => {
    const first = scenarioDefaults();
    first.producer.retry.maxAttempts = 99;
    first.faults.push({ type: 'broker-crash', atMs: 1, durationMs: 1 });
    expect(scenarioDefaults().producer.retry.maxAttempts).toBe(10);
    expect(scenarioDefaults().faults).toEqual([]);
  });
});
