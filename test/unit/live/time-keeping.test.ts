// The time-keeping check of acksim live: what the clients lost to timers, round trips and reconnects
// is replayed in the model, and a comparison it could decide is refused with one line.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import type { FidelityRow } from '../../../src/live/fidelity.js';
import { stretched, timeKeepingProblem, timingSensitivity } from '../../../src/live/time-keeping.js';
import { sampler, type Duration } from '../../../src/sim/distribution.js';
import { config, preset } from '../../helpers.js';

/** A fidelity row whose loss rate is `lossRate` in [lower, upper] and which has no duplicates. */
function row(lossRate: number, lower: number, upper: number): FidelityRow {
  const none = {
    live: 0,
    interval: { lower: 0, upper: 0.01 },
    predicted: 0,
    modelSpread: 0,
    tolerance: { lower: 0, upper: 0.01 },
    inside: true,
  };
  return {
    mode: 'at-most-once',
    produced: 1000,
    lossRate: {
      live: lossRate,
      interval: { lower, upper },
      predicted: lossRate,
      modelSpread: 0,
      tolerance: { lower, upper },
      inside: true,
    },
    duplicateRate: none,
  };
}

// One consumer with prefetch 5 at 40 % of its capacity, crashing before the effect on 5 % of
// deliveries: what it holds when it crashes grows quickly once processing takes longer.
const busy = config({
  messages: 1000,
  mode: preset('at-most-once'),
  producer: { ratePerSec: 80 },
  consumers: {
    count: 1,
    prefetch: 5,
    processingMs: 5,
    crash: { probability: 0.05, point: 'before-effect', restartMs: 20 },
  },
});
// Lost acks: the duplicates come from the seeded ack losses, whatever processing takes.
const lostAcks = config({ messages: 1000, network: { ack: { loss: 0.02 } } });

describe('live time-keeping', () => {
  it('stretches every duration by the extra mean it is given', () => {
    const durations: Duration[] = [
      10,
      { dist: 'constant', value: 10 },
      { dist: 'uniform', min: 5, max: 15 },
      { dist: 'exponential', mean: 10 },
      { dist: 'normal', mean: 10, stddev: 2 },
      { dist: 'lognormal', mean: 10, stddev: 4 },
    ];
    for (const duration of durations) expect(sampler(stretched(duration, 7)).mean).toBeCloseTo(17, 10);
    expect(stretched({ dist: 'lognormal', mean: 0, stddev: 0 }, 7)).toBe(7);
  });

  it("moves a busy consumer's loss when processing or restarts take longer, and lost acks not at all", () => {
    const slower = timingSensitivity(busy, 1, { processingMs: 10, restartMs: 0 });
    expect(slower.shift.lossRate).toBeGreaterThan(0.05);
    expect(timingSensitivity(busy, 1, { processingMs: 0, restartMs: 200 }).shift.lossRate).toBeGreaterThan(0);
    const none = { lossRate: 0, duplicateRate: 0 };
    expect(timingSensitivity(lostAcks, 1, { processingMs: 50, restartMs: 50 })).toEqual({
      shift: none,
      shiftError: none,
      spread: none,
    });
  });

  it('measures how much one run scatters from timing alone where one late event changes what follows', () => {
    // RabbitMQ's consumer timeout closes a channel and takes its neighbour back: a millisecond decides
    // which deliveries go round again, so the same seed gives a different duplicate rate.
    const channels = config({
      messages: 300,
      producer: { ratePerSec: 3 },
      broker: {
        visibilityTimeoutMs: 2500,
        visibilityTimeoutScope: 'channel',
        prefetchCountsUnacked: true,
        requeueOnDisconnect: true,
      },
      consumers: { count: 5, prefetch: 2, concurrency: 2, processingMs: { dist: 'uniform', min: 500, max: 3500 } },
    });
    expect(timingSensitivity(channels, 11, { processingMs: 1, restartMs: 0 }).spread.duplicateRate).toBeGreaterThan(
      0.005,
    );
    // Lost acks scatter with their seeded faults only, which the live run shares.
    expect(timingSensitivity(lostAcks, 1, { processingMs: 1, restartMs: 0 }).spread.duplicateRate).toBe(0);
  });

  it('refuses, with one line and a larger time scale to try, a comparison the clients’ lateness could decide', () => {
    const verdict = (costs: { processingMs: number; restartMs: number }, lower: number, upper: number) =>
      timeKeepingProblem(row(0.1, lower, upper), timingSensitivity(busy, 1, costs), costs, 0.05);
    // 10 ms of the scenario per delivery moves the loss by more than a quarter of a 6-point interval.
    const late = verdict({ processingMs: 10, restartMs: 0 }, 0.07, 0.13);
    expect(late).toMatch(
      /^at-most-once: the clients could not keep the scenario's time at --time-scale 0\.05: each processed delivery took 10\.0 ms of the scenario beyond its processing time \(late timers, round trips\), which moves the model's loss rate from 10\.0% to \d+\.\d+%, more than a quarter of the live interval; try --time-scale (0\.1|0\.2|0\.5|1) or more$/,
    );
    expect(verdict({ processingMs: 0, restartMs: 300 }, 0.07, 0.13)).toMatch(
      / and each restart 300 ms beyond restartMs \(reconnecting\), /,
    );
    // A small shift against a wide interval passes, and so does a large one within its own noise.
    const zero = { lossRate: 0, duplicateRate: 0 };
    const costs = { processingMs: 1, restartMs: 0 };
    expect(
      timeKeepingProblem(row(0.1, 0.07, 0.13), { shift: { ...zero, lossRate: 0.01 }, shiftError: zero }, costs, 0.05),
    ).toBeUndefined();
    expect(
      timeKeepingProblem(row(0.1, 0.07, 0.13), { shift: { ...zero, lossRate: 0.03 }, shiftError: zero }, costs, 0.05),
    ).toBeDefined();
    const noisy = { shift: { ...zero, lossRate: 0.03 }, shiftError: { ...zero, lossRate: 0.01 } };
    expect(timeKeepingProblem(row(0.1, 0.07, 0.13), noisy, costs, 0.05)).toBeUndefined();
  });
});
