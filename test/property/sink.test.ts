// The sink's state error against an independent oracle: the effects the trace shows, replayed on a
// balance, a table of keys or a list.
import '../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import type { TraceEvent } from '../../src/model/trace.js';
import { Simulation } from '../../src/model/simulation.js';
import { measure } from '../../src/run/metrics.js';
import { SeededChoiceSource } from '../../src/sim/choice.js';
import { config, measured, preset } from '../helpers.js';
import { anyConfig } from './arbitraries.js';

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

describe('sink state error', () => {
  it('equals what replaying the traced effects on the sink gives, for increment, append and set', () => {
    fc.assert(
      fc.property(
        anyConfig,
        seed,
        fc.constantFrom('at-most-once', 'at-least-once', 'exactly-once') as fc.Arbitrary<'at-least-once'>,
        (c, s, name) => {
          const cfg = { ...c, messages: Math.min(c.messages, 200), mode: preset(name) };
          const effects: number[] = [];
          const trace = (e: TraceEvent) => {
            if (e.actor === 'sink' && e.event === 'effect') effects.push(e.message!);
          };
          const result = new Simulation(cfg, new SeededChoiceSource(s), trace).run();
          const m = measure(result).metrics;
          const produced = m.produced;
          const { effect, amount, keys } = cfg.sink;
          if (effect === 'set') {
            const table = new Map<number, number>();
            for (const id of effects) table.set(keys === 0 ? id : id % keys, id);
            const expected = new Map<number, number>();
            for (let id = 0; id < produced; id++) expected.set(keys === 0 ? id : id % keys, id);
            const wrong = [...expected].filter(([key, id]) => table.get(key) !== id).length;
            expect(m.stateError).toBe(wrong);
            expect(m.stateErrorAbs).toBe(wrong);
          } else {
            const unit = effect === 'append' ? 1 : amount;
            const state = effects.length * unit;
            expect(m.stateError).toBe(state - produced * unit);
            const perMessage = new Map<number, number>();
            for (const id of effects) perMessage.set(id, (perMessage.get(id) ?? 0) + 1);
            let abs = 0;
            for (let id = 0; id < produced; id++) abs += Math.abs(unit) * Math.abs((perMessage.get(id) ?? 0) - 1);
            expect(m.stateErrorAbs).toBe(abs);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a repeated set is harmless where a repeated increment corrupts the balance (balance = 500 vs balance += 100)', () => {
    const faulty = {
      network: { ack: { loss: 0.1 } },
      broker: { visibilityTimeoutMs: 2000 },
      mode: preset('at-least-once'),
    };
    const increment = measured(config({ ...faulty, sink: { effect: 'increment', amount: 100, keys: 0 } })).metrics;
    const set = measured(config({ ...faulty, sink: { effect: 'set', amount: 100, keys: 0 } })).metrics;
    expect(increment.duplicates).toBeGreaterThan(0);
    expect(increment.lost).toBe(0);
    expect(increment.stateError).toBe(100 * increment.duplicateEffects);
    expect(set.duplicates).toBe(increment.duplicates);
    expect(set.stateError).toBe(0);
  });
});
