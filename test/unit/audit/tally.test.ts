// The audit against known answers: random ground truth per message, written as events in a random
// order, must come back as the counts that ground truth implies.
import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import {
  EVENT_TYPES,
  EventCode,
  parseFieldMap,
  parseTimestamp,
  toEvent,
  DEFAULT_FIELDS,
} from '../../../src/audit/event.js';
import { confirmRule } from '../../../src/audit/facts.js';
import { AuditTally } from '../../../src/audit/tally.js';

/** What happened to one message, in the real system, and how its log was written. */
const truth = fc.record({
  publishes: fc.integer({ min: 0, max: 3 }),
  /** Attempts the client learned failed (publish-failed after their publish), or alone when never published. */
  failed: fc.integer({ min: 0, max: 3 }),
  confirmed: fc.boolean(),
  deliveries: fc.integer({ min: 0, max: 3 }),
  effects: fc.integer({ min: 0, max: 3 }),
  deadLettered: fc.boolean(),
  acked: fc.boolean(),
  /** The first publish line written twice (log shipping that repeats a line). */
  repeatedLine: fc.boolean(),
  /** Effects timed this much off: a negative skew puts them before the publish (another host's clock). */
  effectSkewMs: fc.constantFrom(0, 0, -20),
  // Whole seconds, so that an effect often falls exactly at the end of the window.
  effectGapsMs: fc.array(
    fc.integer({ min: 0, max: 20 }).map((s) => s * 1000),
    { minLength: 3, maxLength: 3 },
  ),
});
type Truth = typeof truth extends fc.Arbitrary<infer T> ? T : never;

function eventsOf(id: number, t: Truth): Array<{ type: string; id: string; ts: number }> {
  const out: Array<{ type: string; id: string; ts: number }> = [];
  const base = id * 100 + 50;
  for (let i = 0; i < t.publishes; i++) out.push({ type: 'publish', id: `m${id}`, ts: base + i });
  if (t.repeatedLine && t.publishes > 0) out.push({ type: 'publish', id: `m${id}`, ts: base });
  for (let i = 0; i < t.failed; i++) out.push({ type: 'publish-failed', id: `m${id}`, ts: base + 4 });
  if (t.confirmed) out.push({ type: 'confirm', id: `m${id}`, ts: base + 5 });
  for (let i = 0; i < t.deliveries; i++) out.push({ type: 'deliver', id: `m${id}`, ts: base + 6 });
  let ts = base + 7 + t.effectSkewMs;
  for (let i = 0; i < t.effects; i++) {
    out.push({ type: 'effect', id: `m${id}`, ts });
    ts += t.effectGapsMs[i]!;
  }
  if (t.deadLettered && t.effects === 0) out.push({ type: 'dead-letter', id: `m${id}`, ts: base + 9 });
  if (t.acked) out.push({ type: 'ack', id: `m${id}`, ts: base + 10 });
  return out;
}

/** Every publish attempt failed: never published at all but with a failure, or no attempt succeeded nor was confirmed.
 * */
const failedPublish = (t: Truth) => (t.publishes === 0 ? t.failed > 0 : t.failed >= t.publishes && !t.confirmed);
const anyEvent = (t: Truth) =>
  t.confirmed || t.deliveries > 0 || t.effects > 0 || (t.deadLettered && t.effects === 0) || t.acked;

/** The audit of these events: produced, lost and failed publishes. */
function audited(events: ReadonlyArray<readonly [type: string, ts: number]>) {
  const tally = new AuditTally();
  for (const [type, ts] of events) tally.add({ type: EventCode[type as keyof typeof EventCode], id: 'm', ts });
  const { metrics, audit } = tally.measure();
  return { produced: metrics.produced, lost: metrics.lost, failed: audit.failedPublishes };
}

