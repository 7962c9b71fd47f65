// Offsets in a log (issue 19 §2), as Jepsen's Kafka checker reads them: each case of its checker tests
// (jepsen-io/jepsen jepsen/test/jepsen/tests/kafka_test.clj) that a log of single messages can express, written as
// acksim events, comes out with the same anomalies; and random logs agree with the definitions, read pair by pair.
import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { DEFAULT_FIELDS, toEvent, type AuditEvent } from '../../../src/audit/event.js';
import { AuditTally } from '../../../src/audit/tally.js';

type Line = Record<string, string | number>;

/** The audit's offset facts of these lines, read in order. */
function offsetFacts(lines: readonly Line[]) {
  const tally = new AuditTally();
  for (const line of lines) tally.add(toEvent(line, DEFAULT_FIELDS) as AuditEvent);
  const { offsetEvents, offsetReads, nonmonotonic, skipped, loggedTwice, offsetConflicts, lostWrites, unseen } =
    tally.measure().audit;
  return { offsetEvents, offsetReads, nonmonotonic, skipped, loggedTwice, offsetConflicts, lostWrites, unseen };
}

let clock = 0;
/** A send Jepsen's history calls ok: publish, and a confirm at its offset. */
const sent = (id: string, offset: number, key = 'x'): Line[] => [
  { type: 'publish', id, ts: ++clock, key },
  { type: 'confirm', id, ts: ++clock, key, offset },
];
/** A send Jepsen calls info: published, never confirmed (its offset unknown). */
const unconfirmed = (id: string, key = 'x'): Line[] => [{ type: 'publish', id, ts: ++clock, key }];
/** One poll by `consumer`: its records at one time, in order. */
const poll = (consumer: string, records: ReadonlyArray<[offset: number, id: string]>, key = 'x'): Line[] => {
  const ts = ++clock;
  return records.map(([offset, id]) => ({ type: 'deliver', id, ts, key, offset, consumer }));
};

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
    expect(facts).toMatchObject({ skipped: 2, nonmonotonic: 0, offsetReads: 5 });
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

  it('says when nothing could be compared: no offsets, or reads without a consumer', () => {
    expect(offsetFacts(sent('a', -0).slice(0, 1))).toMatchObject({ offsetEvents: 0, offsetReads: 0 });
    const anonymous = offsetFacts([...sent('a', 0), { type: 'deliver', id: 'a', ts: ++clock, key: 'x', offset: 0 }]);
    expect(anonymous).toMatchObject({ offsetEvents: 2, offsetReads: 0, lostWrites: 0, unseen: 0 });
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
        (reads, writes, shuffleSeed) => {
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
