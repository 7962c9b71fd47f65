// The time series (--time-series, issue 18 §1): sampling changes nothing in a run, and its series add up to the
// run's own counts; past MAX_POINTS the points merge and still add up.
import '../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { measure } from '../../src/run/metrics.js';
import { INDICATOR_SERIES, MAX_POINTS, RATE_SERIES, type TimeSeriesData } from '../../src/model/time-series.js';
import { config, run } from '../helpers.js';
import { anyConfig } from './arbitraries.js';

/** The sum over the points of a rate series times each point's interval: the count it stands for. */
function total(ts: TimeSeriesData, name: (typeof RATE_SERIES)[number]): number {
  return totalOf(ts, ts.series[name]);
}

function totalOf(ts: TimeSeriesData, rates: number[]): number {
  return rates.reduce((sum, rate, i) => sum + (rate * (ts.t[i]! - (i === 0 ? 0 : ts.t[i - 1]!))) / 1000, 0);
}

function addsUp(ts: TimeSeriesData, measured: ReturnType<typeof measure>): void {
  const m = measured.metrics;
  // Rates are rounded to 1/1000 per second: a point's count is exact to 1/1000 of its interval in seconds.
  const slack = (ts.t.at(-1)! / 1000) * 0.001 + 1e-6;
  expect(Math.abs(total(ts, 'deliveriesPerSec') - m.deliveries)).toBeLessThanOrEqual(slack);
  expect(Math.abs(total(ts, 'redeliveriesPerSec') - m.redeliveries)).toBeLessThanOrEqual(slack);
  expect(Math.abs(total(ts, 'publishesPerSec') - m.publishAttempts)).toBeLessThanOrEqual(slack);
  expect(Math.abs(total(ts, 'effectsPerSec') - (m.processed + m.duplicateEffects))).toBeLessThanOrEqual(slack);
  expect(Math.abs(total(ts, 'lostPerSec') - m.lost)).toBeLessThanOrEqual(slack);
  // Losses by cause add up to the report's table, cause by cause.
  const byCause = measured.lossByCause;
  for (const [cause, n] of Object.entries(byCause)) {
    const rates = ts.lostPerSecByCause[cause as keyof TimeSeriesData['lostPerSecByCause']];
    expect(Math.abs((rates === undefined ? 0 : totalOf(ts, rates)) - n)).toBeLessThanOrEqual(slack);
  }
  for (const name of INDICATOR_SERIES) expect(ts.series[name]).toHaveLength(ts.t.length);
  for (const name of ['deliverySuccessRate', 'duplicateRate', 'dedupeHitRate'] as const)
    for (const v of ts.series[name]) if (v !== null) expect(v >= 0 && v <= 1).toBe(true);
  // Every first effect's latency falls in one point's interval: the medians lie within the run's own range.
  for (const v of ts.series.latencyP50Ms) if (v !== null) expect(v).toBeLessThanOrEqual(m.latencyMs.max + 1e-3);
  expect(ts.series.latencyP50Ms.some((v) => v !== null)).toBe(m.processed > 0);
  expect(
    ts.series.stored.every((n, i) => n === ts.series.ready[i]! + ts.series.inFlight[i]! + ts.series.delayed[i]!),
  ).toBe(true);
  expect(ts.series.lost.at(-1)).toBe(m.lost);
  expect(ts.series.deadLettered.at(-1)).toBe(m.deadLettered);
  expect(ts.t.at(-1)).toBe(m.simulatedMs);
  for (let i = 1; i < ts.t.length; i++) expect(ts.t[i]!).toBeGreaterThan(ts.t[i - 1]!);
  expect(ts.t.length).toBeLessThanOrEqual(MAX_POINTS);
}

describe('time series', () => {
  it('leave the run as it was (report and choices) and add up to its counts, for any configuration', () => {
    fc.assert(
      fc.property(
        anyConfig,
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 1000 }),
        (c, sampleMs, seed) => {
          const plain = run(c, seed);
          const sampled = run({ ...c, sampleMs }, seed);
          const { timeSeries, ...rest } = measure(sampled);
          expect(JSON.stringify(rest)).toBe(JSON.stringify(measure(plain)));
          addsUp(timeSeries!, { ...rest, timeSeries });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('merge neighbouring points past MAX_POINTS: the interval doubles and the counts still add up', () => {
    const c = config({ messages: 3000, producer: { ratePerSec: 100 }, network: { ack: { loss: 0.05 } } });
    const m = measure(run({ ...c, sampleMs: 1 }, 3));
    const ts = m.timeSeries!;
    expect(ts.sampleMs).toBeGreaterThan(1);
    expect(ts.t.length).toBeGreaterThan(MAX_POINTS / 4);
    addsUp(ts, m);
  });
});
