import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { each } from '../../each.js';
import { FingerprintingChoiceSource, RecordingChoiceSource, SeededChoiceSource } from '../../../src/sim/choice.js';
import { sampler, type Distribution } from '../../../src/sim/distribution.js';

describe('SeededChoiceSource', () => {
  it('answers the same key with the same number, in any order of asking', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.array(fc.tuple(fc.nat(12), fc.nat(1e6), fc.nat(50), fc.nat(3)), { minLength: 1, maxLength: 30 }),
        (seed, keys) => {
          const a = new SeededChoiceSource(seed);
          const b = new SeededChoiceSource(seed);
          const forward = keys.map(([s, x, y, z]) => a.uniform(s, x, y, z));
          const backward = [...keys]
            .reverse()
            .map(([s, x, y, z]) => b.uniform(s, x, y, z))
            .reverse();
          expect(backward).toEqual(forward);
          expect(forward.filter((u) => !(u >= 0 && u < 1))).toEqual([]);
        },
      ),
    );
  });

  it('gives different seeds different streams', () => {
    const a = new SeededChoiceSource(1);
    const b = new SeededChoiceSource(2);
    let same = 0;
    for (let m = 0; m < 1000; m++) if (a.uniform(0, m, 0, 0) === b.uniform(0, m, 0, 0)) same++;
    expect(same).toBe(0);
  });

  it('is uniform: chi-square over 20 bins for neighbouring keys stays below the 99.9th percentile', () => {
    const source = new SeededChoiceSource(42);
    const bins = new Array<number>(20).fill(0);
    const n = 100_000;
    for (let m = 0; m < n; m++) bins[Math.floor(source.uniform(3, m, m % 7, 0) * 20)]!++;
    const expected = n / 20;
    const chiSquare = bins.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(43.82); // chi-square, 19 degrees of freedom, p = 0.001
  });

  it('keeps neighbouring keys uncorrelated', () => {
    const source = new SeededChoiceSource(7);
    const n = 100_000;
    for (const [dm, dk] of [
      [1, 0],
      [0, 1],
    ] as const) {
      let sum = 0;
      for (let m = 0; m < n; m++) sum += (source.uniform(2, m, 0, 0) - 0.5) * (source.uniform(2, m + dm, dk, 0) - 0.5);
      const correlation = (sum / n) * 12;
      expect(Math.abs(correlation)).toBeLessThan(4 / Math.sqrt(n)); // 4 standard errors
    }
  });

  it('picks outcomes with their probabilities', () => {
    const source = new SeededChoiceSource(3);
    const counts = [0, 0, 0];
    const n = 200_000;
    for (let m = 0; m < n; m++) counts[source.pick(0, m, 0, 0, [0.7, 0.2, 0.1])]!++;
    const tolerance = (p: number) => 5 * Math.sqrt((p * (1 - p)) / n);
    expect(Math.abs(counts[1]! / n - 0.2)).toBeLessThan(tolerance(0.2));
    expect(Math.abs(counts[2]! / n - 0.1)).toBeLessThan(tolerance(0.1));
  });

  it('fingerprints the sequence of decisions: same answers in the same order, same fingerprint', () => {
    const run = (seed: number, order: Array<[number, number]>) => {
      const source = new FingerprintingChoiceSource(new SeededChoiceSource(seed));
      for (const [site, a] of order) {
        source.pick(site, a, 0, 0, [0.5, 0.5]);
        source.uniform(site, a, 1, 0);
      }
      return source.fingerprint();
    };
    const order: Array<[number, number]> = [
      [0, 1],
      [3, 2],
      [2, 7],
    ];
    expect(run(1, order)).toBe(run(1, order));
    expect(run(1, order)).toMatch(/^[0-9a-f]{16}$/);
    expect(run(2, order)).not.toBe(run(1, order));
    expect(run(1, [...order].reverse())).not.toBe(run(1, order));
    expect(run(1, order.slice(0, 2))).not.toBe(run(1, order));
  });

  it('records every pick through the recording wrapper', () => {
    const recording = new RecordingChoiceSource(new SeededChoiceSource(1));
    const outcome = recording.pick(3, 17, 0, 0, [0.5, 0.5]);
    expect(recording.picks).toEqual([{ site: 3, a: 17, b: 0, c: 0, outcome }]);
  });
});

describe('distributions', () => {
  const source = new SeededChoiceSource(9);
  const meanOf = (draw: (i: number) => number, n = 100_000) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += draw(i);
    return sum / n;
  };

  each<[Distribution, number, number]>(
    [
      [{ dist: 'uniform', min: 10, max: 30 } as const, 20, 20 / Math.sqrt(12)],
      [{ dist: 'exponential', mean: 50 } as const, 50, 50],
      [{ dist: 'normal', mean: 100, stddev: 10 } as const, 100, 10],
      [{ dist: 'lognormal', mean: 40, stddev: 20 } as const, 40, 20],
    ],
    '%o has the mean it was given (within 5 standard errors)',
    (dist, mean, stddev) => {
      const s = sampler(dist);
      const n = 100_000;
      const observed = meanOf((i) => s.sample(source, 10, i, 0, 0), n);
      expect(Math.abs(observed - mean)).toBeLessThan((5 * stddev) / Math.sqrt(n));
      expect(s.mean).toBe(mean);
    },
  );

  it('treats a number and a constant distribution as fixed durations', () => {
    expect(sampler(12).constant).toBe(true);
    expect(sampler({ dist: 'constant', value: 3 }).sample(source, 0, 0, 0, 0)).toBe(3);
  });

  it('never draws a negative duration from a normal distribution', () => {
    const s = sampler({ dist: 'normal', mean: 1, stddev: 10 });
    const draws = Array.from({ length: 10_000 }, (_, i) => s.sample(source, 10, i, 0, 0));
    expect(draws.filter((d) => !(d >= 0))).toEqual([]);
  });
});
