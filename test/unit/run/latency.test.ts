// Latency percentiles come from HdrHistograms: never above the largest value recorded, never below
// the true percentile (a bound check must not pass on rounding), and within the histogram's precision.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { encodeHistogram, histogramOf, latencyOf, newHistogram, pooledLatency } from '../../../src/run/latency.js';
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
