import { describe, it } from 'node:test';
import { expect } from 'expect';
import { config, measured, preset, type ConfigOverrides } from '../../helpers.js';

describe('queue broker', () => {
  it('dead-letters a poison message after exactly maxDeliveries deliveries', () => {
    const m = measured(config({ messages: 50, consumers: { poisonRate: 1 }, broker: { maxDeliveries: 7 } }));
    expect(m.metrics.deadLettered).toBe(50);
    expect(m.metrics.deliveries).toBe(350);
    expect(m.faultsInjected.poisonFailures).toBe(350);
    expect(m.metrics.lost).toBe(0);
  });

  it('counts a message in the dead-letter queue even when its effect ran before (a lock shorter than processing)', () => {
    const m = measured(
      config({
        messages: 20,
        // A consumer free for every delivery: each of the 3 deliveries runs the effect, then times out.
        consumers: { count: 60, prefetch: 1, processingMs: 1500 },
        broker: { visibilityTimeoutMs: 1000, maxDeliveries: 3 },
      }),
    );
    expect(m.metrics.processed).toBe(20);
    expect(m.metrics.duplicateEffects).toBe(40);
    expect(m.metrics.deadLettered).toBe(20);
    expect(m.metrics.deadLetteredProcessed).toBe(20);
    expect(m.metrics.lost).toBe(0);
  });

  it('leaves poison unresolved at the horizon when deliveries are unlimited', () => {
    const m = measured(config({ messages: 10, horizonMs: 5000, consumers: { poisonRate: 1 } }));
    expect(m.endedBy).toBe('horizon');
    expect(m.metrics.unresolved).toBe(10);
    expect(m.metrics.produced).toBe(
      m.metrics.processed +
        m.metrics.lost +
        m.metrics.deadLettered -
        m.metrics.deadLetteredProcessed +
        m.metrics.unresolved,
    );
  });

  it('expires messages older than retentionMs and says so', () => {
    const m = measured(
      config({
        messages: 500,
        producer: { ratePerSec: 1000 },
        consumers: { count: 1, prefetch: 1, processingMs: 10 },
        broker: { retentionMs: 1000 },
      }),
    );
    expect(m.metrics.lost).toBeGreaterThan(0);
    expect(m.metrics.expired).toBe(m.metrics.lost);
    expect(m.lossByCause.expired).toBe(m.metrics.lost);
  });

  it('redelivers after the visibility timeout when a delivery is lost, and only then', () => {
    const m = measured(
      config({ messages: 200, network: { deliver: { loss: 0.2 } }, broker: { visibilityTimeoutMs: 5000 } }),
    );
    expect(m.metrics.lost).toBe(0);
    expect(m.metrics.duplicates).toBe(0);
    expect(m.metrics.redeliveries).toBe(m.faultsInjected.deliverLost);
    expect(m.metrics.latencyMs.max).toBeGreaterThanOrEqual(5000);
  });

  it('loses what a non-durable broker held at a crash, and keeps it when durable', () => {
    const base = {
      messages: 2000,
      consumers: { count: 1, processingMs: 20 },
      faults: [{ type: 'broker-crash', atMs: 10000, durationMs: 1000 }],
    } satisfies ConfigOverrides;
    const volatile = measured(config({ ...base, broker: { durable: false } }));
    expect(volatile.lossByCause.brokerCrash).toBeGreaterThan(0);
    expect(volatile.lossByCause.brokerCrash).toBe(volatile.metrics.lost);
    const durable = measured(config(base));
    expect(durable.metrics.lost).toBe(0);
    expect(durable.faultsInjected.brokerCrashes).toBe(1);
  });

  it('drops re-published ids within the publish dedupe window (idempotent publish)', () => {
    const mode = { ...preset('at-least-once'), idempotentPublish: true };
    const m = measured(config({ network: { confirm: { loss: 0.3 } }, mode }));
    expect(m.metrics.suppressedDuplicates).toBeGreaterThan(0);
    expect(m.metrics.duplicates).toBe(0);
  });

  it('stores a re-published id again once the publish dedupe window has passed', () => {
    const mode = { ...preset('at-least-once'), idempotentPublish: true };
    const m = measured(
      config({
        messages: 300,
        network: { confirm: { loss: 0.3 } },
        producer: { confirmTimeoutMs: 2000 },
        broker: { publishDedupeWindowMs: 1000 },
        mode,
      }),
    );
    expect(m.metrics.duplicates).toBeGreaterThan(0);
    expect(m.duplicatesByCause.publishDedupeWindowExpired).toBe(m.metrics.duplicates);
  });

  it('keeps prefetch: a consumer never holds more deliveries than allowed', () => {
    const m = measured(
      config({
        messages: 300,
        producer: { ratePerSec: 10000 },
        consumers: { count: 1, prefetch: 3, processingMs: 10 },
        broker: { visibilityTimeoutMs: 1e9 },
      }),
    );
    // One consumer with 3 slots and 10 ms each: about 3 messages per 10 ms.
    expect(m.metrics.simulatedMs).toBeGreaterThanOrEqual((300 / 3) * 10);
    expect(m.metrics.processed).toBe(300);
  });
});

