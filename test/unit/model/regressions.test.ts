// Sequences a review found mishandled once; each test pins the corrected behaviour.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { config, measured, preset } from '../../helpers.js';

describe('regressions', () => {
  it('a publish slower than the confirm timeout, stored after its own retry, is a confirmTimeout duplicate', () => {
    const m = measured(
      config({
        messages: 200,
        network: { publish: { latencyMs: { dist: 'uniform', min: 1, max: 400 } } },
        producer: { confirmTimeoutMs: 100 },
      }),
    );
    expect(m.metrics.duplicates).toBeGreaterThan(0);
    expect(m.duplicatesByCause.confirmTimeout).toBe(m.metrics.duplicates);
  });

  it('every copy the broker stores starts a new publish-dedupe window (SQS FIFO)', () => {
    // Confirms never arrive; the producer retries every 50 ms for 5 attempts (0, 50, 100, 150, 200 ms);
    // with a 100 ms window the broker stores the attempts at 0, 100 and 200 ms.
    const m = measured(
      config({
        messages: 1,
        mode: { ...preset('at-least-once'), idempotentPublish: true },
        network: { confirm: { loss: 1 }, publish: { latencyMs: 0 } },
        producer: {
          confirmTimeoutMs: 40,
          retry: { maxAttempts: 5, backoff: 'fixed', baseMs: 10, maxMs: 10, jitter: 'none' },
        },
        broker: { publishDedupeWindowMs: 100 },
      }),
    );
    expect(m.metrics.duplicateEffects).toBe(2);
    expect(m.metrics.suppressedDuplicates).toBe(2);
  });

  it('a record evicted after its window already passed was forgotten by the window', () => {
    for (const capacity of [0, 2]) {
      const m = measured(
        config({
          messages: 3,
          mode: preset('exactly-once'),
          producer: { ratePerSec: 10 },
          faults: [{ type: 'partition', link: 'ack', atMs: 0, durationMs: 20 }],
          broker: { visibilityTimeoutMs: 300 },
          dedupe: { windowMs: 100, capacity },
        }),
      );
      expect(m.metrics.duplicates).toBe(1);
      expect(m.duplicatesByCause.dedupeWindowExpired).toBe(1);
    }
  });

  it('fault durations are kept exactly: long outages do not wrap, fractions are not truncated', () => {
    const long = measured(
      config({
        messages: 10,
        faults: [{ type: 'broker-crash', atMs: 0, durationMs: 3e9 }],
        mode: preset('at-most-once'),
      }),
    );
    expect(long.metrics.lost).toBe(10);
    expect(long.lossByCause.brokerDown).toBe(10);
    const short = measured(
      config({
        messages: 1,
        network: { publish: { latencyMs: 1 } },
        faults: [{ type: 'broker-crash', atMs: 0, durationMs: 1.4 }],
        mode: preset('at-most-once'),
      }),
    );
    expect(short.lossByCause.brokerDown).toBe(1);
  });

  it('unlimited publish attempts keep counting past 65,536 attempts', () => {
    const m = measured(
      config({
        messages: 1,
        maxEvents: 3e6,
        producer: {
          confirmTimeoutMs: 1,
          retry: { maxAttempts: 0, backoff: 'fixed', baseMs: 1, maxMs: 1, jitter: 'none' },
        },
        faults: [{ type: 'partition', link: 'publish', atMs: 0, durationMs: 200000 }],
      }),
    );
    expect(m.endedBy).toBe('resolved');
    expect(m.metrics.processed).toBe(1);
    expect(m.metrics.publishAttempts).toBeGreaterThan(65536);
  });

  it('under auto-ack, a lost extra publish copy does not hide why the delivered copy was lost', () => {
    const m = measured(
      config({
        messages: 200,
        network: {
          publish: { duplicate: 0.5, latencyMs: { dist: 'uniform', min: 0, max: 100 } },
          deliver: { loss: 0.3 },
        },
        faults: [{ type: 'broker-crash', atMs: 300, durationMs: 1000 }],
        mode: preset('at-most-once'),
      }),
    );
    expect(m.lossByCause.unknown).toBe(0);
    expect(m.metrics.lost).toBeGreaterThan(0);
  });
});
