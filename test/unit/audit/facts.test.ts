// The fate of an indeterminate message is unknown: a check on loss is settled only when every number
// of them lost (none to all) gives it the same verdict.
import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { indeterminateDoubt, type AuditFacts } from '../../../src/audit/facts.js';
import { compare, OPERATORS, parseCheck } from '../../../src/scenario/check-expression.js';

const facts = (indeterminate: number) => ({ indeterminate }) as AuditFacts;

describe('indeterminate messages', () => {
  it('leave a lost or lossRate check open exactly when some number of them lost would change its verdict', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.constantFrom(...OPERATORS),
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        (lost, open, delivered, operator, bound, rate) => {
          const produced = lost + open + delivered;
          if (rate && produced === 0) return;
          const text = rate ? `lossRate ${operator} ${bound}%` : `lost ${operator} ${bound}`;
          const parsed = parseCheck(text, 'audit');
          if (!parsed.ok) return;
          const value = (n: number) => (rate ? n / produced : n);
          const verdicts = new Set(
            Array.from({ length: open + 1 }, (_, k) => compare(value(lost + k), operator, parsed.check.value)),
          );
          const doubt = indeterminateDoubt(parsed.check, lost, produced, facts(open));
          expect({ text, lost, open, open_: doubt !== undefined }).toEqual({
            text,
            lost,
            open,
            open_: verdicts.size > 1,
          });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('leave any other check of a loss metric open, and a duplicates check settled', () => {
    const check = (text: string) => {
      const parsed = parseCheck(text, 'audit');
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.check;
    };
    expect(indeterminateDoubt(check('lossByCause.neverDelivered == 0'), 0, 10, facts(3))).toMatch(
      /^3 message\(s\) indeterminate/,
    );
    expect(indeterminateDoubt(check('lossByCause.neverDelivered == lost'), 0, 10, facts(3))).toMatch(/indeterminate/);
    expect(indeterminateDoubt(check('duplicates == 0'), 0, 10, facts(3))).toBeUndefined();
    expect(indeterminateDoubt(check('lost == 0'), 0, 10, facts(0))).toBeUndefined();
  });
});
