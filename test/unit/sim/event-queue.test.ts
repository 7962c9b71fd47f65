import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { EventQueue } from '../../../src/sim/event-queue.js';
import { Kernel } from '../../../src/sim/kernel.js';
import { StateHasher } from '../../../src/sim/state-hash.js';

describe('EventQueue', () => {
  it('pops events in (time, insertion) order whatever the push order, growing past its capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const queue = new EventQueue(16);
        times.forEach((t, i) => queue.push(t, 1, i, 0, 0, 0, 0, 0));
        const out = new Float64Array(8);
        const popped: Array<[number, number]> = [];
        while (queue.pop(out)) popped.push([out[0]!, out[2]!]);
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(popped).toEqual(expected);
      }),
    );
  });

  it('pops and hashes the same in columns a released queue left, whatever that queue held, as in new ones', () => {
    // Each case: events left in a queue (some in a lane) when it is released, then the same events pushed into a
    // queue built after the release (it takes the spare columns) and into one built before (its own columns).
    const events = fc.array(fc.record({ time: fc.integer({ min: 0, max: 8 }), kind: fc.integer({ min: 0, max: 2 }) }), {
      maxLength: 60,
    });
    fc.assert(
      fc.property(events, events, (left, pushed) => {
        const fresh = new EventQueue(16, [1]);
        const old = new EventQueue(16, [1]);
        left.forEach((e, i) => old.push(e.time, e.kind, -i, 7, 7, 7, 7, 7));
        old.release();
        const reused = new EventQueue(16, [1]);
        const drain = (queue: EventQueue) => {
          pushed.forEach((e, i) => queue.push(e.time, e.kind, i, 0, 0, 0, 0, 0));
          const h = new StateHasher();
          queue.hashState(h);
          const out = new Float64Array(8);
          const popped: number[] = [];
          while (queue.pop(out)) popped.push(...out);
          return { hash: h.digest(), popped };
        };
        expect(drain(reused)).toEqual(drain(fresh));
      }),
    );
  });

  it('pops and hashes exactly as without lanes, whatever is pushed into them in or out of time order', () => {
    // Operations: push (kind 0-3, kinds 1 and 2 in lanes; a time some steps after the last popped), or pop.
    const operation = fc.oneof(
      fc.record({ kind: fc.integer({ min: 0, max: 3 }), delay: fc.integer({ min: 0, max: 6 }) }),
      fc.constant('pop' as const),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 400 }), fc.boolean(), (operations, fixedDelay) => {
        const plain = new EventQueue(16);
        const laned = new EventQueue(16, [1, 2]);
        const out = new Float64Array(8);
        const popped: [number[], number[]] = [[], []];
        let now = 0;
        operations.forEach((op, i) => {
          if (op === 'pop') {
            for (const [q, queue] of [plain, laned].entries()) {
              const any = queue.pop(out);
              if (any) popped[q]!.push(out[0]!, out[1]!, out[2]!);
            }
            if (out[0]! > now) now = out[0]!;
            return;
          }
          // A fixed delay per lane kind keeps its pushes in time order; any delay mixes them up.
          const time = now + (fixedDelay && op.kind > 0 && op.kind < 3 ? op.kind * 3 : op.delay);
          plain.push(time, op.kind, i, 0, 0, 0, 0, 0);
          laned.push(time, op.kind, i, 0, 0, 0, 0, 0);
          expect(laned.size).toBe(plain.size);
          expect(laned.peekTime()).toBe(plain.peekTime());
        });
        const [a, b] = [new StateHasher(), new StateHasher()];
        plain.hashState(a);
        laned.hashState(b);
        expect(b.digest()).toBe(a.digest());
        while (plain.pop(out)) popped[0].push(out[0]!, out[1]!, out[2]!);
        while (laned.pop(out)) popped[1].push(out[0]!, out[1]!, out[2]!);
        expect(popped[1]).toEqual(popped[0]);
      }),
    );
  });

  it('hashes a stale event by its time alone, in a lane or in the heap, and only a stale one', () => {
    // Kind 1 has a lane; an event of kind 1 or 2 whose first field is odd is stale. Another stale event at the same
    // time (other fields) changes nothing; a stale event gone, or a live one changed, changes the hash.
    const event = fc.record({
      time: fc.integer({ min: 0, max: 50 }),
      kind: fc.integer({ min: 0, max: 2 }),
      a: fc.integer({ min: 0, max: 9 }),
    });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 200 }), fc.boolean(), fc.nat(), (events, inOrder, at) => {
        const sorted = inOrder ? [...events].sort((x, y) => x.time - y.time) : events;
        const stale = (e: { kind: number; a: number }) => e.kind > 0 && e.a % 2 === 1;
        const hash = (pushed: ReadonlyArray<{ time: number; kind: number; a: number; b?: number }>) => {
          const queue = new EventQueue(16, [1]);
          for (const kind of [1, 2]) queue.staleWhen(kind, (a) => a % 2 === 1);
          for (const e of pushed) queue.push(e.time, e.kind, e.a, e.b ?? 0, 0, 0, 0, 0);
          const h = new StateHasher();
          queue.hashState(h);
          return h.digest();
        };
        const others = sorted.map((e) => (stale(e) ? { ...e, a: (e.a + 2) % 10, b: 7 } : e));
        expect(hash(others)).toBe(hash(sorted));
        const i = at % sorted.length;
        const changed = stale(sorted[i]!)
          ? sorted.filter((_, j) => j !== i)
          : sorted.map((e, j) => (j === i ? { ...e, b: 1 } : e));
        expect(hash(changed)).not.toBe(hash(sorted));
      }),
    );
  });

  it('carries all six payload fields through', () => {
    const queue = new EventQueue();
    queue.push(5, 7, 1, -2, 3, 2 ** 30, 5, 6);
    const out = new Float64Array(8);
    expect(queue.pop(out)).toBe(true);
    expect(Array.from(out)).toEqual([5, 7, 1, -2, 3, 2 ** 30, 5, 6]);
    expect(queue.pop(out)).toBe(false);
  });
});