describe('audit tally', () => {
  it('a publish after the latest failure is produced, however often a failure line was repeated', () => {
    for (const repeats of [1, 2, 3]) {
      const failures = Array.from({ length: repeats }, () => ['publish-failed', 1001] as const);
      // The retry at 2000 came after every failure: nothing says it failed, and nothing processed it.
      const retried = audited([['publish', 1000], ...failures, ['publish', 2000]]);
      expect({ repeats, ...retried }).toEqual({ repeats, produced: 1, lost: 1, failed: 0 });
      // Both attempts before the failures: as many failures as attempts, the message failed.
      const both = audited([['publish', 1000], ['publish', 1500], ...failures, ['publish-failed', 1600]]);
      expect({ repeats, ...both }).toEqual({ repeats, produced: 0, lost: 0, failed: 1 });
    }
  });

  it('counts what the ground truth implies, whatever the order of the lines', () => {
    fc.assert(
      fc.property(
        fc.array(truth, { maxLength: 60 }),
        fc.integer({ min: 0, max: 60 }).map((s) => s * 1000),
        fc.constantFrom<Array<'auto' | 'present' | 'absent'>>('auto', 'present', 'absent'),
        fc.integer(),
        (messages, windowMs, confirms, order) => {
          const events = messages.flatMap((t, id) => eventsOf(id, t));
          // A deterministic shuffle: the tally must not depend on the order.
          const shuffled = fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
            seed: order,
            numRuns: 1,
          })[0]!;
          const tally = new AuditTally();
          for (const e of shuffled)
            tally.add({ type: EventCode[e.type as keyof typeof EventCode], id: e.id, ts: e.ts });
          const {
            metrics: m,
            audit,
            lossByCause,
            duplicatesByCause,
          } = tally.measure({ dedupeWindowMs: windowMs, confirms });

          const published = messages.filter((t) => t.publishes > 0 && !failedPublish(t));
          const failed = messages.filter(failedPublish);
          const unexpected = messages.filter((t) => t.publishes === 0 && t.failed === 0 && anyEvent(t));
          // Only confirms of published messages say whether the log records confirms, and auto takes them
          // as recorded only when at least half of the published messages have one.
          const confirmedCount = published.filter((t) => t.confirmed).length;
          const present =
            confirms === 'present' ||
            (confirms === 'auto' && confirmedCount > 0 && confirmedCount * 2 >= published.length);
          const processed = published.filter((t) => t.effects > 0);
          // A delivery proves the broker had it: only a message never confirmed nor delivered is indeterminate.
          const lost = published.filter(
            (t) => t.effects === 0 && !t.deadLettered && (t.confirmed || t.deliveries > 0 || !present),
          );
          expect(audit.confirms).toBe(present ? 'present' : 'absent');
          expect(m.produced).toBe(published.length);
          expect(m.processed).toBe(processed.length);
          expect(m.lost).toBe(lost.length);
          expect(m.deadLettered).toBe(published.filter((t) => t.effects === 0 && t.deadLettered).length);
          expect(m.duplicates).toBe(processed.filter((t) => t.effects > 1).length);
          expect(m.duplicateEffects).toBe(processed.reduce((n, t) => n + t.effects - 1, 0));
          // A repeated line is one event logged twice, not a retry.
          expect(m.publishRetries).toBe(published.reduce((n, t) => n + t.publishes - 1, 0));
          expect(audit.repeatedPublishes).toBe(published.filter((t) => t.repeatedLine).length);
          expect(m.redeliveries).toBe(published.reduce((n, t) => n + Math.max(0, t.deliveries - 1), 0));
          expect(audit.unexpected).toBe(unexpected.length);
          expect(audit.unexpectedProcessed).toBe(unexpected.filter((t) => t.effects > 0).length);
          expect(audit.failedPublishes).toBe(failed.length);
          expect(audit.failedButProcessed).toBe(failed.filter((t) => t.effects > 0).length);
          expect(audit.effectBeforePublish).toBe(processed.filter((t) => t.effectSkewMs < 0).length);
          expect(audit.confirmed).toBe(published.filter((t) => t.confirmed).length);
          expect(audit.indeterminate).toBe(
            published.filter((t) => present && !t.confirmed && t.deliveries === 0 && t.effects === 0 && !t.deadLettered)
              .length,
          );
          expect(audit.recovered).toBe(processed.filter((t) => present && !t.confirmed).length);
          // Every message is counted once: produced ones end in exactly one of these.
          expect(m.processed + m.deadLettered + m.lost + audit.indeterminate).toBe(m.produced);
          expect(lossByCause.neverDelivered! + lossByCause.deliveredNotProcessed!).toBe(m.lost);
          expect(Object.values(duplicatesByCause).reduce((a, b) => a + b, 0)).toBe(m.duplicates);
          const duplicated = processed.filter((t) => t.effects > 1);
          expect(duplicatesByCause.redelivered).toBe(duplicated.filter((t) => t.deliveries > t.publishes).length);
          expect(duplicatesByCause.republished).toBe(
            duplicated.filter((t) => t.deliveries <= t.publishes && t.publishes > 1).length,
          );
          // Every extra effect is within the window of the first effect, or not.
          const caught = processed.reduce((n, t) => {
            let at = 0;
            let within = 0;
            for (let i = 1; i < t.effects; i++) {
              at += t.effectGapsMs[i - 1]!;
              if (windowMs === 0 || at < windowMs) within++;
            }
            return n + within;
          }, 0);
          expect(audit.caughtByDedupeWindow).toBe(caught);
          expect(audit.caughtByDedupeWindow! + audit.missedByDedupeWindow!).toBe(m.duplicateEffects);
          expect(m.lossRate).toBe(m.produced === 0 ? 0 : m.lost / m.produced);
          expect(m.duplicateRate).toBe(m.processed === 0 ? 0 : m.duplicates / m.processed);
        },
      ),
    );
  });
});

