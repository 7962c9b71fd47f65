// Latency percentiles come from HdrHistograms: never above the largest value recorded, never below
// the true percentile (a bound check must not pass on rounding), and within the histogram's precision.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import {
  encodeHistogram,
  EXACT_BELOW,
  countedLatencyOf,
  exactLatencyOf,
  unencodedLatencyOf,
  histogramOf,
  latencyOf,
  newHistogram,
  pooledLatency,
} from '../../../src/run/latency.js';
import { percentile } from '../../../src/run/metrics.js';

const latencies = fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 });

/** What the histogram records: whole microseconds, at least one. */
const recorded = (ms: number) => Math.max(1, Math.round(ms * 1000)) / 1000;

describe('latency percentiles', () => {
  it('are ordered, never above the max, never below the true percentile, and within 0.1 % of it', () => {
    fc.assert(
      fc.property(latencies, (values) => {
        const histogram = histogramOf(values);
        const latency = latencyOf(histogram);
        histogram.destroy();
        const sorted = values.map(recorded).sort((a, b) => a - b);
        expect(latency.max).toBe(sorted.at(-1));
        expect(latency.p50).toBeLessThanOrEqual(latency.p95);
        expect(latency.p95).toBeLessThanOrEqual(latency.p99);
        expect(latency.p99).toBeLessThanOrEqual(latency.max);
        for (const [p, value] of [
          [50, latency.p50],
          [95, latency.p95],
          [99, latency.p99],
        ] as const) {
          const exact = percentile(sorted, p);
          expect(value).toBeGreaterThanOrEqual(exact);
          expect(value).toBeLessThanOrEqual(exact * 1.001 + 0.001);
        }
      }),
    );
  });

  it('are the same, and encode to the same bytes, from the WebAssembly and the JavaScript build', () => {
    // Small runs fill a JavaScript histogram and large ones a WebAssembly one: a report must not tell which.
    fc.assert(
      fc.property(latencies, (values) => {
        const [web, js] = [newHistogram(true), newHistogram(false)];
        for (const ms of values) for (const h of [web, js]) h.recordValue(Math.max(1, Math.round(ms * 1000)));
        expect([encodeHistogram(js), latencyOf(js)]).toEqual([encodeHistogram(web), latencyOf(web)]);
        web.destroy();
      }),
    );
  });

  it('reports a constant latency as itself (3 ms is not 3.001 ms)', () => {
    const histogram = histogramOf([3, 3, 3]);
    expect(latencyOf(histogram)).toEqual({ p50: 3, p95: 3, p99: 3, max: 3 });
    histogram.destroy();
  });

  it('pooled over runs, stay at or below the largest maximum', () => {
    fc.assert(
      fc.property(fc.array(latencies, { minLength: 1, maxLength: 4 }), (runs) => {
        const encoded = runs.map((values) => {
          const h = histogramOf(values);
          const text = encodeHistogram(h);
          h.destroy();
          return text;
        });
        const max = Math.max(...runs.flat().map(recorded));
        const pooled = pooledLatency(encoded, max);
        expect(pooled.max).toBe(max);
        expect(pooled.p99).toBeLessThanOrEqual(max);
        expect(pooled.p50).toBeLessThanOrEqual(pooled.p95);
      }),
    );
  });
});

describe('exact latency percentiles (a few latencies, measured without a histogram)', () => {
  /** Latencies as a run stores them (Float32), from under a microsecond to hours, many near a bucket edge. */
  const edge = fc
    .tuple(fc.integer({ min: 10, max: 40 }), fc.integer({ min: -3, max: 3 }))
    .map(([power, offset]) => Math.max(0, 2 ** power + offset) / 1000);
  const value = fc.oneof(
    fc.double({ min: 0, max: 5, noNaN: true }),
    fc.double({ min: 0, max: 1e7, noNaN: true }),
    fc.integer({ min: 0, max: 100_000 }).map((us) => us / 1000),
    edge,
  );
  /** A few of the values again: ties, as when two messages take the same path. */
  const samples = fc
    .array(value, { maxLength: EXACT_BELOW - 1 })
    .chain((values) => fc.shuffledSubarray(values).map((again) => Float32Array.from([...values, ...again])))
    .filter((values) => values.length < EXACT_BELOW);

  it('equal, to the bit, what a histogram of the same latencies gives', () => {
    fc.assert(
      fc.property(samples, (values) => {
        const histogram = histogramOf(values);
        const expected = latencyOf(histogram);
        histogram.destroy();
        const exact = exactLatencyOf(values);
        for (const key of ['p50', 'p95', 'p99', 'max'] as const)
          expect(Object.is(exact[key], expected[key])).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('counted in buckets, equal to the bit what either build of the histogram gives, for many latencies too', () => {
    /** An audit's latencies: differences of two clocks' times, from a microsecond to a clock mixed up by 10^6. */
    const audit = fc.oneof(value, fc.double({ min: 0, max: 1e12, noNaN: true }), fc.constant(2 ** 53));
    const many = fc
      .tuple(fc.array(audit, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 12_000 }))
      .map(([pool, n]) => Float64Array.from({ length: n }, (_, i) => pool[(i * 7919) % pool.length]!));
    fc.assert(
      fc.property(many, (values) => {
        const counted = countedLatencyOf(values);
        const js = newHistogram(false);
        for (const ms of values) js.recordValue(Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, Math.round(ms * 1000))));
        expect(counted).toEqual(latencyOf(js));
        expect(counted).toEqual(exactLatencyOf(values));
        // What a run measures without a histogram (exactly below EXACT_BELOW latencies, counted above).
        expect(unencodedLatencyOf(values)).toEqual(counted);
        // The WebAssembly build (what histogramOf fills from 5,000 latencies) agrees below 2^47 µs (4.5 years), where
        // its integer bucket and the JavaScript build's floating-point one cannot differ.
        if (values.every((ms) => ms < 1e11)) {
          const histogram = histogramOf(values);
          expect(counted).toEqual(latencyOf(histogram));
          histogram.destroy();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('round a latency above 2.048 ms up to the top of its histogram bucket, as the histogram does', () => {
    // 4,096 µs lies in a bucket of width 4 (4,096..4,099), 2,500 µs in one of width 2, 2,047 µs in one of width 1.
    expect(exactLatencyOf(Float32Array.from([4.096, 4.096, 9]))).toEqual({ p50: 4.099, p95: 9, p99: 9, max: 9 });
    expect(exactLatencyOf(Float32Array.from([2.5, 2.5, 9]))).toEqual({ p50: 2.501, p95: 9, p99: 9, max: 9 });
    expect(exactLatencyOf(Float32Array.from([2.047, 2.047, 9]))).toEqual({ p50: 2.047, p95: 9, p99: 9, max: 9 });
    expect(exactLatencyOf(Float32Array.from([3, 3, 3]))).toEqual({ p50: 3, p95: 3, p99: 3, max: 3 });
    expect(exactLatencyOf(new Float32Array(0))).toEqual({ p50: 0, p95: 0, p99: 0, max: 0 });
  });
});
