// The live clock's wait: never early, ends in the order of its deadlines however many wait at once, and always
// lets the event loop run first. These assert order and lower bounds only: how late a wait ends on a busy
// machine is acksim live's own measure (time-keeping), never a test's.
import '../../setup.js';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { sleep } from '../../../src/live/clock.js';

describe('sleep (the live clock)', () => {
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

  // Waits not yet over all go to the timer thread, which ends them in the order of their deadlines. (One already
  // over ends at the event loop's next turn, which can come before the thread's wake-up for one due a µs later.)
  it('ends the waits in the order of their deadlines, however many there are', async () => {
    await fc.assert(
      fc.asyncProperty(waits(0.001), async (times) => {
        // The test reads the clock a few µs before sleep does: deadlines closer than that may swap.
        const deadlines = (await waitAll(times)).map((e) => e.deadline);
        const swapped = deadlines.filter((d, i) => i > 0 && d < deadlines[i - 1]! - 0.05);
        expect(swapped).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it('keeps the process alive while a wait is pending, unless told not to', () => {
    // A process whose only work is the wait: a kept one ends it after its time, a wait that does not keep it
    // (a timeout left over from a closed channel) lets it end at once, and so does one after both.
    const clock = new URL('../../../src/live/clock.js', import.meta.url).href;
    const run = (code: string) => {
      const started = performance.now();
      const r = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', `import { sleep } from '${clock}';\n${code}`],
        {
          encoding: 'utf8',
        },
      );
      return { ...r, ms: performance.now() - started };
    };
    const kept = run("await sleep(300); console.log('woke');");
    expect(kept.stdout).toBe('woke\n');
    const dropped = run("void sleep(60_000, false).then(() => console.log('woke'));");
    expect(dropped.stdout).toBe('');
    // Far under the minute it would wait: the process did not stay for it (a busy machine may start slowly).
    expect(dropped.ms).toBeLessThan(30_000);
    const both = run("void sleep(60_000, false); await sleep(50); console.log('woke');");
    expect(both.stdout).toBe('woke\n');
    expect(both.ms).toBeLessThan(30_000);
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
