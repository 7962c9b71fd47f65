// Keys, per-key order and message groups (issue 17 §4): the keys' distribution, the order message groups keep
// (a property), and the time a group waits behind a failing message (exact).
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { MessageKeys } from '../../src/model/keys.js';
import { SeededChoiceSource } from '../../src/sim/choice.js';
import { config, measured, preset } from '../helpers.js';
import { anyConfig } from '../property/arbitraries.js';

/** How many of `n` messages get each key. */
function histogram(n: number, keys: { count: number; dist: 'uniform' | 'zipf'; skew: number }, seed: number) {
  const drawn = new MessageKeys(config({ messages: n, producer: { keys } }), new SeededChoiceSource(seed));
  const counts = new Array<number>(keys.count).fill(0);
  for (let m = 0; m < n; m++) counts[drawn.keyOf(m)]!++;
  return counts;
}

describe('message keys', () => {
  it('spreads keys evenly, or by Zipf: key i with a chance in proportion to 1/(i+1)^s, within 5 standard errors', () => {
    const n = 50_000;
    for (const [keys, seed] of [
      [{ count: 10, dist: 'uniform' as const, skew: 1 }, 1],
      [{ count: 50, dist: 'zipf' as const, skew: 1 }, 2],
      [{ count: 8, dist: 'zipf' as const, skew: 2 }, 3],
    ] as const) {
      const weights = Array.from({ length: keys.count }, (_, i) =>
        keys.dist === 'zipf' ? 1 / (i + 1) ** keys.skew : 1,
      );
      const total = weights.reduce((a, b) => a + b, 0);
      histogram(n, keys, seed).forEach((got, i) => {
        const p = weights[i]! / total;
        expect(Math.abs(got / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
      });
    }
  });

  it('keeps every key in order with message groups, when messages are stored in order and leave only when acked', () => {
    const grouped = anyConfig
      .filter((c) => c.broker.delivery === 'push')
      .map((c) => ({
        ...c,
        // A run cut short keeps the order too; a few configurations loop (a storm) until the limit.
        maxEvents: 50_000,
        // Publishes that take the same time, never fail nor time out: the queue stores messages in the order sent.
        producer: {
          ...c.producer,
          confirmTimeoutMs: 1e9,
          crash: { probability: 0, restartMs: 0 },
          keys: { count: 3, dist: 'uniform' as const, skew: 1 },
        },
        network: { ...c.network, publish: { loss: 0, duplicate: 0, latencyMs: 1 } },
        // No message leaves the queue while a delivery of it may still run: never dropped, dead-lettered or expired,
        // nor lost in a crash (a holder that leaves frees its group, as SQS FIFO's does, and its late effect can then
        // come after its group's next one).
        broker: {
          ...c.broker,
          messageGroups: true,
          maxDeliveries: 0,
          retentionMs: 0,
          durable: true,
          // Never throttled (a rejected publish is retried, after later ones).
          maxPublishPerSec: 0,
        },
        faults: c.faults.filter((f) => f.type !== 'dlq-redrive'),
      }));
    fc.assert(
      fc.property(grouped, fc.integer({ min: 0, max: 10_000 }), (c, seed) => {
        for (const mode of [preset('at-least-once'), preset('exactly-once')]) {
          const m = measured({ ...c, mode }, seed);
          expect(m.metrics.outOfOrder).toBe(0);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('reorders a standard queue but never a grouped one on the same faults', () => {
    const run = (messageGroups: boolean) =>
      measured(
        config({
          messages: 2000,
          producer: { ratePerSec: 50, maxInFlight: 1, keys: { count: 10, dist: 'uniform', skew: 1 } },
          broker: { messageGroups, redeliveryBackoff: { minMs: 500, maxMs: 500 } },
          consumers: { count: 8, prefetch: 1, processingMs: 50, failure: { probability: 0.05 } },
        }),
        12,
      );
    const standard = run(false);
    expect(standard.metrics.outOfOrder).toBeGreaterThan(0);
    expect(standard.orderViolationsByCause!.nack).toBeGreaterThan(0);
    expect(Object.values(standard.orderViolationsByCause!).reduce((a, b) => a + b, 0)).toBe(
      standard.metrics.outOfOrder,
    );
    const grouped = run(true);
    expect(grouped.metrics).toMatchObject({ outOfOrder: 0, lost: 0 });
    expect(grouped.metrics.groupBlockedMs).toBeGreaterThan(0);
  });

  it('names why a message of one consumer slot came late: a reordered publish, a delay, a reordered delivery', () => {
    const causes = (overrides: NonNullable<Parameters<typeof config>[0]>) => {
      const m = measured(
        config({
          messages: 200,
          ...overrides,
          producer: { ratePerSec: 100, keys: { count: 2, dist: 'uniform', skew: 1 }, ...overrides.producer },
          broker: { visibilityTimeoutMs: 30000 },
          consumers: { count: 1, prefetch: 5, concurrency: 1, processingMs: 1 },
        }),
        17,
      );
      expect(m.metrics.outOfOrder).toBeGreaterThan(0);
      return Object.entries(m.orderViolationsByCause!).filter(([, n]) => n > 0);
    };
    const jitter = { latencyMs: { dist: 'uniform' as const, min: 1, max: 50 } };
    expect(causes({ network: { publish: jitter } }).map(([name]) => name)).toEqual(['publishReordered']);
    expect(causes({ network: { deliver: jitter } }).map(([name]) => name)).toEqual(['deliveryReordered']);
    const delays = { delayMs: { dist: 'uniform' as const, min: 0, max: 2000 } };
    expect(causes({ producer: delays }).map(([name]) => name)).toEqual(['delay']);
  });

  it("counts a group blocked from its holder's first failure to its dead-lettering, when a message waits behind it", () => {
    // One key, every attempt fails, 3 deliveries 1 s apart, 100 ms of processing, no latency: each message fails at
    // t + 100, t + 1,200 and t + 2,300, and dead-letters then. Of 3 messages, the first two have one waiting behind.
    const zero = { latencyMs: 0 };
    const m = measured(
      config({
        messages: 3,
        producer: { ratePerSec: 1000, keys: { count: 1, dist: 'uniform', skew: 1 } },
        network: { publish: zero, confirm: zero, deliver: zero, ack: zero },
        broker: { messageGroups: true, maxDeliveries: 3, redeliveryBackoff: { minMs: 1000, maxMs: 1000 } },
        consumers: { count: 2, prefetch: 1, processingMs: 100, failure: { probability: 1 } },
      }),
      13,
    );
    expect(m.metrics).toMatchObject({ deadLettered: 3, groupBlockedMs: 2 * 2200, outOfOrder: 0 });
  });
});
