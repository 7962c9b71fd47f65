import { describe, it } from 'node:test';
import { expect } from 'expect';
import { config, measured, preset } from '../../helpers.js';

describe('consumers', () => {
  it('loses the crashed delivery and the whole prefetch buffer under auto-ack', () => {
    const m = measured(
      config({
        messages: 2000,
        producer: { ratePerSec: 1000 },
        consumers: {
          count: 1,
          prefetch: 10,
          processingMs: 1,
          crash: { probability: 0.01, point: 'before-effect', restartMs: 100 },
        },
        mode: preset('at-most-once'),
      }),
    );
    expect(m.faultsInjected.consumerCrashes).toBeGreaterThan(0);
    expect(m.metrics.lost).toBeGreaterThan(m.faultsInjected.consumerCrashes);
    expect(m.metrics.lost).toBe(m.lossByCause.crashAfterAutoAck! + m.lossByCause.deliverLostAfterAutoAck!);
  });

  it('duplicates after a crash after the effect, with cause crashAfterEffect', () => {
    const m = measured(config({ consumers: { crash: { probability: 0.05, point: 'after-effect', restartMs: 100 } } }));
    expect(m.metrics.duplicates).toBeGreaterThan(0);
    expect(m.duplicatesByCause.crashAfterEffect).toBe(m.metrics.duplicates);
  });

  it('abandons deliveries of a consumer taken down by a scheduled crash, and they come back', () => {
    const m = measured(
      config({
        messages: 500,
        consumers: { count: 1, prefetch: 5, processingMs: 20 },
        faults: [{ type: 'consumer-crash', consumer: 0, atMs: 1000, durationMs: 2000 }],
      }),
    );
    expect(m.faultsInjected.scheduledConsumerCrashes).toBe(1);
    expect(m.metrics.lost).toBe(0);
    expect(m.metrics.redeliveries).toBeGreaterThan(0);
  });

  it('processes `concurrency` deliveries at once', () => {
    const serial = measured(
      config({
        messages: 100,
        producer: { ratePerSec: 100000 },
        consumers: { count: 1, prefetch: 10, concurrency: 1, processingMs: 10 },
      }),
    );
    const parallel = measured(
      config({
        messages: 100,
        producer: { ratePerSec: 100000 },
        consumers: { count: 1, prefetch: 10, concurrency: 10, processingMs: 10 },
      }),
    );
    expect(serial.metrics.simulatedMs).toBeGreaterThan(1000);
    expect(parallel.metrics.simulatedMs).toBeLessThan(200);
  });

  it('counts visibility timeout breaches when a redelivery overlaps processing', () => {
    const processingMs = { dist: 'uniform', min: 50, max: 150 } as const;
    const m = measured(
      config({
        messages: 200,
        consumers: { count: 4, prefetch: 4, concurrency: 4, processingMs },
        broker: { visibilityTimeoutMs: 100 },
      }),
    );
    expect(m.metrics.visibilityTimeoutBreaches).toBeGreaterThan(0);
    expect(m.duplicatesByCause.visibilityTimeout).toBe(m.metrics.duplicates);
  });
});

describe('dedupe store', () => {
  const eo = preset('exactly-once');

  it('suppresses every redelivery when unbounded and atomic', () => {
    const m = measured(config({ network: { ack: { loss: 0.2 } }, mode: eo }));
    expect(m.metrics.duplicates).toBe(0);
    expect(m.metrics.suppressedDuplicates).toBeGreaterThan(0);
  });

  it('forgets ids after windowMs: cause dedupeWindowExpired', () => {
    const m = measured(
      config({
        network: { ack: { loss: 0.2 } },
        broker: { visibilityTimeoutMs: 5000 },
        dedupe: { windowMs: 1000 },
        mode: eo,
      }),
    );
    expect(m.metrics.duplicates).toBeGreaterThan(0);
    expect(m.duplicatesByCause.dedupeWindowExpired).toBe(m.metrics.duplicates);
  });

  it('evicts the oldest ids beyond capacity: cause dedupeEvicted', () => {
    const m = measured(
      config({
        messages: 2000,
        producer: { ratePerSec: 1000 },
        network: { ack: { loss: 0.2 } },
        broker: { visibilityTimeoutMs: 5000 },
        dedupe: { capacity: 100 },
        mode: eo,
      }),
    );
    expect(m.metrics.duplicates).toBeGreaterThan(0);
    expect(m.duplicatesByCause.dedupeEvicted).toBe(m.metrics.duplicates);
  });

  it('lets a crash between effect and record through when not atomic: cause nonAtomicDedupe', () => {
    const crash = { probability: 0.05, point: 'after-effect', restartMs: 100 } as const;
    const atomic = measured(config({ consumers: { crash }, mode: eo }));
    const nonAtomic = measured(config({ consumers: { crash }, dedupe: { atomic: false }, mode: eo }));
    expect(atomic.metrics.duplicates).toBe(0);
    expect(nonAtomic.metrics.duplicates).toBeGreaterThan(0);
    expect(nonAtomic.duplicatesByCause.nonAtomicDedupe).toBe(nonAtomic.metrics.duplicates);
  });
});
