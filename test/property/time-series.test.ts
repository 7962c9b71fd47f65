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
  // The rules below hold at every point: each names the points that break it, and must name none. (One
  // expect per point cost 6 of this file's 7 s: the library builds an error object for every call.)
  const broken = (rule: string, holds: (i: number) => boolean) => ({
    rule,
    points: ts.t.map((_t, i) => i).filter((i) => !holds(i)),
  });
  const log = c.broker.kind === 'log';
  const { stored, ready, inFlight, delayed, deadLetterQueue, deadLettered, consumerLag, consumersUp } = ts.series;
  const { latencyP50Ms, latencyP99Ms } = ts.series;
  const rules = [
    ...(['deliverySuccessRate', 'duplicateEffectRate', 'dedupeHitRate'] as const).map((name) =>
      broken(
        `${name} within [0, 1]`,
        (i) => ts.series[name][i] === null || (ts.series[name][i]! >= 0 && ts.series[name][i]! <= 1),
      ),
    ),
    broken('p99 at least p50', (i) => latencyP99Ms[i] === null || latencyP99Ms[i]! >= latencyP50Ms[i]!),
    // Levels: what a queue holds splits into ready, in flight, delayed and dead letters waiting for a redrive,
    // and never passes the run's own maximum; a log holds no queue but lags; consumers up are some of them.
    broken(
      'stored = ready + in flight + delayed + dead letters waiting',
      (i) => stored[i]! - ready[i]! - inFlight[i]! - delayed[i]! === deadLetterQueue[i]! - deadLettered[i]!,
    ),
    broken('stored within the run maximum', (i) => stored[i]! <= m.maxQueueDepth),
    broken(log ? 'a log stores nothing' : 'a queue has no lag', (i) => (log ? stored[i] : consumerLag[i]) === 0),
    broken('consumers up within the consumers', (i) => consumersUp[i]! >= 0 && consumersUp[i]! <= c.consumers.count),
    // Every first effect's latency falls in one point's interval: the medians lie within the run's own range.
    broken('p50 within the run maximum', (i) => latencyP50Ms[i] === null || latencyP50Ms[i]! <= m.latencyMs.max + 1e-3),
    broken('time increasing', (i) => i === 0 || ts.t[i]! > ts.t[i - 1]!),
  ];
  expect(rules.filter((r) => r.points.length > 0)).toEqual([]);
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
  expect(latencyP50Ms.some((v) => v !== null)).toBe(m.processed > 0);
  expect(ts.series.lost.at(-1)).toBe(m.lost);
  expect(ts.series.deadLettered.at(-1)).toBe(m.deadLettered);
  expect(ts.t.at(-1)).toBe(m.simulatedMs);
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
