import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { aggregate, aggregateValue, type RunsAggregate } from '../../../src/run/aggregate.js';
import { parseCheck } from '../../../src/scenario/check-expression.js';
import { judgeRuns } from '../../../src/run/checks.js';
import { valueAt } from '../../../src/run/metrics.js';
import { runOnce, type RunRecord } from '../../../src/run/runs.js';
import { batchRateInterval, mean, meanInterval, wilson } from '../../../src/run/stats.js';
import { SeededChoiceSource } from '../../../src/sim/choice.js';
import { config } from '../../helpers.js';

describe('Wilson score interval', () => {
  it('matches known binomial cases', () => {
    // Reference values for z = 1.96 (e.g. Newcombe 1998, Table I; R binom::binom.wilson).
    const cases: Array<[number, number, number, number]> = [
      [0, 10, 0, 0.2775],
      [5, 10, 0.2366, 0.7634],
      [1, 100, 0.0018, 0.0545],
      [81, 263, 0.2553, 0.3662],
      [10, 10, 0.7225, 1],
    ];
    for (const [k, n, lower, upper] of cases) {
      const interval = wilson(k, n);
      expect(Math.abs(interval.lower - lower)).toBeLessThan(5e-4);
      expect(Math.abs(interval.upper - upper)).toBeLessThan(5e-4);
    }
    expect(wilson(0, 0)).toEqual({ lower: 0, upper: 1 });
  });

  it('covers the true proportion about 95 % of the time', () => {
    const source = new SeededChoiceSource(5);
    const p = 0.03;
    const n = 400;
    const trials = 2000;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      let k = 0;
      for (let i = 0; i < n; i++) if (source.uniform(0, t, i, 0) < p) k++;
      const { lower, upper } = wilson(k, n);
      if (lower <= p && p <= upper) covered++;
    }
    // Binomial standard error of the coverage over 2,000 trials is about 0.5 %.
    expect(Math.abs(covered / trials - 0.95)).toBeLessThan(0.025);
  });

  it('always lies in [0, 1] and contains the observed proportion', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([k, n]) => {
          const { lower, upper } = wilson(k, n);
          expect(lower).toBeGreaterThanOrEqual(0);
          expect(upper).toBeLessThanOrEqual(1);
          expect(lower).toBeLessThanOrEqual(k / n + 1e-12);
          expect(upper).toBeGreaterThanOrEqual(k / n - 1e-12);
        },
      ),
    );
  });
});