describe('broker knobs of real systems', () => {
  const poison = { consumers: { poisonRate: 0.05 }, broker: { maxDeliveries: 3 } };

  it('over maxDeliveries: dead-letters with a DLQ, drops (a loss: deliveryLimit) without one', () => {
    const dlq = measured(config(poison)).metrics;
    const dropped = measured(config({ ...poison, broker: { ...poison.broker, deadLetter: false } }));
    expect(dlq.deadLettered).toBeGreaterThan(0);
    expect(dlq.lost).toBe(0);
    expect(dropped.metrics.deadLettered).toBe(0);
    expect(dropped.metrics.lost).toBe(dlq.deadLettered);
    expect(dropped.lossByCause.deliveryLimit).toBe(dropped.metrics.lost);
  });

  it('redelivery backoff spaces the deliveries of a nacked message: minMs, doubling, capped at maxMs', () => {
    const backoff = { minMs: 1000, maxMs: 1500 };
    const one = {
      messages: 1,
      consumers: { poisonRate: 1, processingMs: 0 },
      broker: { maxDeliveries: 4, redeliveryBackoff: backoff },
    };
    const without = measured(config({ ...one, broker: { maxDeliveries: 4 } })).metrics;
    const with_ = measured(config(one)).metrics;
    expect(with_.deadLettered).toBe(1);
    // Three redeliveries wait 1000, 1500 (2000 capped) and 1500 ms.
    expect(with_.simulatedMs - without.simulatedMs).toBeCloseTo(1000 + 1500 + 1500, 6);
  });

  it('requeue on disconnect: a crashed consumer redelivers at once instead of after the visibility timeout', () => {
    const crash = {
      consumers: { crash: { probability: 0.02, point: 'before-effect', restartMs: 10 } },
      broker: { visibilityTimeoutMs: 30000 },
    } satisfies ConfigOverrides;
    const sqs = measured(config(crash)).metrics;
    const rabbit = measured(config({ ...crash, broker: { ...crash.broker, requeueOnDisconnect: true } })).metrics;
    expect(sqs.lost + rabbit.lost).toBe(0);
    expect(sqs.latencyMs.max).toBeGreaterThan(30000);
    expect(rabbit.latencyMs.max).toBeLessThan(30000);
  });

  it('visibilityTimeoutScope channel: a timeout closes the channel; work in progress runs without an ack, held deliveries go back unrun', () => {
    // Two messages, one consumer holding both, processing one at a time for 300 ms; timeout 250 ms.
    const slow = {
      messages: 2,
      producer: { ratePerSec: 100000 },
      consumers: { count: 1, prefetch: 2, processingMs: 300 },
      broker: { visibilityTimeoutMs: 250, maxDeliveries: 2, visibilityTimeoutScope: 'channel' },
    } satisfies ConfigOverrides;
    // ~251 ms: #0's timeout closes the channel; #0 (in progress) and #1 (held, unstarted) go back and
    // come again on the new channel. ~302 ms: #0's first effect, with no channel to ack on. #0 runs
    // again; ~501 ms: its timeout closes the channel again, and both messages, at their second
    // delivery, reach the delivery limit: dead-lettered. ~602 ms: #0's second effect. #1 never ran.
    const rabbit = measured(config(slow)).metrics;
    // #0 ran (twice) and still ended in the dead-letter queue; #1 never ran.
    expect([
      rabbit.deliveries,
      rabbit.processed,
      rabbit.duplicates,
      rabbit.deadLettered,
      rabbit.deadLetteredProcessed,
    ]).toEqual([4, 1, 1, 2, 1]);
    // Per delivery (SQS) the consumer keeps #1 and runs it, and the redeliveries run too.
    const sqs = measured(config({ ...slow, broker: { ...slow.broker, visibilityTimeoutScope: 'delivery' } })).metrics;
    // Both ran twice, timed out at their second delivery and ended in the dead-letter queue all the same.
    expect([sqs.deliveries, sqs.processed, sqs.duplicates, sqs.deadLettered, sqs.deadLetteredProcessed]).toEqual([
      4, 2, 2, 2, 2,
    ]);
  });

  it('prefetchCountsUnacked: a consumer whose acks are all lost stops after prefetch deliveries; otherwise it goes on', () => {
    const lostAcks = {
      messages: 10,
      horizonMs: 100_000,
      network: { ack: { loss: 1 } },
      consumers: { count: 1, prefetch: 3 },
      broker: { visibilityTimeoutMs: 1_000_000 },
    };
    const rabbit = measured(
      config({ ...lostAcks, broker: { ...lostAcks.broker, prefetchCountsUnacked: true } }),
    ).metrics;
    const sqs = measured(config(lostAcks)).metrics;
    expect([rabbit.processed, rabbit.unresolved]).toEqual([3, 7]);
    expect([sqs.processed, sqs.unresolved]).toEqual([10, 0]);
  });

  it('prefetchCountsUnacked with auto-ack: no limit, so a crashed consumer loses everything it was sent', () => {
    // Ten messages at once, one consumer, 100 ms each, crashed at 50 ms for good (RabbitMQ ignores
    // basic.qos for no-ack consumers and pushes all ten; with prefetch 1 the broker keeps nine).
    const crash = {
      messages: 10,
      producer: { ratePerSec: 100000 },
      consumers: { count: 1, prefetch: 1, processingMs: 100 },
      faults: [{ type: 'consumer-crash', consumer: 0, atMs: 50, durationMs: 1_000_000 }],
      mode: preset('at-most-once'),
      horizonMs: 10_000,
    } satisfies ConfigOverrides;
    const rabbit = measured(config({ ...crash, broker: { prefetchCountsUnacked: true } })).metrics;
    const held = measured(config(crash)).metrics;
    expect([rabbit.lost, rabbit.unresolved]).toEqual([10, 0]);
    expect([held.lost, held.unresolved]).toEqual([1, 9]);
  });

  it('publishDedupe false: idempotent publish asks for a dedupe the broker does not have', () => {
    const lossyConfirms = {
      network: { confirm: { loss: 0.1 } },
      producer: { confirmTimeoutMs: 200 },
      mode: { ...preset('exactly-once'), consumerDedupe: false },
    };
    const fifo = measured(config(lossyConfirms)).metrics;
    const standard = measured(config({ ...lossyConfirms, broker: { publishDedupe: false } }));
    expect(fifo.duplicates).toBe(0);
    expect(standard.metrics.duplicates).toBeGreaterThan(0);
    expect(standard.duplicatesByCause.confirmLost).toBe(standard.metrics.duplicates);
  });
});
