// broker.lateAcks: an ack of a delivery that is no longer the latest. Closed forms: with every processing time P
// between the visibility timeout T and 2T, enough consumers for two deliveries of every message, and nothing
// lost, each message goes out at 0 and T (a pulling consumer asks again within 10 ms), and its first delivery's ack
// at P settles it when late acks are
// accepted: exactly 2 deliveries and 1 duplicate effect per message. Ignored (SQS receipt handles), every
// delivery times out before its ack counts, so the message goes out again at every timeout until the horizon.
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expect } from 'expect';
import { config, measured } from '../helpers.js';

describe('late acks', () => {
  it('accepted: each message is delivered twice and duplicated once, whatever P in (T, 2T), push or pull', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 30_000 }),
        fc.double({ min: 1.05, max: 1.95, noNaN: true }),
        fc.constantFrom('push' as const, 'pull' as const),
        fc.integer({ min: 1, max: 40 }),
        (timeoutMs, ratio, delivery, messages) => {
          const processingMs = Math.round(timeoutMs * ratio);
          const c = config({
            messages,
            producer: { ratePerSec: 1000 / timeoutMs },
            broker: { visibilityTimeoutMs: timeoutMs, maxDeliveries: 0, lateAcks: 'accepted', delivery },
            // Every message's two deliveries overlap at most two others': 2 * (2 + 2) consumers are plenty.
            // A pulling consumer claims a timed-out delivery when it next asks: within 10 ms, well before P.
            consumers: { count: 8, prefetch: 1, processingMs, fetchWaitMs: 10 },
          });
          const m = measured(c, 1).metrics;
          expect([m.produced, m.processed, m.lost]).toEqual([messages, messages, 0]);
          expect([m.deliveries, m.duplicates, m.duplicateEffects]).toEqual([2 * messages, messages, messages]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('ignored: the same run redelivers at every timeout, far more than twice per message', () => {
    const c = config({
      messages: 10,
      horizonMs: 600_000,
      producer: { ratePerSec: 1 },
      broker: { visibilityTimeoutMs: 1000, maxDeliveries: 0, lateAcks: 'ignored' },
      consumers: { count: 8, prefetch: 1, processingMs: 1500 },
    });
    expect(measured(c, 1).metrics.deliveries).toBeGreaterThan(100);
  });

  it('an ack from before a redrive does not settle the redriven copy: it times out and dead-letters again', () => {
    // Delivered at 0, timed out at 10 s (maxDeliveries 1: dead-lettered), redriven at 25 s and delivered again; the
    // first delivery's ack at 30 s is not the redriven copy's, which times out at 35 s.
    const run = (lateAcks: 'accepted' | 'ignored') =>
      measured(
        config({
          messages: 1,
          producer: { ratePerSec: 1 },
          broker: { visibilityTimeoutMs: 10_000, maxDeliveries: 1, deadLetter: true, lateAcks },
          consumers: { count: 2, processingMs: 30_000 },
          faults: [{ type: 'dlq-redrive', atMs: 25_000 }],
        }),
        1,
      );
    const accepted = run('accepted');
    expect([accepted.faultsInjected.dlqRedrives, accepted.metrics.deliveries]).toEqual([1, 2]);
    expect(accepted.metrics.deadLettered).toBe(1);
    expect(accepted.metrics).toEqual(run('ignored').metrics);
  });

  it('a closed channel takes an old delivery’s ack with it, late acks accepted or not (RabbitMQ)', () => {
    const run = (lateAcks: 'accepted' | 'ignored') =>
      measured(
        config({
          messages: 10,
          horizonMs: 600_000,
          producer: { ratePerSec: 1 },
          broker: { visibilityTimeoutMs: 1000, maxDeliveries: 0, visibilityTimeoutScope: 'channel', lateAcks },
          consumers: { count: 8, prefetch: 1, processingMs: 1500 },
        }),
        1,
      ).metrics;
    expect(run('accepted')).toEqual(run('ignored'));
  });
});
