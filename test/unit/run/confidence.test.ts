// Intervals at a confidence other than 95 % (acksim live --confidence): the quantiles are the normal's
// and Student's t, the 95 % table agrees with them, and a higher confidence never narrows an interval.
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import jStat from 'jstat';
import { batchRateInterval, CONFIDENCE, wilson, Z95, zFor } from '../../../src/run/stats.js';
import { fidelityOf } from '../../../src/live/fidelity.js';
import type { Measured } from '../../../src/run/metrics.js';

describe('confidence', () => {
  it('z is the normal quantile: 1.96 at 95 %, 2.5758 at 99 %, 3.2905 at 99.9 %', () => {
    expect(zFor(CONFIDENCE)).toBe(Z95);
    expect(zFor(0.99)).toBeCloseTo(2.5758293, 6);
    expect(zFor(0.999)).toBeCloseTo(3.2905267, 6);
  });

  it("the 95 % batch interval's t table agrees with Student's t quantile at every size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 31 }), fc.integer({ min: 0, max: 10 ** 6 }), (batches, salt) => {
        // Batch counts that vary, so the interval has a width: k_b = salt mod (b + 2), n_b = 100.
        const ks = Array.from({ length: batches }, (_, b) => (salt + b * 7) % (b + 3));
        const ns = Array.from({ length: batches }, () => 100);
        const table = batchRateInterval(ks, ns);
        const computed = batchRateInterval(ks, ns, 0.9499999999);
        expect(Math.abs(table.upper - computed.upper)).toBeLessThan(1e-3 * Math.max(1e-9, table.upper) + 1e-6);
        expect(Math.abs(table.lower - computed.lower)).toBeLessThan(1e-3 * Math.max(1e-9, table.upper) + 1e-6);
        expect(jStat.studentt.inv(0.975, 19)).toBeCloseTo(2.093, 3);
      }),
    );
  });

  it('a higher confidence never narrows a Wilson, a batch or a live interval', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        // Below 94 %: the 95 % t table is rounded to 3 decimals (2.093 for 2.09302), so a level a hair
        // under 95 % computes a t a hair above the table's.
        fc.double({ min: 0.5, max: 0.94, noNaN: true }),
        fc.double({ min: 0.95, max: 0.99999, noNaN: true }),
        (n, share, low, high) => {
          const k = Math.floor(share * n);
          const a = wilson(k, n, zFor(low));
          const b = wilson(k, n, zFor(high));
          expect(b.lower).toBeLessThanOrEqual(a.lower + 1e-12);
          expect(b.upper).toBeGreaterThanOrEqual(a.upper - 1e-12);
          const ks = Array.from({ length: 20 }, (_, i) => (k + i * 3) % 11);
          const ns = Array.from({ length: 20 }, () => 50);
          const c = batchRateInterval(ks, ns, low);
          const d = batchRateInterval(ks, ns, high);
          expect(d.lower).toBeLessThanOrEqual(c.lower + 1e-12);
          expect(d.upper).toBeGreaterThanOrEqual(c.upper - 1e-12);
        },
      ),
    );
  });

  it('a live row judged at a higher confidence has a tolerance at least as wide, around the same live rate', () => {
    const measured = (lost: number, produced: number) =>
      ({ metrics: { lost, produced, duplicates: 0, processed: produced - lost } }) as unknown as Measured;
    const live = measured(30, 2000);
    const batches = Array.from({ length: 20 }, (_, b) => measured(b % 4, 100));
    const spread = { lossRate: 0.002, duplicateRate: 0 };
    const at95 = fidelityOf('m', live, batches, measured(40, 2000), spread);
    const at999 = fidelityOf('m', live, batches, measured(40, 2000), spread, 0.999);
    expect(at999.lossRate.live).toBe(at95.lossRate.live);
    expect(at999.lossRate.tolerance.lower).toBeLessThanOrEqual(at95.lossRate.tolerance.lower);
    expect(at999.lossRate.tolerance.upper).toBeGreaterThan(at95.lossRate.tolerance.upper);
    expect(at999.lossRate.modelSpread).toBeCloseTo(0.002 * zFor(0.999), 12);
  });
});

describe('the live table names its confidence', () => {
  it('as written, and never as 100 %', async () => {
    const { liveTable } = await import('../../../src/cli/formatters.js');
    for (const [confidence, label] of [
      [0.95, '95%'],
      [0.99821, '99.821%'],
      [0.9999999, '99.99999%'],
      [0.999999999, '99.999999%'],
    ] as const) {
      const text = liveTable('s', 'redis://127.0.0.1:6379', [], 200, confidence);
      expect(text).toContain(`loss live (${label})`);
      expect(text).not.toContain('(100%)');
    }
  });
});
