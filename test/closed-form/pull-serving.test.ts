// How a pulling broker serves asks: broker.pullRedelivery (a redelivery at a consumer's next ask, or at once to one
// that waits) and broker.askOvertakesAcks (an ask sent right after an ack served before it). Closed forms, with
// late acks accepted, every processing time P between the visibility timeout T and 2T, and messages 3P apart:
// - pullRedelivery. Each message's delivery times out at T while another consumer waits. At once, that consumer
//   takes it then: 2 deliveries and 1 duplicate effect per message (the first delivery's ack at P < 2T settles it
//   before the second times out). On ask, the waiting consumer asks again only after fetchWaitMs, longer than the
//   whole run: the first delivery's ack at P settles the message first, so 1 delivery and no duplicate.
// - askOvertakesAcks, one consumer. Its delivery times out at T while it still processes; at P it acks and asks.
//   Served before the ack (probability p), the ask claims the message back: 2 deliveries, 1 duplicate effect.
//   Served after it, the message is settled: 1 delivery. So duplicates are Binomial(messages, p).
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expect } from 'expect';
import { config, measured, type ConfigOverrides } from '../helpers.js';

/** Messages 3P apart, each processed for P in (T, 2T), late acks accepted, pulled. */
function pulled(
  messages: number,
  timeoutMs: number,
  ratio: number,
  broker: ConfigOverrides['broker'],
  consumers: ConfigOverrides['consumers'],
) {
  const processingMs = Math.round(timeoutMs * ratio);
  const gapMs = 3 * processingMs;
  return config({
    messages,
    horizonMs: (messages + 10) * gapMs,
    producer: { ratePerSec: 1000 / gapMs },
    broker: { visibilityTimeoutMs: timeoutMs, maxDeliveries: 0, lateAcks: 'accepted', delivery: 'pull', ...broker },
    consumers: { prefetch: 1, processingMs, ...consumers },
  });
}

const timeouts = fc.integer({ min: 1000, max: 20_000 });
const ratios = fc.double({ min: 1.05, max: 1.95, noNaN: true });

describe('how a pulling broker serves asks', () => {
  it('pullRedelivery: at once, a waiting consumer takes every timed-out delivery; on ask, the ack comes first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), timeouts, ratios, (messages, timeoutMs, ratio) => {
        const run = (pullRedelivery: 'on-ask' | 'at-once') => {
          // A waiting consumer's read blocks longer than the whole run: only a new message (or, at once, a
          // redelivery) ends it.
          const c = pulled(messages, timeoutMs, ratio, { pullRedelivery }, { count: 3, fetchWaitMs: 1e9 });
          const m = measured(c, 1).metrics;
          expect([m.produced, m.processed, m.lost]).toEqual([messages, messages, 0]);
          return [m.deliveries, m.duplicates, m.duplicateEffects];
        };
        expect(run('at-once')).toEqual([2 * messages, messages, messages]);
        expect(run('on-ask')).toEqual([messages, 0, 0]);
      }),
      { numRuns: 30 },
    );
  });

  it('askOvertakesAcks 0 or 1: the consumer never or always claims back the message it has just acked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), timeouts, ratios, (messages, timeoutMs, ratio) => {
        const run = (askOvertakesAcks: number) => {
          const m = measured(pulled(messages, timeoutMs, ratio, { askOvertakesAcks }, { count: 1 }), 1).metrics;
          expect([m.produced, m.processed, m.lost]).toEqual([messages, messages, 0]);
          return [m.deliveries, m.duplicateEffects];
        };
        expect(run(0)).toEqual([messages, 0]);
        expect(run(1)).toEqual([2 * messages, messages]);
      }),
      { numRuns: 30 },
    );
  });

  it('askOvertakesAcks p: duplicates are Binomial(messages, p), within 5 standard deviations', () => {
    const messages = 400;
    for (const p of [0.2, 0.5, 0.9]) {
      const c = pulled(messages, 2000, 1.5, { askOvertakesAcks: p }, { count: 1 });
      const duplicates = measured(c, 1).metrics.duplicateEffects;
      const sd = Math.sqrt(messages * p * (1 - p));
      expect(Math.abs(duplicates - messages * p)).toBeLessThan(5 * sd);
    }
  });

  it('the race is drawn from the seed, as a latency is: the same seed gives the same duplicates, another seed others', () => {
    const c = pulled(400, 2000, 1.5, { askOvertakesAcks: 0.5 }, { count: 1 });
    const duplicates = (seed: number) => measured(c, seed).metrics.duplicateEffects;
    expect(duplicates(1)).toBe(duplicates(1));
    expect(new Set([1, 2, 3, 4, 5].map(duplicates)).size).toBeGreaterThan(1);
  });
});
