// Delayed messages (producer.delayMs, issue 17 §3): held by the broker, a message is delivered once when due; held
// by the consumer past the visibility timeout, it is delivered once per timeout that passes and runs that often.
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { config, measured, preset, run } from '../helpers.js';

/** n messages due `delayMs` after they are sent, a 1 s visibility timeout, every delivery taken at once. */
function delayed(n: number, delayMs: number, delayHeldBy: 'broker' | 'consumer') {
  return config({
    messages: n,
    producer: { ratePerSec: 100, delayMs, delayHeldBy },
    broker: { visibilityTimeoutMs: 1000, maxDeliveries: 0 },
    consumers: { count: 50, prefetch: 100, concurrency: 10, processingMs: 10 },
  });
}

describe('delayed messages', () => {
  it('held by the consumer, runs once per visibility timeout that passes before it is due: ceil(delay / timeout)', () => {
    const n = 300;
    // Delivered at t + 1 ms, then again every 1,000 ms while held: copies out at t + 1, 1,001, 2,001 (and 3,001).
    for (const [delayMs, runs] of [
      [500, 1],
      [2500, 3],
      [3500, 4],
    ] as const) {
      const m = measured(delayed(n, delayMs, 'consumer'), 14);
      expect(m.metrics).toMatchObject({ processed: n, duplicateEffects: (runs - 1) * n, deliveries: runs * n });
      expect(m.duplicatesByCause.visibilityTimeout).toBe(runs > 1 ? n : 0);
    }
  });

  it('held by the broker, is delivered once, when due, whatever the delay', () => {
    const n = 300;
    for (const delayMs of [500, 2500, 3500]) {
      const m = measured(delayed(n, delayMs, 'broker'), 15);
      expect(m.metrics).toMatchObject({ processed: n, duplicates: 0, deliveries: n });
    }
  });

  it('gives up what a consumer held at its crash, not when it would have been due', () => {
    // At-most-once (auto-ack): the broker forgot each message as it sent it; the consumer holding them until
    // 10 s crashes at 1 s, and they are lost then (the run ends there, not at 10 s).
    const c = delayed(50, 10_000, 'consumer');
    const m = measured(
      {
        ...c,
        mode: preset('at-most-once'),
        consumers: { ...c.consumers, count: 1 },
        faults: [{ type: 'consumer-crash', consumer: 0, atMs: 1000, durationMs: 100 }],
      },
      18,
    );
    expect(m.metrics.lost).toBeGreaterThan(0);
    expect(m.lossByCause.crashAfterAutoAck).toBe(m.metrics.lost);
    expect(m.metrics.simulatedMs).toBeLessThan(10_000);
  });

  it('never runs a message before it is due, whoever holds it (any delay)', () => {
    const arbitrary = fc.record({
      mean: fc.integer({ min: 1, max: 5000 }),
      heldBy: fc.constantFrom('broker' as const, 'consumer' as const),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(arbitrary, ({ mean, heldBy, seed }) => {
        const c = delayed(40, 0, heldBy);
        const result = run({ ...c, producer: { ...c.producer, delayMs: mean } }, seed);
        // Latency runs from the send to the first effect: at least the delay, plus processing.
        expect(Math.min(...result.latencies)).toBeGreaterThanOrEqual(mean + 10);
        expect(result.latencies.length).toBe(40);
      }),
      { numRuns: 30 },
    );
  });
});
