// Per-key order in a log (issue 19 §2): a message is out of order when a message of its key published strictly
// later had its first effect strictly earlier; checked against that definition, pair by pair.
import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { KeyOrder } from '../../../src/audit/key-order.js';

describe('per-key order of a log', () => {
  it('counts the messages a later-published message of their key overtook, and nothing else', () => {
    const message = fc.record({
      key: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      publish: fc.integer({ min: 0, max: 20 }),
      effect: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
      produced: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 40 }), (messages) => {
        const order = new KeyOrder();
        messages.forEach((m, row) => {
          if (m.key !== undefined) order.note(row, `k${m.key}`);
        });
        const publish = Float64Array.from(messages, (m) => m.publish);
        const effect = Float64Array.from(messages, (m) => m.effect ?? Infinity);
        const counted = (m: (typeof messages)[number]) => m.key !== undefined && m.produced && m.effect !== undefined;
        const expected = messages.filter(
          (m) =>
            counted(m) &&
            messages.some((n) => counted(n) && n.key === m.key && n.publish > m.publish && n.effect! < m.effect!),
        ).length;
        const { late, compared } = order.outOfOrder(messages.length, publish, effect, (row) => messages[row]!.produced);
        expect(late).toBe(expected);
        const shared = (m: (typeof messages)[number]) =>
          counted(m) && messages.some((n) => n !== m && counted(n) && n.key === m.key);
        expect(compared).toBe(messages.filter(shared).length);
        expect(order.keyed(messages.length, () => true).keyed).toBe(messages.filter((m) => m.key !== undefined).length);
      }),
    );
  });

  it('keeps the first key of an id and counts a second one as a conflict', () => {
    const order = new KeyOrder();
    order.note(0, 'a');
    order.note(0, 'a');
    order.note(0, 'b');
    order.note(5000, 'c');
    expect(order.conflicts).toBe(1);
    expect(order.keyed(5001, () => true)).toEqual({ keyed: 2, unkeyed: 4999 });
  });
});
