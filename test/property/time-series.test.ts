// The time series (--time-series, issue 18 §1): sampling changes nothing in a run, and its series add up to the
// run's own counts; past MAX_POINTS the points merge and still add up.
import '../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { measure } from '../../src/run/metrics.js';
import { INDICATOR_SERIES, MAX_POINTS, RATE_SERIES, type TimeSeriesData } from '../../src/model/time-series.js';
import { config, run } from '../helpers.js';
import type { SimulationConfig } from '../../src/model/config.js';
import { anyConfig } from './arbitraries.js';

/** The sum over the points of a rate series times each point's interval: the count it stands for. */
function total(ts: TimeSeriesData, name: (typeof RATE_SERIES)[number]): number {
  return totalOf(ts, ts.series[name]);
}

function totalOf(ts: TimeSeriesData, rates: number[]): number {
  return rates.reduce((sum, rate, i) => sum + (rate * (ts.t[i]! - (i === 0 ? 0 : ts.t[i - 1]!))) / 1000, 0);
}

function addsUp(ts: TimeSeriesData, measured: ReturnType<typeof measure>, c: SimulationConfig): void {
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
  for (const name of ['deliverySuccessRate', 'duplicateEffectRate', 'dedupeHitRate'] as const)
    for (const v of ts.series[name]) if (v !== null) expect(v >= 0 && v <= 1).toBe(true);
  // M7 is the consumers' dedupe store's: none without one.
  expect(ts.series.dedupeHitRate.some((v) => v !== null)).toBe(c.mode.consumerDedupe && m.processed > 0);
  // M3 so far ends at the report's retry rate; M1 so far at the share processed, once every message settled.
  expect(ts.series.retriesPerMessage.at(-1) ?? 0).toBeCloseTo(m.retryRate, 5);
  if (m.unresolved === 0 && m.produced > 0)
    expect(ts.series.deliverySuccessRate.at(-1)).toBeCloseTo(m.processed / m.produced, 5);
  // M4 adds up to the dead letters.
  expect(Math.abs(totalOf(ts, ts.series.deadLettersPerHour as number[]) / 3600 - m.deadLettered)).toBeLessThanOrEqual(
    3.6 * slack,
  );
  ts.series.latencyP99Ms.forEach((p99, i) => {
    if (p99 !== null) expect(p99).toBeGreaterThanOrEqual(ts.series.latencyP50Ms[i]!);
  });
  // Levels: what a queue holds splits into ready, in flight, delayed and dead letters waiting for a redrive, and
  // never passes the run's own maximum; a log holds no queue but lags; consumers up are some of the consumers.
  const log = c.broker.kind === 'log';
  ts.t.forEach((_t, i) => {
    const { stored, ready, inFlight, delayed, deadLetterQueue, deadLettered, consumerLag, consumersUp } = ts.series;
    expect(stored[i]! - ready[i]! - inFlight[i]! - delayed[i]!).toBe(deadLetterQueue[i]! - deadLettered[i]!);
    expect(stored[i]!).toBeLessThanOrEqual(m.maxQueueDepth);
    expect(log ? stored[i] : consumerLag[i]).toBe(0);
    expect(consumersUp[i]! >= 0 && consumersUp[i]! <= c.consumers.count).toBe(true);
  });
  // Every first effect's latency falls in one point's interval: the medians lie within the run's own range.
  for (const v of ts.series.latencyP50Ms) if (v !== null) expect(v).toBeLessThanOrEqual(m.latencyMs.max + 1e-3);
  expect(ts.series.latencyP50Ms.some((v) => v !== null)).toBe(m.processed > 0);
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
          addsUp(timeSeries!, { ...rest, timeSeries }, c);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('merge neighbouring points past their cap exactly: as if sampled at the doubled interval from the start', () => {
    const c = config({ messages: 3000, producer: { ratePerSec: 100 }, network: { ack: { loss: 0.05 } } });
    const m = measure(run({ ...c, sampleMs: 1 }, 3));
    const ts = m.timeSeries!;
    expect(ts.sampleMs).toBeGreaterThan(1);
    expect(ts.t.length).toBeGreaterThan(MAX_POINTS / 4);
    expect(ts.t.length).toBeLessThan(MAX_POINTS);
    addsUp(ts, m, c);
    // Every level, rate and indicator is the one a run sampled at the final interval gives.
    const direct = measure(run({ ...c, sampleMs: ts.sampleMs }, 3)).timeSeries!;
    expect(ts).toEqual(direct);
  });
});
