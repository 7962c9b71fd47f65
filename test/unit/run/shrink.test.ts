import { describe, it } from 'node:test';
import { expect } from 'expect';
import { parseCheck } from '../../../src/scenario/check-expression.js';
import { describeFault } from '../../../src/run/failure.js';
import { failsWith, faultsOf, shrink } from '../../../src/run/shrink.js';
import { config, preset } from '../../helpers.js';
import { Simulation } from '../../../src/model/simulation.js';
import { ScriptedChoiceSource, SeededChoiceSource, type ChoiceSource } from '../../../src/sim/choice.js';

const check = (text: string) => {
  const parsed = parseCheck(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.check;
};

describe('shrinking', () => {
  const cases = [
    {
      name: 'at-least-once duplicate from lost acks',
      cfg: config({ messages: 400, network: { ack: { loss: 0.1 } }, broker: { visibilityTimeoutMs: 500 } }),
      check: 'duplicates == 0',
      minimal: 1,
    },
    {
      name: 'at-most-once loss from lost deliveries',
      cfg: config({ messages: 400, network: { deliver: { loss: 0.1 } }, mode: preset('at-most-once') }),
      check: 'lost == 0',
      minimal: 1,
    },
    {
      name: 'at-least-once loss with 2 publish attempts',
      cfg: config({ messages: 400, network: { publish: { loss: 0.4 } }, producer: { retry: { maxAttempts: 2 } } }),
      check: 'lost == 0',
      minimal: 2,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: shrinks to ${c.minimal} fault(s), a 1-minimal set`, async () => {
      const original = await faultsOf(c.cfg, 7);
      expect(original.length).toBeGreaterThan(c.minimal);
      const shrunk = await shrink(c.cfg, 7, check(c.check));
      expect(shrunk.originalFaults).toBe(original.length);
      expect(shrunk.faults).toHaveLength(c.minimal);
      expect(shrunk.budgetHit).toBe(false);
      const small = { ...c.cfg, messages: shrunk.messages };
      expect(await failsWith(small, 7, shrunk.faults, check(c.check))).toBe(true);
      // 1-minimal: without any one of its faults the check passes.
      for (let i = 0; i < shrunk.faults.length; i++) {
        const without = shrunk.faults.filter((_, j) => j !== i);
        expect(await failsWith(small, 7, without, check(c.check))).toBe(false);
      }
      expect(shrunk.messages).toBe(Math.max(...shrunk.faults.map((f) => f.a)) + 1);
    });
  }

  it('stops at the budget and says so', async () => {
    const shrunk = await shrink(cases[0]!.cfg, 7, check('duplicates == 0'), () => true);
    expect(shrunk.budgetHit).toBe(true);
  });

  it('describes faults in words', () => {
    expect(describeFault({ site: 3, a: 174, b: 0, c: 0, outcome: 1 })).toBe('ack of #174 (delivery 0): dropped');
    expect(describeFault({ site: 0, a: 5, b: 1, c: 0, outcome: 2 })).toBe('publish of #5 (attempt 1): duplicated');
    expect(describeFault({ site: 8, a: 9, b: 2, c: 0, outcome: 1 })).toBe('#9 delivery 2: consumer crash');
  });
});

describe('replay fidelity', () => {
  it('replaying every recorded fault gives the original trace, byte for byte', async () => {
    const cfg = config({
      messages: 300,
      network: { ack: { loss: 0.1 }, deliver: { duplicate: 0.05 } },
      consumers: { crash: { probability: 0.02, point: 'after-effect', restartMs: 50 } },
    });
    const collect = (choices: ChoiceSource) => {
      const events: string[] = [];
      new Simulation(cfg, choices, (e) => events.push(JSON.stringify(e))).run();
      return events.join('\n');
    };
    const original = collect(new SeededChoiceSource(9));
    const replayed = collect(new ScriptedChoiceSource(new SeededChoiceSource(9), await faultsOf(cfg, 9)));
    expect(original.length).toBeGreaterThan(1000);
    expect(replayed).toBe(original);
  });
});
