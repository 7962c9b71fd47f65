// A redrive of the dead-letter queue (faults: dlq-redrive, issue 17): exact where the timing decides, and a
// closed form where transient failures do.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { config, measured } from '../helpers.js';

const tolerance = (p: number, samples: number) => 5 * Math.sqrt((p * (1 - p)) / samples);

describe('dead-letter redrive', () => {
  it('runs again every message dead-lettered after its effect ran, each a duplicate with cause redrive', () => {
    const n = 400;
    const run = (faults: { type: 'dlq-redrive'; atMs: number }[]) =>
      measured(
        config({
          messages: n,
          producer: { ratePerSec: 100 },
          // The lease runs out at 100 ms, the work is done at 200 ms: dead-lettered at the first delivery, done.
          broker: { visibilityTimeoutMs: 100, maxDeliveries: 1 },
          consumers: { count: 50, prefetch: 1, processingMs: 200 },
          faults,
        }),
        9,
      );
    const before = run([]);
    expect(before.metrics).toMatchObject({ deadLettered: n, deadLetteredProcessed: n, duplicates: 0, processed: n });
    const after = run([{ type: 'dlq-redrive', atMs: 60000 }]);
    // Back in the queue, each runs again, and its lease runs out again: the dead-letter queue holds them all again.
    expect(after.metrics).toMatchObject({ duplicates: n, deadLettered: n, deadLetteredProcessed: n, redeliveries: n });
    expect(after.duplicatesByCause.redrive).toBe(n);
    expect(after.faultsInjected.dlqRedrives).toBe(1);
    // Two redrives: three runs of each.
    const twice = run([
      { type: 'dlq-redrive', atMs: 60000 },
      { type: 'dlq-redrive', atMs: 120000 },
    ]);
    expect(twice.metrics).toMatchObject({ duplicates: n, duplicateEffects: 2 * n, deadLettered: n });
  });

  it('ignores the late ack of a delivery from before the dead-letter queue: a redriven copy runs again', () => {
    // All 50 are dead-lettered at their 100 ms timeout while their 300 ms of processing runs on, and redriven at
    // 200 ms; the old deliveries' acks (at about 300 ms) must not settle the redriven copies, which run again.
    const n = 50;
    const m = measured(
      config({
        messages: n,
        producer: { ratePerSec: 1000 },
        broker: { visibilityTimeoutMs: 100, maxDeliveries: 1 },
        consumers: { count: 100, prefetch: 1, processingMs: 300 },
        faults: [{ type: 'dlq-redrive', atMs: 200 }],
      }),
      16,
    );
    expect(m.metrics).toMatchObject({ duplicates: n, duplicateEffects: n, redeliveries: n });
    expect(m.duplicatesByCause.redrive).toBe(n);
  });

  it('gives a message dead-lettered by transient failures p another chance: p^2 stay dead-lettered, none twice', () => {
    const n = 20000;
    for (const [p, seed] of [
      [0.1, 10],
      [0.4, 11],
    ] as const) {
      const m = measured(
        config({
          messages: n,
          producer: { ratePerSec: 1000 },
          broker: { maxDeliveries: 1 },
          consumers: { failure: { probability: p }, processingMs: 1 },
          faults: [{ type: 'dlq-redrive', atMs: 60000 }],
        }),
        seed,
      );
      expect(Math.abs(m.metrics.deadLettered / n - p * p)).toBeLessThan(tolerance(p * p, n));
      expect(m.metrics).toMatchObject({ duplicates: 0, deadLetteredProcessed: 0, lost: 0 });
      expect(m.metrics.processed + m.metrics.deadLettered).toBe(n);
    }
  });
});