describe('audit confirm rule', () => {
  it('auto takes confirms as recorded only when at least half of the published messages have one', () => {
    const auto = (confirmed: number, produced: number, strayConfirms = 0) =>
      confirmRule('auto', { confirmed, produced, strayConfirms });
    // One confirm among a thousand publishes: the other 999 are lost, not indeterminate.
    expect(auto(1, 1000)).toEqual({
      confirms: 'absent',
      confirmsRule:
        'auto: only 1 of 1,000 published messages have a confirm, fewer than half; --confirms present if the log records every confirm',
    });
    expect(auto(499, 999).confirms).toBe('absent');
    expect(auto(500, 999).confirms).toBe('present');
    expect(auto(1, 2)).toEqual({
      confirms: 'present',
      confirmsRule: 'auto: 1 of 2 published messages have a confirm, at least half',
    });
    expect(auto(0, 5, 3)).toEqual({
      confirms: 'absent',
      confirmsRule: 'auto: no published message has a confirm; 3 confirm(s) of ids never published ignored',
    });
    // Confirms of ids never published do not make up the half.
    expect(auto(1, 4, 10).confirms).toBe('absent');
    expect(confirmRule('present', { confirmed: 0, produced: 9, strayConfirms: 0 })).toEqual({
      confirms: 'present',
      confirmsRule: '--confirms present',
    });
  });
});

describe('audit events', () => {
  it('reads every event type, ids as strings or numbers, times as ms or ISO-8601 with a zone', () => {
    for (const type of EVENT_TYPES)
      expect(toEvent({ type, id: 7, ts: 12 }, DEFAULT_FIELDS)).toEqual({ type: EventCode[type], id: '7', ts: 12 });
    expect(parseTimestamp('2026-11-23T12:00:00.250Z')).toBe(Date.UTC(2026, 10, 23, 12, 0, 0, 250));
    expect(parseTimestamp('2026-11-23T13:00:00+01:00')).toBe(Date.UTC(2026, 10, 23, 12));
    expect(parseTimestamp('1763900000000')).toBe(1763900000000);
  });

  it('says what is wrong with a record, naming the field', () => {
    expect(toEvent({ type: 'constructor', id: 'a', ts: 1 }, DEFAULT_FIELDS)).toMatch(
      /^type: unknown event type "constructor"/,
    );
    for (const id of [2 ** 60, 2 ** 53, 12345678901234.568, 1.5, -0.5])
      expect(toEvent({ type: 'ack', id, ts: 1 }, DEFAULT_FIELDS)).toMatch(
        /^id: \S+ cannot name a message exactly as a JSON number \(allowed: whole numbers up to 2\^53 - 1/,
      );
    expect(toEvent({ type: 'ack', id: 2 ** 53 - 1, ts: 1 }, DEFAULT_FIELDS)).toMatchObject({ id: String(2 ** 53 - 1) });
    expect(toEvent([1], DEFAULT_FIELDS)).toMatch(/^not an object/);
    expect(toEvent({ id: 'a', ts: 1 }, DEFAULT_FIELDS)).toMatch(/^missing field "type"/);
    expect(toEvent({ type: 'sent', id: 'a', ts: 1 }, DEFAULT_FIELDS)).toMatch(
      /^type: unknown event type "sent" \(allowed: publish, /,
    );
    expect(toEvent({ type: 'ack', ts: 1 }, DEFAULT_FIELDS)).toMatch(/^missing field "id"/);
    expect(toEvent({ type: 'ack', id: { a: 1 }, ts: 1 }, DEFAULT_FIELDS)).toMatch(/^id: .* is not a message id/);
    expect(toEvent({ type: 'ack', id: 'a' }, DEFAULT_FIELDS)).toMatch(/^missing field "ts"/);
    // A time without a zone means different instants on different hosts: refused.
    expect(toEvent({ type: 'ack', id: 'a', ts: '2026-11-23T12:00:00' }, DEFAULT_FIELDS)).toMatch(
      /^ts: .* is not a time/,
    );
    expect(toEvent({ type: 'ack', id: 'a', ts: 'yesterday' }, DEFAULT_FIELDS)).toMatch(
      /^ts: "yesterday" is not a time/,
    );
  });

  it('maps the log’s own field names, and refuses what it cannot read', () => {
    const map = parseFieldMap('type=kind, id=msg_id,ts=time');
    expect(map).toEqual({
      type: 'kind',
      id: 'msg_id',
      ts: 'time',
      key: 'key',
      offset: 'offset',
      consumer: 'consumer',
      partition: 'partition',
    });
    expect(toEvent({ kind: 'effect', msg_id: 'x', time: 3 }, map as never)).toEqual({
      type: EventCode.effect,
      id: 'x',
      ts: 3,
    });
    expect(parseFieldMap('kind=type')).toMatch(
      /unknown field "kind" \(allowed: type, id, ts, key, offset, consumer, partition\)/,
    );
    expect(parseFieldMap('type')).toMatch(/expected ours=theirs/);
  });
});
