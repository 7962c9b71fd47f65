// The live clock's wait: never early, however many wait at once, and never over within the turn it began in.
// These assert lower bounds only: how late a wait ends on a busy machine is acksim live's own measure
// (time-keeping), never a test's.
import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { sleep } from '../../../src/live/clock.js';

// A wait that never ends fails here after 10 s instead of holding the suite.
describe('sleep (the live clock)', { timeout: 10_000 }, () => {
  /** Up to 40 waits of `min` to 8 ms, in steps of a µs. */
  const waits = (min: number) =>
    fc.array(
      fc.integer({ min: min * 1000, max: 8000 }).map((us) => us / 1000),
      { minLength: 1, maxLength: 40 },
    );
  /** Runs the waits at once; returns when each was due and when it ended, in the order they ended. */
  async function waitAll(times: number[]): Promise<Array<{ deadline: number; at: number }>> {
    const ended: Array<{ deadline: number; at: number }> = [];
    await Promise.all(
      times.map(async (ms) => {
        const deadline = performance.now() + ms;
        await sleep(ms);
        ended.push({ deadline, at: performance.now() });
      }),
    );
    return ended;
  }

  it('ends no wait before its time', async () => {
    await fc.assert(
      fc.asyncProperty(waits(-1), async (times) => {
        for (const { deadline, at } of await waitAll(times)) expect(at).toBeGreaterThanOrEqual(deadline);
      }),
      { numRuns: 25 },
    );
  });

  it('ends a wait of NaN ms, as one already over, after letting the event loop run', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('event loop'));
    await sleep(Number.NaN);
    order.push('wait over');
    expect(order).toEqual(['event loop', 'wait over']);
  });

  it('lets the event loop run before a wait that is already over ends', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('event loop'));
    await sleep(-5);
    order.push('wait over');
    await sleep(0);
    expect(order).toEqual(['event loop', 'wait over']);
  });
});
