// The audit's shortcut for the commonest line (plainEvent) against the full reading (eventOf): wherever the
// shortcut gives an event, it is the one eventOf gives, and it takes the lines a logger usually writes.
import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { anyText } from '../../any-text.js';
import { DEFAULT_FIELDS, EVENT_TYPES, eventOf, MAX_ID_LENGTH, plainEvent } from '../../../src/audit/event.js';

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
  fc.constantFrom(undefined, null, true, -0, Infinity, NaN, 2 ** 53 + 2, {}, []),
);

describe('plainEvent', () => {
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
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (t, id, ts) => {
          expect(plainEvent(t, id, ts)).toEqual({ type: EVENT_TYPES.indexOf(t), id, ts });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
