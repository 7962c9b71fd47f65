// The cost metric (M8, issue 18 §1): a run's requests at the broker's list prices. Closed forms: with lost acks q
// on SQS's prices, each message costs a send, 1/(1-q) receives and as many deletes; payloads over 64 KB bill per
// chunk; Pub/Sub bills bytes with a minimum per request. A check on a cost with no price is refused, never a pass.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expect } from 'expect';
import { costOf } from '../../src/run/cost.js';
import { config, measured } from '../helpers.js';
import { acksim } from '../cli/run-cli.js';

const SQS = {
  usdPerMillionRequests: 0.4,
  requestChunkBytes: 65536,
  usdPerTiB: 0,
  minBytesPerRequest: 0,
  messageBytes: 1024,
};

describe('cost', () => {
  it('counts a send, the receives and one delete each on SQS prices; lost acks cost 1/(1-q) as much to receive', () => {
    const q = 0.2;
    const messages = 20_000;
    const c = config({
      messages,
      network: { ack: { loss: q } },
      broker: { pricing: SQS, visibilityTimeoutMs: 2000 },
      consumers: { count: 8 },
    });
    const m = measured(c, 3).metrics;
    // Exactly: every delivery sent one delete (acks lost on the way were still requested).
    expect(m.costUsd).toBeCloseTo(((messages + 2 * m.deliveries) * 0.4) / 1e6, 9);
    // And the deliveries are geometric in q: 1/(1-q) per message, within 5 standard deviations.
    const mean = 1 / (1 - q);
    const sd = Math.sqrt(q / (1 - q) ** 2 / messages);
    expect(Math.abs(m.deliveries / messages - mean)).toBeLessThan(5 * sd);
    expect(m.costPerMillionDelivered).toBeCloseTo((m.costUsd / m.processed) * 1e6, 6);
  });

  it('bills each 64 KB chunk of a payload as a request, and Pub/Sub bytes with its 1,000-byte minimum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.nat(1000),
        fc.nat(1000),
        fc.nat(100),
        (bytes, sends, receives, extras) => {
          const counters = { publishAttempts: sends, deliveries: receives } as never;
          const requests = { deletes: extras, visibilityChanges: extras, dedupeHits: 0 };
          const sqs = costOf({ counters, requests, pricing: { ...SQS, messageBytes: bytes } }, 1).costUsd;
          const chunks = Math.ceil(bytes / 65536);
          expect(sqs).toBeCloseTo((((sends + receives) * chunks + 2 * extras) * 0.4) / 1e6, 9);
          const pubsub = {
            ...SQS,
            usdPerMillionRequests: 0,
            usdPerTiB: 40,
            minBytesPerRequest: 1000,
            messageBytes: bytes,
          };
          const billed = (sends + receives) * Math.max(1000, bytes);
          expect(costOf({ counters, requests, pricing: pubsub }, 1).costUsd).toBeCloseTo((billed / 2 ** 40) * 40, 9);
        },
      ),
    );
  });

  it('comes from the profiles with prices, and is 0 without', () => {
    type Report = { scenarios: { results: { metrics: { costUsd: number } }[] }[] };
    const json = (args: string[]) =>
      JSON.parse(acksim([...args, '--messages', '500', '--format', 'json']).stdout) as Report;
    const priced = json(['run', 'lost-acks', '--profile', 'sqs-standard']).scenarios[0]!.results[1]!.metrics;
    expect(priced.costUsd).toBeGreaterThan(0);
    const fifo = json(['run', 'lost-acks', '--profile', 'sqs-fifo']).scenarios[0]!.results[1]!.metrics;
    // The same requests at $0.50 instead of $0.40 a million.
    expect(fifo.costUsd / priced.costUsd).toBeCloseTo(1.25, 2);
    const free = json(['run', 'lost-acks']).scenarios[0]!.results[1]!.metrics;
    expect(free.costUsd).toBe(0);
  });

  it('refuses a check on a cost where a mode sets no price: a 0 would pass any bound on nothing', () => {
    const refused = acksim(['run', 'lost-acks', '--check', 'costPerMillionDelivered < 5']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      'acksim: --check "costPerMillionDelivered < 5": costPerMillionDelivered needs prices, and mode at-most-once sets none (allowed: broker.pricing, or a profile with prices: sqs-standard, sqs-fifo, pubsub)\n',
    );
    const judged = acksim(['run', 'lost-acks', '--profile', 'sqs-standard', '--check', 'costPerMillionDelivered < 5']);
    expect(judged.status).toBe(0);
  });
});

describe('cost checks in a scenario file', () => {
  it('are refused where the mode sets no price, with the check’s place in the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-cost-'));
    const file = join(dir, 'priced.yaml');
    writeFileSync(
      file,
      ['messages: 100', 'modes: [at-least-once]', 'expect:', '  at-least-once: ["costUsd < 1"]', ''].join('\n'),
    );
    const refused = acksim(['validate', file]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(':4:');
    expect(refused.stderr).toContain('costUsd needs prices, and mode at-least-once sets none');
    writeFileSync(file, ['broker: { profile: sqs-standard }', readFileSync(file, 'utf8')].join('\n'));
    expect(acksim(['validate', file]).status).toBe(0);
  });
});
