import { describe, it } from 'node:test';
import { expect } from 'expect';
import { config, measured, preset } from '../../helpers.js';

describe('queue broker', () => {
  it('dead-letters a poison message after exactly maxDeliveries deliveries', () => {
    const m = measured(config({ messages: 50, consumers: { poisonRate: 1 }, broker: { maxDeliveries: 7 } }));
    expect(m.metrics.deadLettered).toBe(50);
    expect(m.metrics.deliveries).toBe(350);
    expect(m.faultsInjected.poisonFailures).toBe(350);
    expect(m.metrics.lost).toBe(0);
  });

  it('leaves poison unresolved at the horizon when deliveries are unlimited', () => {
    const m = measured(config({ messages: 10, horizonMs: 5000, consumers: { poisonRate: 1 } }));
    expect(m.endedBy).toBe('horizon');
    expect(m.metrics.unresolved).toBe(10);
    expect(m.metrics.produced).toBe(m.metrics.processed + m.metrics.lost + m.metrics.deadLettered + m.metrics.unresolved);
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
    const m = measured(config({ messages: 200, network: { deliver: { loss: 0.2 } }, broker: { visibilityTimeoutMs: 5000 } }));
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
    };
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
