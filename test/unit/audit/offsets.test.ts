// Offsets in a log (issue 19 §2), as Jepsen's Kafka checker reads them: each case of its checker tests
// (jepsen-io/jepsen jepsen/test/jepsen/tests/kafka_test.clj) that a log of single messages can express, written as
// acksim events, comes out with the same anomalies; and random logs agree with the definitions, read pair by pair.
import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { DEFAULT_FIELDS, parseFieldMap, toEvent, type AuditEvent, type FieldMap } from '../../../src/audit/event.js';
import { AuditTally } from '../../../src/audit/tally.js';

type Line = Record<string, string | number>;

/** The audit's offset facts of these lines, read in order. */
function offsetFacts(lines: readonly Line[]) {
  const tally = new AuditTally();
  for (const line of lines) tally.add(toEvent(line, DEFAULT_FIELDS) as AuditEvent);
  const a = tally.measure().audit;
  const names = [
    ...['offsetEvents', 'offsetWrites', 'offsetReads', 'offsetPairs', 'nonmonotonic', 'skipped'],
    ...['loggedTwice', 'offsetConflicts', 'lostWrites', 'unseen'],
  ] as const;
  return Object.fromEntries(names.map((name) => [name, a[name]])) as Record<(typeof names)[number], number>;
}

let clock = 0;
/** A send Jepsen's history calls ok: publish, and a confirm at its offset. */
const sent = (id: string, offset: number, key = 'x'): Line[] => [
  { type: 'publish', id, ts: ++clock, key },
  { type: 'confirm', id, ts: ++clock, key, offset },
];
/** A send Jepsen calls info: published, never confirmed (its offset unknown). */
const unconfirmed = (id: string, key = 'x'): Line[] => [{ type: 'publish', id, ts: ++clock, key }];
/** One poll by `consumer`: its records, each logged as the consumer takes it. */
const poll = (consumer: string, records: ReadonlyArray<[offset: number, id: string]>, key = 'x'): Line[] =>
  records.map(([offset, id]) => ({ type: 'deliver', id, ts: ++clock, key, offset, consumer }));

