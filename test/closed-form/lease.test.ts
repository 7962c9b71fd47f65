// Lease extension and stalls (issue 17): where the heartbeat's arithmetic gives the answer exactly, and where
// probability does (within 5 standard errors, as closed-form.test.ts).
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { config, measured, run } from '../helpers.js';

const tolerance = (p: number, samples: number) => 5 * Math.sqrt((p * (1 - p)) / samples);

/** Processing three times the 30 s visibility timeout, every message processed at once (9,000 slots). */
function slow(messages: number, overrides: Parameters<typeof config>[0] = {}) {
  return config({
    messages,
    producer: { ratePerSec: 100 },
    ...overrides,
    broker: { visibilityTimeoutMs: 30000, maxDeliveries: 0, ...overrides.broker },
    consumers: { count: 300, prefetch: 30, concurrency: 30, processingMs: 85000, ...overrides.consumers },
  });
}

describe('lease extension', () => {
  it('a heartbeat well inside the timeout keeps processing three times as long from ever timing out', () => {
    // Without one, every delivery runs out (the second dead-letters, after its effect ran).
    const without = measured(slow(500, { broker: { maxDeliveries: 2 } }), 3);
    expect(without.metrics).toMatchObject({ duplicates: 500, deadLettered: 500 });
    for (const intervalMs of [1000, 10000, 20000]) {
      const m = measured(slow(500, { consumers: { leaseExtension: { intervalMs } } }), 3);
      expect(m.metrics).toMatchObject({ duplicates: 0, redeliveries: 0, visibilityTimeoutBreaches: 0, lost: 0 });
    }
  });

  it('never lets a lease run out when the first heartbeat and its trip fit inside the timeout (any timings)', () => {
    const timings = fc
      .record({
        timeoutMs: fc.integer({ min: 50, max: 5000 }),
        deliverMs: fc.integer({ min: 0, max: 10 }),
        ackMs: fc.integer({ min: 0, max: 10 }),
      })
      .chain((t) =>
        fc.record({
          timeoutMs: fc.constant(t.timeoutMs),
          deliverMs: fc.constant(t.deliverMs),
          ackMs: fc.constant(t.ackMs),
          // Receipt d after the delivery, heartbeat n at receipt + n I, there a ms later: I + a + d < the timeout.
          intervalMs: fc.integer({ min: 1, max: t.timeoutMs - t.ackMs - t.deliverMs - 1 }),
          processingMs: fc.integer({ min: 0, max: 5 * t.timeoutMs }),
          slots: fc.integer({ min: 1, max: 4 }),
        }),
      );
    fc.assert(
      fc.property(timings, fc.integer({ min: 0, max: 1000 }), (t, seed) => {
        const m = measured(
          config({
            messages: 40,
            producer: { ratePerSec: 50 },
            network: { deliver: { latencyMs: t.deliverMs }, ack: { latencyMs: t.ackMs } },
            broker: { visibilityTimeoutMs: t.timeoutMs },
            consumers: {
              count: 2,
              // As many slots as prefetch: nothing waits in a buffer unextended.
              prefetch: t.slots,
              concurrency: t.slots,
              processingMs: t.processingMs,
              leaseExtension: { intervalMs: t.intervalMs },
            },
          }),
          seed,
        );
        expect(m.metrics).toMatchObject({ redeliveries: 0, duplicates: 0, visibilityTimeoutBreaches: 0 });
        expect(m.metrics.processed).toBe(40);
      }),
      { numRuns: 60 },
    );
  });

  it('extensions stop after maxMs: the lease then runs out as if there were none', () => {
    const extension = { intervalMs: 10000, maxMs: 40000 };
    const m = measured(slow(300, { broker: { maxDeliveries: 2 }, consumers: { leaseExtension: extension } }), 4);
    // Extensions at 10, 20, 30 and 40 s carry the lease to 70 s; processing takes 85 s.
    expect(m.metrics.duplicates).toBe(300);
    expect(m.duplicatesByCause.visibilityTimeout).toBe(300);
  });

  it('with extension loss q, a heartbeat every 20 s of a 30 s lease expires when any of the first three is lost', () => {
    // Receipt at r (1 ms after the delivery), deadline r + 29,999; heartbeat n at r + 20,000 n arrives 1 ms
    // later and moves the deadline to r + 20,000 n + 30,001. A lost heartbeat n leaves the deadline before
    // heartbeat n + 1: the lease expires, unless n = 4 (its deadline, r + 90,001, is after the ack at r + 85,001).
    const n = 2000;
    for (const [q, seed] of [
      [0.05, 5],
      [0.2, 6],
    ] as const) {
      const m = measured(
        slow(n, { network: { ack: { loss: q } }, consumers: { leaseExtension: { intervalMs: 20000 } } }),
        seed,
      );
      const expired = 1 - (1 - q) ** 3;
      expect(Math.abs(m.duplicatesByCause.leaseExtensionLost! / n - expired)).toBeLessThan(tolerance(expired, n));
      // Otherwise the ack itself may be lost: duplicated when any of the four is.
      const duplicated = 1 - (1 - q) ** 4;
      expect(Math.abs(m.metrics.duplicates / n - duplicated)).toBeLessThan(tolerance(duplicated, n));
      expect(m.metrics.duplicates).toBe(m.duplicatesByCause.leaseExtensionLost! + m.duplicatesByCause.ackLost!);
    }
  });

  it('ends a stall with the crash of its consumer: the next life starts unfrozen', () => {
    // Seed 7: delivery 0 of #0 stalls for 20 s, the consumer crashes at 500 ms and restarts at 600; delivery 1
    // does not stall, and runs within its 3 s lease (a stall that outlived the crash made it time out).
    const cfg = config({
      messages: 3,
      producer: { ratePerSec: 1 },
      broker: { visibilityTimeoutMs: 3000, requeueOnDisconnect: true, maxDeliveries: 2 },
      consumers: { count: 1, prefetch: 1, processingMs: 100, stall: { probability: 0.5, durationMs: 20000 } },
      faults: [{ type: 'consumer-crash', consumer: 0, atMs: 500, durationMs: 100 }],
    });
    const m = measured(cfg, 7);
    expect(m.faultsInjected.consumerStalls).toBeGreaterThan(0);
    expect(Math.min(...run(cfg, 7).latencies)).toBeLessThan(1000);
    expect(m.duplicatesByCause.consumerStall).toBe(m.metrics.duplicates);
    expect(m.metrics).toMatchObject({ deadLettered: 0, lost: 0 });
  });

  it('a stall longer than the lease duplicates a fraction p of the messages, heartbeat or not (cause consumerStall)', () => {
    const n = 20000;
    for (const [p, intervalMs, seed] of [
      [0.02, 300, 7],
      [0.1, 0, 8],
    ] as const) {
      const m = measured(
        config({
          messages: n,
          producer: { ratePerSec: 100 },
          broker: { visibilityTimeoutMs: 1000, maxDeliveries: 0 },
          consumers: {
            count: 100,
            // One delivery at a time: a stall holds no other delivery whose lease could run out with it.
            prefetch: 1,
            processingMs: 10,
            leaseExtension: { intervalMs },
            stall: { probability: p, durationMs: 2000 },
          },
        }),
        seed,
      );
      // A message is duplicated when its first delivery stalls: the lease runs out and another consumer runs it.
      expect(Math.abs(m.metrics.duplicates / n - p)).toBeLessThan(tolerance(p, n));
      expect(m.duplicatesByCause.consumerStall).toBe(m.metrics.duplicates);
      // Every delivery draws its stall: deliveries = messages + one per stall of a lease that ran out.
      expect(m.faultsInjected.consumerStalls).toBeGreaterThanOrEqual(m.metrics.duplicates);
      expect(m.metrics.lost).toBe(0);
    }
  });
});
