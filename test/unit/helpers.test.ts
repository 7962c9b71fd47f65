// The test helpers build configurations from the schema's defaults, and a misspelled override is
// never silently ignored: it does not compile, and where a spread hides it from the compiler it throws.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { scenarioDefaults } from '../../src/scenario/defaults.js';
import { config, preset } from '../helpers.js';

describe('test helpers', () => {
  it("config() is the schema's defaults with the tests' few departures", () => {
    const defaults = scenarioDefaults();
    const built = config();
    expect(built.broker).toEqual(defaults.broker);
    expect(built.sink).toEqual(defaults.sink);
    expect(built.producer).toEqual({ ...defaults.producer, confirmTimeoutMs: 1000 });
    expect([built.messages, built.consumers.count, built.consumers.prefetch]).toEqual([1000, 2, 4]);
    expect(built.mode).toEqual(preset('at-least-once'));
  });

  it('an override merges field by field, and a distribution or a fault list replaces the default whole', () => {
    const built = config({
      consumers: { crash: { probability: 0.1 }, processingMs: { dist: 'uniform', min: 1, max: 2 } },
      faults: [{ type: 'broker-crash', atMs: 5, durationMs: 1 }],
    });
    expect(built.consumers.crash).toEqual({ probability: 0.1, point: 'after-effect', restartMs: 1000 });
    expect(built.consumers.processingMs).toEqual({ dist: 'uniform', min: 1, max: 2 });
    expect(built.faults).toHaveLength(1);
  });

  it('a misspelled field does not compile, and throws where a spread hides it from the compiler', () => {
    // @ts-expect-error: consumers has no field `cout`
    expect(() => config({ consumers: { cout: 3 } })).toThrow('config(): no such field consumers.cout');
    const spread = { messages: 10, brokr: { durable: false } };
    expect(() => config({ ...spread })).toThrow('config(): no such field brokr');
    expect(config({ broker: { profile: 'sqs-standard' }, exploration: true }).exploration).toBe(true);
  });
});