describe("offsets, against Jepsen's Kafka checker tests", () => {
  it('lost-write, consistent: a and b confirmed below a read of c are lost; d above it is unseen', () => {
    const facts = offsetFacts([
      ...sent('a', 0),
      ...sent('b', 1),
      ...sent('d', 3),
      ...unconfirmed('c'),
      ...poll('p0', [[2, 'c']]),
    ]);
    expect(facts).toMatchObject({ lostWrites: 2, unseen: 1, skipped: 0, nonmonotonic: 0 });
  });

  it('lost-write, inconsistent: a overwritten by b at offset 0, c read at 2: a is lost, offset 0 claimed twice', () => {
    const facts = offsetFacts([
      ...sent('a', 0),
      ...sent('b', 0),
      ...sent('c', 2),
      ...poll('p0', [
        [0, 'b'],
        [2, 'c'],
      ]),
    ]);
    expect(facts).toMatchObject({ lostWrites: 1, offsetConflicts: 1, unseen: 0 });
  });

  it('poll-skip: offsets 1, 2, 4, 7 read by one consumer skip 3 and 6, which others saw; 5 may be a gap', () => {
    const facts = offsetFacts([
      ...['a', 'b', 'c', 'd', 'g'].flatMap((id) => unconfirmed(id)),
      ...poll('p0', [
        [1, 'a'],
        [2, 'b'],
      ]),
      ...poll('p1', [[3, 'c']]),
      ...poll('p0', [[4, 'd']]),
      ...sent('f', 6),
      ...poll('p0', [[7, 'g']]),
    ]);
    expect(facts).toMatchObject({ skipped: 2, nonmonotonic: 0, offsetReads: 5, offsetPairs: 3 });
  });

  it('int-poll-skip: a skip within one poll and between two, 2 known from a later read', () => {
    const facts = offsetFacts([
      ...['a', 'b', 'd'].flatMap((id) => unconfirmed(id)),
      ...poll('p0', [
        [1, 'a'],
        [4, 'd'],
      ]),
      ...poll('p9', [[1, 'a']]),
      ...poll('p9', [[4, 'd']]),
      ...poll('p8', [[2, 'b']]),
    ]);
    expect(facts).toMatchObject({ skipped: 2, nonmonotonic: 0 });
  });

  it('nonmonotonic-poll: 1 2 3 then 2 3 4 by one consumer goes back once', () => {
    const facts = offsetFacts([
      ...['a', 'b', 'c', 'd'].flatMap((id) => unconfirmed(id)),
      ...poll('p0', [
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
      ]),
      ...poll('p0', [
        [2, 'b'],
        [3, 'c'],
        [4, 'd'],
      ]),
    ]);
    expect(facts).toMatchObject({ nonmonotonic: 1, skipped: 0 });
  });

  it('int-nonmonotonic-poll: 3 then 1 in one poll, and 3 read twice, are two', () => {
    const facts = offsetFacts([
      ...['a', 'b', 'c'].flatMap((id) => unconfirmed(id)),
      ...poll('p0', [
        [3, 'c'],
        [1, 'a'],
      ]),
      ...poll('p1', [
        [2, 'b'],
        [3, 'c'],
        [3, 'c'],
      ]),
    ]);
    expect(facts.nonmonotonic).toBe(2);
  });

  it('duplicate: a sent to 1 and read at 3 is at two offsets; a failed send’s offset is no write', () => {
    expect(
      offsetFacts([
        ...sent('a', 1),
        ...unconfirmed('b'),
        ...poll('p2', [
          [2, 'b'],
          [3, 'a'],
        ]),
      ]),
    ).toMatchObject({ loggedTwice: 1, offsetConflicts: 0 });
    const failed = offsetFacts([
      ...sent('0', 1),
      { type: 'publish', id: '1', ts: ++clock, key: 'x' },
      { type: 'publish-failed', id: '1', ts: ++clock, key: 'x', offset: 2 },
      ...poll('p1', [
        [11, '0'],
        [12, '1'],
      ]),
    ]);
    expect(failed.loggedTwice).toBe(1);
  });

  it('duplicate, hash-insensitive: ten values sent to 0 and read at 1 are ten duplicates and two conflicts', () => {
    const lines = Array.from({ length: 10 }, (_, v) => [...sent(`v${v}`, 0), ...poll('p1', [[1, `v${v}`]])]).flat();
    expect(offsetFacts(lines)).toMatchObject({ loggedTwice: 10, offsetConflicts: 2 });
  });

  it('says what could be compared: no offsets, reads without a consumer, writes without an offset', () => {
    expect(offsetFacts(sent('a', -0).slice(0, 1))).toMatchObject({ offsetEvents: 0, offsetReads: 0 });
    const anonymous = offsetFacts([...sent('a', 0), { type: 'deliver', id: 'a', ts: ++clock, key: 'x', offset: 0 }]);
    expect(anonymous).toMatchObject({ offsetEvents: 2, offsetWrites: 1, offsetReads: 1, offsetPairs: 0 });
    // Offsets on reads only: nothing says where a confirmed message was written.
    const readsOnly = offsetFacts([
      ...unconfirmed('a'),
      { type: 'confirm', id: 'a', ts: ++clock },
      ...poll('p', [[0, 'a']]),
    ]);
    expect(readsOnly).toMatchObject({ offsetWrites: 0, lostWrites: 0, unseen: 0 });
  });

  it('a read without a consumer still shows a later offset was read; an effect or a dead-letter is a delivery', () => {
    const b = [...sent('b', 1), { type: 'deliver', id: 'b', ts: ++clock, key: 'x', offset: 1 }];
    expect(offsetFacts([...sent('a', 0), ...b])).toMatchObject({ lostWrites: 1, unseen: 0 });
    // a processed with no deliver line in the log: not a lost write.
    const processed = offsetFacts([...sent('a', 0), { type: 'effect', id: 'a', ts: ++clock }, ...b]);
    expect(processed).toMatchObject({ lostWrites: 0, unseen: 0 });
    // Its own offset read holding another message: skipped over, a lost write.
    expect(offsetFacts([...sent('a', 2), ...unconfirmed('z'), ...poll('p', [[2, 'z']])])).toMatchObject({
      lostWrites: 1,
      offsetConflicts: 1,
    });
  });

  it('counts the same whatever order the lines come in: the lowest offset written, reads at one time by offset', () => {
    const lines = [...sent('a', 5), ...sent('a', 1), ...unconfirmed('c'), ...poll('p', [[3, 'c']])];
    expect(offsetFacts([...lines].reverse())).toEqual(offsetFacts(lines));
    expect(offsetFacts(lines)).toMatchObject({ lostWrites: 1, loggedTwice: 1 });
    const sameTime = [
      { type: 'deliver', id: 'b', ts: 5, key: 'x', offset: 2, consumer: 'x' },
      { type: 'deliver', id: 'a', ts: 5, key: 'x', offset: 1, consumer: 'x' },
    ];
    expect(offsetFacts([...sameTime].reverse())).toEqual(offsetFacts(sameTime));
  });
});

