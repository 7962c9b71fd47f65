// broker.delivery: pull (Redis Streams): a consumer asks for its next batch only when it holds nothing,
// takes redeliveries first, and an expired delivery goes out again only when a consumer asks. Each
// test is a worked timeline with the default 1 ms latencies of the helpers.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { Simulation } from '../../../src/model/simulation.js';
import { SeededChoiceSource } from '../../../src/sim/choice.js';
import { config, measured, preset, type ConfigOverrides } from '../../helpers.js';

describe('pull delivery', () => {
  it('a crashed consumer loses only the batch it asked for, not a buffer the broker filled', () => {
    // Messages every 10 ms, 100 ms of processing, prefetch 5, a crash for good at 50 ms.
    // Push: message 0 is processing and 1 to 4 (stored at 11, 21, 31, 41 ms) fill the buffer: all 5 lost.
    // Pull: the consumer asked at 0 ms and got message 0 (stored at 1 ms); 1 to 4 wait in the stream: 1 lost.
    const crash = {
      messages: 10,
      horizonMs: 10_000,
      mode: preset('at-most-once'),
      consumers: { count: 1, prefetch: 5, processingMs: 100 },
      faults: [{ type: 'consumer-crash', consumer: 0, atMs: 50, durationMs: 1_000_000 }],
    } satisfies ConfigOverrides;
    const push = measured(config(crash)).metrics;
    const pull = measured(config({ ...crash, broker: { delivery: 'pull' } })).metrics;
    expect([push.lost, push.unresolved]).toEqual([5, 5]);
    expect([pull.lost, pull.unresolved]).toEqual([1, 9]);
  });

  it('a consumer that finishes asks for every message there is, up to prefetch, in one batch', () => {
    // One consumer, messages every 10 ms, 100 ms each, prefetch 5: batch [0] at 1 ms, done at 102 ms;
    // it asks and gets 1 to 5 (stored by then), done at 603 ms; then 6 to 9. Crash at 150 ms: 1 to 5 lost.
    const crash = {
      messages: 10,
      horizonMs: 10_000,
      mode: preset('at-most-once'),
      broker: { delivery: 'pull' },
      consumers: { count: 1, prefetch: 5, processingMs: 100 },
      faults: [{ type: 'consumer-crash', consumer: 0, atMs: 150, durationMs: 1_000_000 }],
    } satisfies ConfigOverrides;
    const m = measured(config(crash)).metrics;
    expect([m.processed, m.lost, m.unresolved]).toEqual([1, 5, 4]);
  });

  it('a busy consumer claims an expired delivery only after its batch, and never one whose ack it just sent', () => {
    // One message, one consumer, 150 ms of processing, visibility timeout 100 ms, at most 2 deliveries.
    // The delivery expires at 101 ms while the consumer works on it; it acks at 152 ms (arriving at 153 ms).
    // Push: the slot frees at 152 ms and the broker sends the expired copy back at once: a duplicate.
    // Pull: the consumer's ask goes after its ack on the same connection: the ack removed the entry first.
    const slow = {
      messages: 1,
      consumers: { count: 1, prefetch: 1, processingMs: 150 },
      broker: { visibilityTimeoutMs: 100, maxDeliveries: 2 },
    };
    const push = measured(config(slow)).metrics;
    const pull = measured(config({ ...slow, broker: { ...slow.broker, delivery: 'pull' } })).metrics;
    expect([push.deliveries, push.duplicates]).toEqual([2, 1]);
    expect([pull.deliveries, pull.duplicates]).toEqual([1, 0]);
  });

  it('a waiting consumer claims an expired delivery when its read times out (every fetchWaitMs), not at the expiry', () => {
    // Consumer 0 takes the message at 1 ms and works 250 ms; it expires at 101 ms. Consumer 1 has been
    // waiting since 0 ms. Push hands it the copy at 101 ms; pull at consumer 1's next ask: at 150 ms with
    // a 50 ms block time (a duplicate), or at 500 ms with 500 ms, after the ack arrived at 253 ms (none).
    const slow = {
      messages: 1,
      consumers: { count: 2, prefetch: 1, processingMs: 250 },
      broker: { visibilityTimeoutMs: 100, maxDeliveries: 2 },
    };
    const configured = (delivery: 'push' | 'pull', fetchWaitMs: number) => ({
      ...slow,
      broker: { ...slow.broker, delivery },
      consumers: { ...slow.consumers, fetchWaitMs },
    });
    expect(deliveries(configured('push', 500))).toEqual(['1 m0 c0', '101 m0 c1']);
    expect(deliveries(configured('pull', 50))).toEqual(['1 m0 c0', '150 m0 c1']);
    expect(deliveries(configured('pull', 500))).toEqual(['1 m0 c0']);
    expect(measured(config(configured('pull', 50))).metrics.duplicates).toBe(1);
    expect(measured(config(configured('pull', 500))).metrics.duplicates).toBe(0);
  });

  it('at once (JetStream), a waiting consumer takes an expired delivery at the expiry, whatever its block time', () => {
    const slow = {
      messages: 1,
      consumers: { count: 2, prefetch: 1, processingMs: 250, fetchWaitMs: 500 },
      broker: { visibilityTimeoutMs: 100, maxDeliveries: 2, delivery: 'pull', pullRedelivery: 'at-once' },
    } satisfies ConfigOverrides;
    expect(deliveries(slow)).toEqual(['1 m0 c0', '101 m0 c1']);
  });

  it('at once, after a broker restart the waiting consumer takes the requeued copy before a new one', () => {
    // Message 0 goes out at 1 ms, message 1 is stored at 51 ms while consumer 0 works (400 ms); the broker is
    // down from 300 to 1,300 ms, so the ack is lost and message 0 back in line at the restart.
    const restarted = (pullRedelivery: 'on-ask' | 'at-once') =>
      deliveries({
        messages: 2,
        producer: { ratePerSec: 20 },
        broker: { delivery: 'pull', pullRedelivery },
        consumers: { count: 1, prefetch: 1, processingMs: 400 },
        faults: [{ type: 'broker-crash', atMs: 300, durationMs: 1000 }],
      });
    expect(restarted('at-once')).toEqual(['1 m0 c0', '1300 m0 c0', '1702 m1 c0']);
    // Redis: the waiting reader gets the new entry; the requeued one waits to be claimed at its next ask.
    expect(restarted('on-ask')).toEqual(['1 m0 c0', '1300 m1 c0', '1702 m0 c0']);
  });

  it('a consumer that asks takes an expired delivery before a new message; a new message wakes the longest waiter', () => {
    // One consumer, every ack lost, two messages (stored at 1 and 51 ms), 150 ms of processing, timeout
    // 100 ms, 2 deliveries at most. At 152 ms the consumer is free: message 0 expired at 101 ms, message
    // 1 is new. Push queued the expired copy behind message 1; pull claims it first (XAUTOCLAIM, then XREADGROUP).
    const lostAcks = {
      messages: 2,
      producer: { ratePerSec: 20 },
      network: { ack: { loss: 1 } },
      broker: { visibilityTimeoutMs: 100, maxDeliveries: 2 },
      consumers: { count: 1, prefetch: 1, processingMs: 150 },
    };
    const sends = (delivery: 'push' | 'pull') => deliveries({ ...lostAcks, broker: { ...lostAcks.broker, delivery } });
    expect(sends('push')).toEqual(['1 m0 c0', '152 m1 c0', '303 m0 c0', '454 m1 c0']);
    expect(sends('pull')).toEqual(['1 m0 c0', '152 m0 c0', '303 m1 c0', '454 m1 c0']);
    // Three pulling consumers wait from 0 ms; each new message goes to the one that has waited longest.
    const spread = {
      messages: 3,
      producer: { ratePerSec: 100 },
      broker: { delivery: 'pull' },
      consumers: { count: 3, processingMs: 5 },
    } satisfies ConfigOverrides;
    expect(deliveries(spread)).toEqual(['1 m0 c0', '11 m1 c1', '21 m2 c2']);
  });
});

/** The broker's sends of a run: time, message and consumer. */
function deliveries(overrides: ConfigOverrides): string[] {
  const sends: string[] = [];
  new Simulation(config(overrides), new SeededChoiceSource(1), (event) => {
    if (event.actor === 'broker' && (event.event === 'deliver' || event.event === 'redeliver'))
      sends.push(`${Math.round(event.t)} m${event.message} c${event.consumer}`);
  }).run();
  return sends;
}
