// Properties of the model over random scenarios: conservation, determinism, the guarantee of each
// mode, causes for every anomaly, and identical faults across modes.
import '../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { RecordingChoiceSource, SeededChoiceSource } from '../../src/sim/choice.js';
import { measure } from '../../src/run/metrics.js';
import { replays, runOnce } from '../../src/run/runs.js';
import type { DeliveryMode } from '../../src/model/config.js';
import { config as configOf, preset, run } from '../helpers.js';
import { anyConfig, logConfig, safeConfig } from './arbitraries.js';

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** At-least-once's guarantee: the run ended with every message resolved, none lost, every one processed. */
function expectEveryMessageProcessed(r: ReturnType<typeof measure>): void {
  expect(r.endedBy).toBe('resolved');
  expect(r.metrics.lost).toBe(0);
  expect(r.metrics.processed).toBe(r.metrics.produced);
}
const modes = ['at-most-once', 'at-least-once', 'exactly-once'] as const;
/** The presets plus custom modes that combine knobs differently. */
const allModes: DeliveryMode[] = [
  ...modes.map((name) => preset(name)),
  { ...preset('at-least-once'), name: 'ack-on-receipt', ack: 'before-effect' },
  { ...preset('exactly-once'), name: 'dedupe-auto-ack', ack: 'auto' },
  { ...preset('at-least-once'), name: 'no-publish-retry', publishRetry: false },
];

describe('model properties', () => {
  it('conserves messages: produced = processed + lost + (deadLettered - deadLetteredProcessed) + unresolved, in every mode', () => {
    fc.assert(
      fc.property(anyConfig, seed, (config, s) => {
        for (const mode of allModes) {
          const m = measure(run({ ...config, mode }, s)).metrics;
          expect(m.produced).toBe(m.processed + m.lost + m.deadLettered - m.deadLetteredProcessed + m.unresolved);
          expect(m.duplicates).toBeLessThanOrEqual(m.processed);
          expect(m.expired).toBeLessThanOrEqual(m.lost);
        }
      }),
    );
  });

  it('gives every lost and every duplicated message a known cause', () => {
    fc.assert(
      fc.property(anyConfig, seed, (config, s) => {
        for (const mode of allModes) {
          const r = measure(run({ ...config, mode }, s));
          expect(r.lossByCause.unknown).toBe(0);
          expect(r.duplicatesByCause.unknown).toBe(0);
          expect(Object.values(r.lossByCause).reduce((a, b) => a + b, 0)).toBe(r.metrics.lost);
          expect(Object.values(r.duplicatesByCause).reduce((a, b) => a + b, 0)).toBe(r.metrics.duplicates);
        }
      }),
    );
  });

  it('replays exactly: the same configuration and seed give identical results', async () => {
    await fc.assert(
      fc.asyncProperty(anyConfig, seed, fc.constantFrom(...modes), async (config, s, name) => {
        const cfg = { ...config, mode: preset(name) };
        expect(JSON.stringify(measure(run(cfg, s)))).toBe(JSON.stringify(measure(run(cfg, s))));
        const first = await runOnce(cfg, s, true);
        expect(await replays(cfg, s, first)).toBe(true);
        expect((await runOnce(cfg, s, true)).fingerprint).toBe(first.fingerprint);
      }),
    );
  });

  it('at-most-once never redelivers and never retries a publish', () => {
    fc.assert(
      fc.property(anyConfig, seed, (config, s) => {
        // An outbox relay republishes whatever the mode: it is at-least-once publishing by design.
        const producer = { ...config.producer, outbox: false };
        const m = measure(run({ ...config, producer, mode: preset('at-most-once') }, s)).metrics;
        expect(m.redeliveries).toBe(0);
        expect(m.publishRetries).toBe(0);
        expect(m.deadLettered).toBe(0);
      }),
    );
  });

  it('at-least-once loses nothing with unlimited retries and deliveries, no retention limit and a durable broker', () => {
    fc.assert(
      fc.property(safeConfig, seed, (config, s) => {
        const r = measure(run({ ...config, mode: preset('at-least-once') }, s));
        expectEveryMessageProcessed(r);
      }),
    );
  });

  it('at-least-once loses nothing either when pulled against short timeouts, however pulls are served', () => {
    // safeConfig's 60 s timeout seldom expires; here every lost ack, crash or stall meets one, and a consumer holds
    // only what it processes. Late acks accepted: a delivery that outlasts its timeout still settles its message.
    const shortTimeouts = fc.tuple(safeConfig, fc.double({ min: 1.05, max: 3, noNaN: true })).map(([c, ratio]) => {
      const processing = c.consumers.processingMs as number;
      return {
        ...c,
        broker: {
          ...c.broker,
          delivery: 'pull' as const,
          lateAcks: 'accepted' as const,
          visibilityTimeoutScope: 'delivery' as const,
          prefetchCountsUnacked: false,
          messageGroups: false,
          visibilityTimeoutMs: Math.ceil(processing * ratio) + 1,
        },
        consumers: { ...c.consumers, prefetch: c.consumers.concurrency },
      };
    });
    let redelivered = 0;
    fc.assert(
      fc.property(shortTimeouts, seed, (config, s) => {
        const r = measure(run({ ...config, mode: preset('at-least-once') }, s));
        expectEveryMessageProcessed(r);
        if (r.metrics.redeliveries > 0) redelivered++;
      }),
    );
    // Not vacuous: many of the runs met a timeout.
    expect(redelivered).toBeGreaterThan(20);
  });

  it('exactly-once with an unbounded atomic dedupe store neither loses nor duplicates', () => {
    fc.assert(
      fc.property(safeConfig, seed, (config, s) => {
        const cfg = { ...config, dedupe: { windowMs: 0, capacity: 0, atomic: true }, mode: preset('exactly-once') };
        const r = measure(run(cfg, s));
        expect(r.endedBy).toBe('resolved');
        expect(r.metrics.lost).toBe(0);
        expect(r.metrics.duplicates).toBe(0);
      }),
    );
  });

  it('every mode of one seed meets the same link faults: a decision asked in two modes has one answer', () => {
    fc.assert(
      fc.property(anyConfig, seed, (config, s) => {
        const decisions = new Map<string, number>();
        // The decisions two modes answered differently; collected, then asserted once (an expect per decision
        // cost 20 s of CPU in this test alone).
        const differing: string[] = [];
        for (const name of modes) {
          const recording = new RecordingChoiceSource(new SeededChoiceSource(s));
          run({ ...config, mode: preset(name) }, recording);
          for (const pick of recording.picks) {
            const key = `${pick.site}/${pick.a}/${pick.b}/${pick.c}`;
            const earlier = decisions.get(key);
            if (earlier === undefined) decisions.set(key, pick.outcome);
            else if (earlier !== pick.outcome) differing.push(`${key}: ${earlier}, then ${pick.outcome} in ${name}`);
          }
        }
        expect(differing).toEqual([]);
      }),
    );
  });
});

