import { describe, it } from 'node:test';
import { expect } from 'expect';
import type { RetryConfig } from '../../../src/model/config.js';
import { backoffDelay } from '../../../src/model/producer.js';
import { config, measured, preset } from '../../helpers.js';

const policy = (overrides: Partial<RetryConfig>): RetryConfig => ({
  maxAttempts: 5,
  backoff: 'exponential',
  baseMs: 100,
  maxMs: 1000,
  jitter: 'none',
  ...overrides,
});

describe('backoffDelay (AWS "Exponential Backoff and Jitter")', () => {
  it('doubles from baseMs and caps at maxMs without jitter', () => {
    expect([0, 1, 2, 3, 4, 5].map((r) => backoffDelay(policy({}), r, 0.5, 100))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('waits baseMs every time with fixed backoff', () => {
    expect([0, 3, 9].map((r) => backoffDelay(policy({ backoff: 'fixed' }), r, 0.5, 100))).toEqual([100, 100, 100]);
  });

  it('draws full jitter in [0, ceiling) and equal jitter in [ceiling/2, ceiling)', () => {
    expect(backoffDelay(policy({ jitter: 'full' }), 2, 0.25, 0)).toBe(100);
    expect(backoffDelay(policy({ jitter: 'equal' }), 2, 0.5, 0)).toBe(300);
  });

  it('draws decorrelated jitter between baseMs and three times the last sleep, capped', () => {
    expect(backoffDelay(policy({ jitter: 'decorrelated' }), 0, 0, 100)).toBe(100);
    expect(backoffDelay(policy({ jitter: 'decorrelated' }), 1, 0.5, 200)).toBe(100 + 0.5 * 500);
    expect(backoffDelay(policy({ jitter: 'decorrelated' }), 9, 0.99, 900)).toBe(1000);
  });
});

describe('producer', () => {
  it('sends at the configured rate: message i at i / ratePerSec seconds', () => {
    const m = measured(config({ messages: 100, producer: { ratePerSec: 10 } }));
    expect(m.metrics.produced).toBe(100);
    expect(m.metrics.simulatedMs).toBeGreaterThanOrEqual(9900);
  });

  it('never retries in at-most-once, whatever the loss', () => {
    const m = measured(config({ network: { publish: { loss: 0.5 } }, mode: preset('at-most-once') }));
    expect(m.metrics.publishRetries).toBe(0);
    expect(m.metrics.publishAttempts).toBe(1000);
    expect(m.lossByCause.publishLost).toBe(m.metrics.lost);
  });

  it('gives up after maxAttempts and reports the message lost with cause publishLost', () => {
    const m = measured(config({ network: { publish: { loss: 1 } }, producer: { retry: { maxAttempts: 3 } } }));
    expect(m.metrics.publishAttempts).toBe(3000);
    expect(m.metrics.lost).toBe(1000);
    expect(m.lossByCause.publishLost).toBe(1000);
  });

  it('retries a rejected (throttled) publish without waiting for the confirm timeout', () => {
    const m = measured(
      config({
        messages: 200,
        producer: { ratePerSec: 1000, confirmTimeoutMs: 60000 },
        broker: { maxPublishPerSec: 50 },
      }),
    );
    expect(m.faultsInjected.publishRejected).toBeGreaterThan(0);
    expect(m.metrics.lost + m.metrics.processed).toBe(200);
    expect(m.metrics.simulatedMs).toBeLessThan(60000);
  });
});
