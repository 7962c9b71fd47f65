// How `--runs` cuts its runs into tasks for worker threads (guided scheduling, src/run/execute.ts).
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { taskSize } from '../../../src/run/execute.js';

/** The sizes of the tasks `total` runs are cut into, as run-batch.ts cuts them (one group of seeds). */
function cut(total: number, workers: number): number[] {
  const sizes: number[] = [];
  for (let left = total; left > 0; left -= sizes.at(-1)!) sizes.push(Math.min(taskSize(left, workers), left));
  return sizes;
}

describe('task sizes for --runs', () => {
  it('in this thread, one run per task (Ctrl-C stops between runs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), (total) => expect(new Set(cut(total, 1))).toEqual(new Set([1]))),
    );
  });

  it('on workers, every run in one task, sizes never growing, the last ones of a single run', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 2, max: 64 }), (total, workers) => {
        const sizes = cut(total, workers);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
        for (let i = 1; i < sizes.length; i++) expect(sizes[i]!).toBeLessThanOrEqual(sizes[i - 1]!);
        expect(sizes.at(-1)).toBe(1);
        // Each task a share of what is left: no thread is handed more than its part of the rest.
        expect(sizes[0]!).toBeLessThanOrEqual(Math.ceil(total / workers));
        // Not one task per run: the count grows with the log of the runs (a share of what is left each time),
        // so the messaging stays a small part of the work.
        expect(sizes.length).toBeLessThanOrEqual(Math.ceil(4 * workers * (1 + Math.log(total))));
      }),
    );
  });
});