describe('partitions', () => {
  // An unkeyed topic of two partitions: offsets 0 to 2 in each, read by one consumer, p0 first.
  const twoPartitions = (named: boolean): Line[] =>
    ['p0', 'p1'].flatMap((partition) =>
      [0, 1, 2].flatMap((offset) => {
        const id = `${partition}-${offset}`;
        const where: Line = named ? { partition, offset } : { offset };
        return [
          { type: 'publish', id, ts: ++clock },
          { type: 'confirm', id, ts: ++clock, ...where },
          { type: 'deliver', id, ts: ++clock, consumer: 'c', ...where },
        ];
      }),
    );

  it('keeps each named partition a log of its own; without names, one log holds them all', () => {
    expect(offsetFacts(twoPartitions(true))).toMatchObject({
      offsetConflicts: 0,
      nonmonotonic: 0,
      skipped: 0,
      loggedTwice: 0,
      lostWrites: 0,
      unseen: 0,
      offsetPairs: 4,
    });
    // The same log without its partitions: three offsets claimed twice, and the consumer seems to go back once.
    expect(offsetFacts(twoPartitions(false))).toMatchObject({ offsetConflicts: 3, nonmonotonic: 1, offsetPairs: 5 });
  });

  it('takes the partition from any event of the message; a message named in two partitions was stored twice', () => {
    const lines: Line[] = [
      { type: 'publish', id: 'a', ts: 1 },
      { type: 'confirm', id: 'a', ts: 2, offset: 4 },
      { type: 'deliver', id: 'a', ts: 3, offset: 4, partition: 1, consumer: 'c' },
      { type: 'deliver', id: 'b', ts: 4, offset: 4, partition: '1', consumer: 'd' },
      { type: 'deliver', id: 'b', ts: 5, offset: 4, partition: '2', consumer: 'd' },
    ];
    const facts = offsetFacts(lines);
    expect(facts).toMatchObject({ loggedTwice: 1, offsetConflicts: 1, unseen: 0, lostWrites: 0 });
    expect(offsetFacts([...lines].reverse())).toEqual(facts);
  });

  it('files each event under the partition it names, even for a message named in two', () => {
    const confirm = (id: string, partition: string, offset: number): Line => ({
      type: 'confirm',
      id,
      ts: 1,
      partition,
      offset,
    });
    const publish = (id: string): Line => ({ type: 'publish', id, ts: 0 });
    const read = (id: string, partition: string, offset: number, ts: number): Line => ({
      type: 'deliver',
      id,
      ts,
      partition,
      offset,
      consumer: 'c',
    });
    // x is in partition 1 and in 2, at 3 in both; y at 3 of partition 2: one offset of partition 2 claimed twice.
    expect(
      offsetFacts([publish('x'), publish('y'), confirm('x', '1', 3), confirm('x', '2', 3), confirm('y', '2', 3)]),
    ).toMatchObject({ offsetConflicts: 1, loggedTwice: 1 });
    // x at 3 of one partition and retried to 5 of partition 2, never read; c reads 4 and 6 of partition 2: a lost write
    // and a skip, whatever the other partition is called.
    for (const other of ['1', '3'])
      expect(
        offsetFacts([
          publish('x'),
          publish('y'),
          publish('z'),
          confirm('x', other, 3),
          confirm('x', '2', 5),
          read('y', '2', 4, 10),
          read('z', '2', 6, 11),
        ]),
      ).toMatchObject({ lostWrites: 1, skipped: 1, unseen: 0 });
    // c reads y in partition 1, then x in partition 2 (x also written in 1): no partition read twice, nothing compared.
    expect(
      offsetFacts([publish('x'), publish('y'), confirm('x', '1', 9), read('y', '1', 2, 5), read('x', '2', 5, 6)]),
    ).toMatchObject({ offsetPairs: 0, nonmonotonic: 0 });
  });

  it('names one partition the same however it is spelled: 1, "1", " 1", "01"', () => {
    const lines = [1, '1', ' 1', '01'].map((partition, i) => ({
      type: 'confirm',
      id: 'a',
      ts: i,
      offset: 2,
      partition,
    }));
    expect(offsetFacts(lines)).toMatchObject({ loggedTwice: 0, offsetConflicts: 0 });
    expect(toEvent({ type: 'confirm', id: 'a', ts: 1, offset: 2, partition: '  ' }, DEFAULT_FIELDS)).not.toHaveProperty(
      'partition',
    );
  });

  it('reads a string or a number; anything else is none, or a bad line when --map names the field', () => {
    const event = (partition: unknown, fields = DEFAULT_FIELDS) =>
      toEvent({ type: 'deliver', id: 'a', ts: 1, offset: 3, partition }, fields);
    expect(event(2)).toMatchObject({ partition: '2' });
    expect(event('orders-0')).toMatchObject({ partition: 'orders-0' });
    for (const none of [null, '', { id: 1 }, [1], true]) expect(event(none)).not.toHaveProperty('partition');
    const mapped = parseFieldMap('partition=part') as FieldMap;
    expect(toEvent({ type: 'deliver', id: 'a', ts: 1, part: { id: 1 } }, mapped)).toBe(
      'part: an object is not a partition (allowed: a string or a number, up to 1,024 characters)',
    );
  });
});

