// Numbers as text: count() writes what toLocaleString('en-US') writes, without loading the locale's data.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { count } from '../../../src/number-text.js';

describe('count', () => {
  it("writes every number as toLocaleString('en-US') does", () => {
    const special = fc.constantFrom(
      0,
      -0,
      1,
      -1,
      999,
      1000,
      -1000,
      999_999,
      1e6,
      2 ** 53,
      -(2 ** 53),
      1e21,
      1e21 - 65_536,
    );
    const unusual = fc.constantFrom(NaN, Infinity, -Infinity, 0.5, 1234.5678, -0.0004, 1e-7, 1e300);
    const any = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double(), special, unusual);
    // Collected and asserted once, so a mismatch shows every failing value.
    const differing: string[] = [];
    fc.assert(
      fc.property(any, (value) => {
        if (count(value) !== value.toLocaleString('en-US')) differing.push(`${value}: ${count(value)}`);
      }),
      { numRuns: 5000 },
    );
    expect(differing).toEqual([]);
    expect([count(0), count(12_345), count(-1_234_567), count(1000)]).toEqual(['0', '12,345', '-1,234,567', '1,000']);
  });
});