describe('ordering', () => {
  it('one message in flight keeps the stored order through every retry; more in flight can reorder', () => {
    fc.assert(
      fc.property(anyConfig, seed, (config, s) => {
        // Retrying until confirmed: a producer that gives up may still have a slow copy on the wire.
        // An outbox relay resends after a producer crash what it may already have stored: a later copy, not a reorder
        // of the sender.
        const producer = {
          ...config.producer,
          outbox: false,
          maxInFlight: 1,
          retry: { ...config.producer.retry, maxAttempts: 0 },
        };
        const serial = { ...config, producer, mode: preset('at-least-once') };
        expect(measure(run(serial, s)).metrics.reordered).toBe(0);
      }),
    );
    const lossy = {
      ...safeLossyPublish(),
      producer: { ...safeLossyPublish().producer, maxInFlight: 0 },
    };
    expect(measure(run(lossy, 1)).metrics.reordered).toBeGreaterThan(0);
  });

  it("an idempotent producer's sequence numbers keep each partition's order with many in flight; without them retries reorder", () => {
    let reorderedWithout = 0;
    fc.assert(
      fc.property(logConfig, seed, fc.integer({ min: 0, max: 5 }), (config, s, maxInFlight) => {
        const producer = {
          ...config.producer,
          acks: 'all' as const,
          maxInFlight,
          retry: { ...config.producer.retry, maxAttempts: 0 },
          crash: { probability: 0, restartMs: 0 },
        };
        const base = { ...config, producer, broker: { ...config.broker, publishDedupe: true } };
        const idempotent = { ...base, mode: { ...preset('at-least-once'), idempotentPublish: true } };
        const r = measure(run(idempotent, s));
        expect(r.metrics.reordered).toBe(0);
        reorderedWithout += measure(run({ ...base, mode: preset('at-least-once') }, s)).metrics.reordered;
      }),
    );
    expect(reorderedWithout).toBeGreaterThan(0);
  });
});

function safeLossyPublish() {
  return configOf({ network: { publish: { loss: 0.05 } }, producer: { confirmTimeoutMs: 200 } });
}
