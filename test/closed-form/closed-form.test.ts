// Where probability gives the answer, the simulation must agree within a tolerance derived from the
// binomial (or geometric) variance: 5 standard errors, so a correct model fails about once in two
// million runs, while a biased one (say, off by 20 %) fails every time at these sample sizes.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { config, measured, preset } from '../helpers.js';

const n = 20_000;
const tolerance = (p: number, samples: number) => 5 * Math.sqrt((p * (1 - p)) / samples);

describe('closed-form checks', () => {
  it('at-most-once with deliver loss p loses a fraction p of the messages', () => {
    for (const p of [0.01, 0.1, 0.3]) {
      const m = measured(
        config({
          messages: n,
          producer: { ratePerSec: 1000 },
          network: { deliver: { loss: p } },
          mode: preset('at-most-once'),
        }),
        11,
      );
      expect(Math.abs(m.metrics.lossRate - p)).toBeLessThan(tolerance(p, n));
      expect(m.lossByCause.deliverLostAfterAutoAck).toBe(m.metrics.lost);
    }
  });

  it('at-least-once with ack loss q duplicates a fraction q and delivers 1/(1-q) times per message', () => {
    for (const q of [0.02, 0.1, 0.3]) {
      const m = measured(
        config({
          messages: n,
          producer: { ratePerSec: 1000 },
          network: { ack: { loss: q } },
          broker: { visibilityTimeoutMs: 1000 },
        }),
        12,
      );
      expect(m.metrics.lost).toBe(0);
      expect(Math.abs(m.metrics.duplicateRate - q)).toBeLessThan(tolerance(q, n));
      // Deliveries per message are geometric with success 1 - q: mean 1/(1-q), variance q/(1-q)^2.
      const perMessage = m.metrics.deliveries / n;
      const standardError = Math.sqrt(q) / (1 - q) / Math.sqrt(n);
      expect(Math.abs(perMessage - 1 / (1 - q))).toBeLessThan(5 * standardError);
      expect(m.duplicatesByCause.ackLost).toBe(m.metrics.duplicates);
    }
  });

  it('a producer with publish loss p and k attempts loses a fraction p^k', () => {
    for (const [p, k] of [
      [0.3, 3],
      [0.5, 2],
      [0.2, 1],
    ] as const) {
      const m = measured(
        config({
          messages: n,
          producer: { ratePerSec: 1000, retry: { maxAttempts: k } },
          network: { publish: { loss: p } },
        }),
        13,
      );
      const expected = p ** k;
      expect(Math.abs(m.metrics.lossRate - expected)).toBeLessThan(tolerance(expected, n));
      expect(m.lossByCause.publishLost).toBe(m.metrics.lost);
    }
  });

  it('a crash after the effect with probability c duplicates a fraction c under at-least-once', () => {
    const c = 0.05;
    const m = measured(
      config({
        messages: n,
        producer: { ratePerSec: 500 },
        consumers: { count: 4, crash: { probability: c, point: 'after-effect', restartMs: 10 } },
        broker: { visibilityTimeoutMs: 1000 },
      }),
      14,
    );
    expect(Math.abs(m.metrics.duplicateRate - c)).toBeLessThan(tolerance(c, n));
  });

  it('poison rate r dead-letters a fraction r with a delivery limit', () => {
    const r = 0.04;
    const m = measured(
      config({
        messages: n,
        producer: { ratePerSec: 1000 },
        consumers: { poisonRate: r, processingMs: 1 },
        broker: { maxDeliveries: 3 },
      }),
      15,
    );
    expect(Math.abs(m.metrics.deadLettered / n - r)).toBeLessThan(tolerance(r, n));
    expect(m.metrics.lost).toBe(0);
  });

  it('a duplicating deliver link with probability d duplicates a fraction d even under at-most-once', () => {
    const d = 0.05;
    const m = measured(
      config({
        messages: n,
        producer: { ratePerSec: 1000 },
        network: { deliver: { duplicate: d } },
        mode: preset('at-most-once'),
      }),
      16,
    );
    expect(Math.abs(m.metrics.duplicateRate - d)).toBeLessThan(tolerance(d, n));
    expect(m.duplicatesByCause.deliverDuplicated).toBe(m.metrics.duplicates);
  });

  it('transient failures p with k deliveries dead-letter p^k and deliver (1 - p^k) / (1 - p) times a message', () => {
    for (const [p, k, seed] of [
      [0.2, 3, 17],
      [0.5, 2, 18],
      [0.35, 5, 19],
    ] as const) {
      const m = measured(
        config({
          messages: n,
          producer: { ratePerSec: 1000 },
          consumers: { failure: { probability: p }, processingMs: 1 },
          broker: { maxDeliveries: k, redeliveryBackoff: { minMs: 5, maxMs: 50 } },
        }),
        seed,
      );
      const dead = p ** k;
      expect(Math.abs(m.metrics.deadLettered / n - dead)).toBeLessThan(tolerance(dead, n));
      // Deliveries per message: min(G, k) for G geometric with success 1 - p; its exact mean and variance.
      const chances = Array.from({ length: k }, (_, i) => (i + 1 < k ? p ** i * (1 - p) : p ** i));
      const mean = chances.reduce((sum, q, i) => sum + q * (i + 1), 0);
      const variance = chances.reduce((sum, q, i) => sum + q * (i + 1) ** 2, 0) - mean ** 2;
      expect(Math.abs(mean - (1 - p ** k) / (1 - p))).toBeLessThan(1e-12);
      expect(Math.abs(m.metrics.deliveries / n - mean)).toBeLessThan(5 * Math.sqrt(variance / n));
      expect(m.faultsInjected.transientFailures).toBe(m.metrics.deliveries - n + m.metrics.deadLettered);
      expect(m.metrics.lost).toBe(0);
    }
  });

  it('a schedule of visibility timeouts (NATS BackOff) times out the k-th delivery at its k-th entry', () => {
    const messages = 300;
    const run = (visibilityTimeoutsMs: number[]) =>
      measured(
        config({
          messages,
          producer: { ratePerSec: 50 },
          consumers: { count: 150, processingMs: 500 },
          broker: { visibilityTimeoutMs: 30000, visibilityTimeoutsMs },
        }),
        21,
      ).metrics;
    // 500 ms of processing: the first delivery's 100 ms runs out, the second's 1 s does not.
    expect(run([100, 1000])).toMatchObject({ deliveries: 2 * messages, duplicates: messages, lost: 0 });
    // The last entry repeats: every delivery runs out, until the fourth (maxDeliveries 0: unlimited) never comes.
    expect(run([1000, 100])).toMatchObject({ deliveries: messages, duplicates: 0 });
    expect(run([100, 100, 100, 1000])).toMatchObject({ deliveries: 4 * messages, lost: 0 });
  });
});