describe('normal interval of the mean', () => {
  it('is mean ± 1.96 s/√n', () => {
    const { lower, upper } = meanInterval([1, 2, 3, 4, 5]);
    const half = (1.959963984540054 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(lower).toBeCloseTo(3 - half, 12);
    expect(upper).toBeCloseTo(3 + half, 12);
    expect(meanInterval([7])).toEqual({ lower: 7, upper: 7 });
    expect(mean([])).toBe(0);
  });
});

describe('aggregates over runs', async () => {
  const cfg = config({ messages: 300, network: { ack: { loss: 0.1 } }, broker: { visibilityTimeoutMs: 500 } });
  const records = await Promise.all([11, 12, 13, 14, 15, 16].map((seed) => runOnce(cfg, seed, true)));
  const summary = aggregate(records, ['ackLost']);
  const values = (path: string) => records.map((r) => valueAt(r, path));

  it('computes every aggregate from the per-run values', () => {
    const dups = values('duplicates');
    const sorted = [...dups].sort((a, b) => a - b);
    expect(aggregateValue('mean', 'duplicates', records, summary)).toBeCloseTo(mean(dups), 12);
    expect(aggregateValue('min', 'duplicates', records, summary)).toBe(sorted[0]);
    expect(aggregateValue('max', 'duplicates', records, summary)).toBe(sorted[5]);
    expect(aggregateValue('p50', 'duplicates', records, summary)).toBe(sorted[2]); // nearest rank: ceil(0.5 * 6) = 3rd
    expect(aggregateValue('p95', 'duplicates', records, summary)).toBe(sorted[5]);
    expect(aggregateValue('upper', 'duplicates', records, summary)).toBeCloseTo(meanInterval(dups).upper, 12);
    expect(aggregateValue('lower', 'duplicates', records, summary)).toBeCloseTo(meanInterval(dups).lower, 12);
  });

  it('uses Wilson on pooled counts for rates, and finds the worst seed', () => {
    const k = values('duplicates').reduce((a, b) => a + b, 0);
    const n = values('processed').reduce((a, b) => a + b, 0);
    expect(summary.metrics.duplicateRate).toMatchObject({ interval: 'wilson', ...wilson(k, n) });
    expect(summary.metrics.duplicates!.interval).toBe('normal');
    const worst = records.reduce((a, b) => (b.metrics.duplicates > a.metrics.duplicates ? b : a));
    expect(summary.metrics.duplicates!.worstSeed).toBe(worst.seed);
    expect(summary.coverage.ackLost).toBe(records.filter((r) => (r.faultsInjected.ackLost ?? 0) > 0).length);
    expect(summary.duplicatesByCause.ackLost).toBe(k);
  });

  it('pools latency histograms: pooled percentiles lie within the per-run range', () => {
    const p99s = values('latencyMs.p99');
    expect(summary.pooledLatencyMs.p99).toBeGreaterThanOrEqual(Math.min(...p99s) * 0.99);
    expect(summary.pooledLatencyMs.p99).toBeLessThanOrEqual(Math.max(...p99s) * 1.01);
    expect(summary.pooledLatencyMs.max).toBeCloseTo(Math.max(...values('latencyMs.max')), 0);
  });

  it('judges a bare check in every run, naming the first failing seed', () => {
    const parsed = parseCheck('duplicates < 30');
    if (!parsed.ok) throw new Error(parsed.message);
    const verdict = judgeRuns(parsed.check, records, summary);
    const firstFailing = records.find((r) => r.metrics.duplicates >= 30);
    expect(verdict.status).toBe(firstFailing === undefined ? 'pass' : 'fail');
    if (firstFailing !== undefined) expect(verdict.seed).toBe(firstFailing.seed);
  });

  it('calls a pass inconclusive when a configured fault never fired in any run', () => {
    const parsed = parseCheck('lost == 0');
    if (!parsed.ok) throw new Error(parsed.message);
    expect(judgeRuns(parsed.check, records, summary).status).toBe('pass');
    const uncovered = aggregate(records, ['ackLost', 'brokerCrashes']);
    const verdict = judgeRuns(parsed.check, records, uncovered);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.reason).toBe('no run met brokerCrashes');
  });

  it('applies the same rule to a single run: a configured fault that never fired, or no message, is never a pass', async () => {
    const parsed = parseCheck('lost == 0');
    if (!parsed.ok) throw new Error(parsed.message);
    const [one] = records;
    expect(judgeRuns(parsed.check, [one!], undefined, ['ackLost']).status).toBe('pass');
    const unmet = judgeRuns(parsed.check, [one!], undefined, ['ackLost', 'brokerCrashes']);
    expect(unmet).toMatchObject({ status: 'inconclusive', reason: 'a configured fault never fired: brokerCrashes' });
    const empty = await runOnce(config({ messages: 0 }), 1, false);
    expect(judgeRuns(parsed.check, [empty], undefined, [])).toMatchObject({
      status: 'inconclusive',
      reason: 'no message was produced',
    });
    // A failure stays a failure: only a pass can be inconclusive for lack of faults.
    const failing = parseCheck('lost > 0');
    if (!failing.ok) throw new Error(failing.message);
    expect(judgeRuns(failing.check, [one!], undefined, ['brokerCrashes']).status).toBe('fail');
  });
});

