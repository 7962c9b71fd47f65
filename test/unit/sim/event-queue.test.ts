import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { EventQueue } from '../../../src/sim/event-queue.js';
import { Kernel } from '../../../src/sim/kernel.js';

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
