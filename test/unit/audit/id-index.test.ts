// Ids to rows (src/audit/id-index.ts): the rows a Map numbering ids in the order first met gives, through growth.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { IdIndex } from '../../../src/audit/id-index.js';

describe('the id index', () => {
  it('gives each id the row a Map numbering ids in the order first met gives, across many growths', () => {
    // Few distinct characters and short ids: many ids share prefixes, lengths and hash slots.
    const id = fc.string({ unit: fc.constantFrom('a', 'b', '1', 'é', '\u{1F600}'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(id, { maxLength: 3000 }), (ids) => {
        const index = new IdIndex();
        const reference = new Map<string, number>();
        const rows: number[] = [];
        const expected: number[] = [];
        for (const [i, value] of ids.entries()) {
          if (!reference.has(value)) reference.set(value, reference.size);
          // Sometimes the id as a slice of a longer text, as the reader hands it over.
          const given = i % 3 === 0 ? `{"id":"${value}"}`.slice(7, 7 + value.length) : value;
          rows.push(index.rowOf(given));
          expected.push(reference.get(value)!);
        }
        expect(rows).toEqual(expected);
        expect(index.size).toBe(reference.size);
        // Every id again, after all the growth: still its row, and no new one.
        expect([...reference.keys()].map((value) => index.rowOf(value))).toEqual([...reference.values()]);
        expect(index.size).toBe(reference.size);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a million distinct ids, and finds every one again', () => {
    const index = new IdIndex();
    let wrong = 0;
    for (let i = 0; i < 1_000_000; i++) if (index.rowOf(`msg-${i}`) !== i) wrong++;
    for (let i = 0; i < 1_000_000; i++) if (index.rowOf(`msg-${i}`) !== i) wrong++;
    expect(wrong).toBe(0);
    expect(index.size).toBe(1_000_000);
  });
});
