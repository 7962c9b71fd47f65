// The audit's shortcut for the commonest line (plainEvent) against the full reading (eventOf): wherever the
// shortcut gives an event, it is the one eventOf gives, and it takes the lines a logger usually writes.
import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { anyText } from '../../any-text.js';
import {
  DEFAULT_FIELDS,
  EVENT_TYPES,
  eventOf,
  MAX_ID_LENGTH,
  MAX_TIME_MS,
  plainEvent,
} from '../../../src/audit/event.js';

const texts = fc.oneof(
  fc.constantFrom(...EVENT_TYPES, ...EVENT_TYPES.map((t) => ` ${t}`), 'ACK', '', ' ', 'msg-1', 'a\u00a0', '\u2028x'),
  fc.constantFrom(
    'x'.repeat(MAX_ID_LENGTH),
    'x'.repeat(MAX_ID_LENGTH + 1),
    '\ufeffa',
    'a\t',
    '1e3',
    '2026-12-01T00:00:00Z',
  ),
  fc.string({ maxLength: 6 }),
  anyText({ maxLength: 4 }),
);
const values = fc.oneof(
  texts,
  fc.double(),
  fc.integer(),
  fc.constantFrom(undefined, null, true, -0, Infinity, NaN, 2 ** 53 + 2, MAX_TIME_MS, -MAX_TIME_MS, 5e14 + 1, {}, []),
);

/** Ids a logger might write, with an end that trim() may or may not cut (whitespace, non-ASCII, DEL, a BOM). */
const edges = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2028', '\ufeff', '\u007f', '\u0080', 'é', '\ud800', '~'),
  },
);
const edgedIds = fc
  .tuple(edges, fc.stringMatching(/^[!-~]{0,6}$/), edges)
  .map(([head, core, tail]) => head + core + tail);

describe('plainEvent', () => {
  it("gives eventOf's event, or none, for known types, finite times and ids with every kind of end", () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.constantFrom(...EVENT_TYPES), edgedIds, fc.oneof(fc.integer(), fc.double()), (type, id, ts) => {
        const plain = plainEvent(type, id, ts);
        if (plain === undefined) return;
        taken++;
        expect(plain).toEqual(eventOf(type, id, ts, DEFAULT_FIELDS));
      }),
      { numRuns: 3000 },
    );
    // The generators reach the shortcut often, not only its refusals.
    expect(taken).toBeGreaterThan(300);
  });

  it('gives an event only where eventOf gives the same one', () => {
    fc.assert(
      fc.property(values, values, values, (type, id, ts) => {
        const plain = plainEvent(type, id, ts);
        if (plain !== undefined) expect(plain).toEqual(eventOf(type, id, ts, DEFAULT_FIELDS));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes every known type with a printable id and a finite time', () => {
    const ids = fc.stringMatching(/^[!-~]([ -~]{0,30}[!-~])?$/);
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENT_TYPES),
        ids,
        fc.double({ min: -MAX_TIME_MS, max: MAX_TIME_MS, noNaN: true }),
        (t, id, ts) => {
          expect(plainEvent(t, id, ts)).toEqual({ type: EVENT_TYPES.indexOf(t), id, ts });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