describe('Kernel', () => {
  it('runs same-time events first in, first out and advances the clock', () => {
    const kernel = new Kernel();
    const seen: string[] = [];
    kernel.on(0, (a) => seen.push(`${kernel.now}:${a}`));
    kernel.at(10, 0, 1);
    kernel.at(5, 0, 2);
    kernel.at(10, 0, 3);
    expect(kernel.run({ horizonMs: Infinity, maxEvents: 100 })).toBe('idle');
    expect(seen).toEqual(['5:2', '10:1', '10:3']);
    expect(kernel.events).toBe(3);
  });

  it('stops at the horizon, at the event limit, at a budget, and when asked', () => {
    const kernel = new Kernel();
    let count = 0;
    kernel.on(0, () => {
      count++;
      kernel.after(1, 0);
      if (count === 50) kernel.stop();
    });
    kernel.at(0, 0);
    expect(kernel.run({ horizonMs: 10, maxEvents: 100 })).toBe('horizon');
    expect(count).toBe(10);
    expect(kernel.now).toBe(10);
    expect(kernel.run({ horizonMs: 1000, maxEvents: 15 })).toBe('maxEvents');
    expect(kernel.events).toBe(15);
    expect(kernel.run({ horizonMs: 1000, maxEvents: 1000, budget: 5 })).toBe('budget');
    expect(kernel.events).toBe(20);
    expect(kernel.run({ horizonMs: 1000, maxEvents: 1000 })).toBe('stopped');
    expect(count).toBe(50);
  });

  it('stops when the queue holds maxPending events, before running another', () => {
    const kernel = new Kernel();
    // Every event leaves two behind: the queue grows by one per event.
    kernel.on(0, () => {
      kernel.after(1, 0);
      kernel.after(1e9, 0);
    });
    kernel.at(0, 0);
    expect(kernel.run({ horizonMs: Infinity, maxEvents: 1e6, maxPending: 100 })).toBe('maxPending');
    expect(kernel.pending).toBe(100);
    expect(kernel.events).toBe(99);
  });

  it('rejects a second handler for one event kind', () => {
    const kernel = new Kernel();
    kernel.on(3, () => undefined);
    expect(() => kernel.on(3, () => undefined)).toThrow(/twice/);
  });
});