describe('offset fields', () => {
  it('reads whole numbers and their digits; -1 (no offset) and, unless --map names the field, anything else are none', () => {
    const event = (offset: unknown, fields = DEFAULT_FIELDS) =>
      toEvent({ type: 'confirm', id: 'a', ts: 1, offset }, fields);
    expect(event(7)).toMatchObject({ offset: 7 });
    expect(event('12')).toMatchObject({ offset: 12 });
    for (const none of [-1, '-1', '+02:00', 1.5, -2, { at: 3 }]) expect(event(none)).not.toHaveProperty('offset');
    const mapped = parseFieldMap('offset=offset') as FieldMap;
    expect(event('+02:00', mapped)).toBe(
      'offset: "+02:00" is not an offset (allowed: a whole number from 0 to 2^53 - 1, or -1 for none)',
    );
    expect(event(-1, mapped)).not.toHaveProperty('offset');
  });
});

describe('offsets, against their definitions', () => {
  const read = fc.record({
    consumer: fc.constantFrom('c0', 'c1'),
    key: fc.constantFrom('k0', 'k1'),
    offset: fc.integer({ min: 0, max: 12 }),
  });
  it('counts backward steps and skips pair by pair, per consumer and partition, whatever order the lines come in', () => {
    fc.assert(
      fc.property(
        fc.array(read, { maxLength: 30 }),
        fc.array(fc.record({ key: fc.constantFrom('k0', 'k1'), offset: fc.integer({ min: 0, max: 12 }) }), {
          maxLength: 10,
        }),
        fc.integer(),
        fc.boolean(),
        (reads, writes, shuffleSeed, named) => {
          // Each message one id, its key fixed: a read or write names the id of its partition and offset.
          const id = (key: string, offset: number) => `${key}@${offset}`;
          const lines: Line[] = [
            ...writes.map((w, i) => ({
              type: 'confirm',
              id: id(w.key, w.offset),
              ts: i,
              key: w.key,
              offset: w.offset,
            })),
            ...reads.map((r, i) => ({ type: 'deliver', id: id(r.key, r.offset), ts: 100 + i, ...r })),
          ];
          const known = (key: string) =>
            new Set([...writes, ...reads].filter((x) => x.key === key).map((x) => x.offset));
          let nonmonotonic = 0;
          let skipped = 0;
          for (const consumer of ['c0', 'c1'])
            for (const key of ['k0', 'k1']) {
              const mine = reads.filter((r) => r.consumer === consumer && r.key === key).map((r) => r.offset);
              for (let i = 1; i < mine.length; i++) {
                if (mine[i]! <= mine[i - 1]!) nonmonotonic++;
                else if ([...known(key)].some((o) => o > mine[i - 1]! && o < mine[i]!)) skipped++;
              }
            }
          // The key stands for the partition; a partition field named instead must count the same.
          if (named)
            for (const line of lines) {
              line.partition = line.key!;
              delete line.key;
            }
          const shuffled = [...lines].sort(
            (a, b) =>
              (((Number(a.ts) + 1) * 7919 + shuffleSeed) % 97) - (((Number(b.ts) + 1) * 7919 + shuffleSeed) % 97),
          );
          const facts = offsetFacts(shuffled);
          expect({ nonmonotonic: facts.nonmonotonic, skipped: facts.skipped }).toEqual({ nonmonotonic, skipped });
          expect(facts.offsetReads).toBe(reads.length);
          expect(facts.offsetConflicts).toBe(0);
        },
      ),
    );
  });
});