describe('review regressions', () => {
  it('aggregates a very large batch without running out of stack', () => {
    const many = Array.from(
      { length: 200_000 },
      (_, i) => ({ seed: i, metrics: { lost: i % 7 } }) as unknown as RunRecord,
    );
    expect(aggregateValue('max', 'lost', many, { metrics: {} } as unknown as RunsAggregate)).toBe(6);
    expect(aggregateValue('min', 'lost', many, { metrics: {} } as unknown as RunsAggregate)).toBe(0);
  });

  it('upper() and lower() of a rate on a single run are the Wilson bounds', async () => {
    const record = await runOnce(
      config({ messages: 400, network: { ack: { loss: 0.1 } }, broker: { visibilityTimeoutMs: 500 } }),
      3,
      false,
    );
    const parsed = parseCheck('upper(duplicateRate) < 100%');
    if (!parsed.ok) throw new Error(parsed.message);
    const expected = wilson(record.metrics.duplicates, record.metrics.processed).upper;
    expect(judgeRuns(parsed.check, [record], undefined).actual).toBeCloseTo(expected, 12);
  });

  it('settles aggregate checks on unfinished runs when more time cannot change them', async () => {
    const cfg = config({ messages: 40, horizonMs: 3000, consumers: { poisonRate: 0.2 } });
    const records = await Promise.all([1, 2, 3].map((seed) => runOnce(cfg, seed, true)));
    expect(records.some((r) => r.endedBy !== 'resolved')).toBe(true);
    const summary = aggregate(records, []);
    const status = (text: string) => {
      const parsed = parseCheck(text);
      if (!parsed.ok) throw new Error(parsed.message);
      return judgeRuns(parsed.check, records, summary).status;
    };
    expect(status('max(unresolved) == 0')).toBe('fail');
    expect(status('min(processed) > 0')).toBe('pass');
    expect(status('mean(lost) == 0')).toBe('inconclusive');
    expect(status('upper(duplicateRate) < 50%')).toBe('inconclusive');
  });
});

describe('batch interval of a rate', () => {
  /** Coverage of p by Wilson's and the batch interval over `trials` runs of n messages in 20 batches, outcomes in
   * clusters of `cluster`. */
  function coverage(p: number, n: number, cluster: number, trials: number): { wilson: number; batch: number } {
    const source = new SeededChoiceSource(11);
    const batches = 20;
    let byWilson = 0;
    let byBatch = 0;
    for (let t = 0; t < trials; t++) {
      const ks = new Array<number>(batches).fill(0);
      const ns = new Array<number>(batches).fill(0);
      // A cluster shares one draw: all of its messages duplicate, or none does (one closed channel).
      for (let i = 0; i < n; i += cluster) {
        const hit = source.uniform(0, t, i, 0) < p;
        for (let j = i; j < Math.min(n, i + cluster); j++) {
          const b = Math.floor((j * batches) / n);
          ns[b]!++;
          if (hit) ks[b]!++;
        }
      }
      const k = ks.reduce((a, b) => a + b, 0);
      const w = wilson(k, n);
      const b = batchRateInterval(ks, ns);
      if (w.lower <= p && p <= w.upper) byWilson++;
      if (b.lower <= p && p <= b.upper) byBatch++;
    }
    return { wilson: byWilson / trials, batch: byBatch / trials };
  }

  it('covers the true rate about 95 % of the time when messages are independent, as Wilson does', () => {
    const c = coverage(0.1, 2000, 1, 1000);
    expect(Math.abs(c.wilson - 0.95)).toBeLessThan(0.03);
    expect(Math.abs(c.batch - 0.95)).toBeLessThan(0.03);
  });

  it('still covers it when outcomes come in clusters of 10, where Wilson falls far short', () => {
    const c = coverage(0.1, 2000, 10, 1000);
    // Clusters of 10 multiply the variance by 10: Wilson's interval is √10 too narrow.
    expect(c.wilson).toBeLessThan(0.6);
    expect(Math.abs(c.batch - 0.95)).toBeLessThan(0.03);
  });

  it('contains the pooled rate, stays in [0, 1], and is a point when every batch has the same rate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(50), fc.integer({ min: 1, max: 50 })), { minLength: 2, maxLength: 30 }),
        (pairs) => {
          const ks = pairs.map(([k, n]) => Math.min(k, n));
          const ns = pairs.map(([, n]) => n);
          const r = ks.reduce((a, b) => a + b, 0) / ns.reduce((a, b) => a + b, 0);
          const { lower, upper } = batchRateInterval(ks, ns);
          expect(lower).toBeGreaterThanOrEqual(0);
          expect(upper).toBeLessThanOrEqual(1);
          expect(lower).toBeLessThanOrEqual(r + 1e-12);
          expect(upper).toBeGreaterThanOrEqual(r - 1e-12);
          const same = batchRateInterval(
            ns.map((n) => n * 2),
            ns.map((n) => n * 4),
          );
          expect(same.upper - same.lower).toBeLessThan(1e-12);
        },
      ),
    );
  });
});
