// How `--runs` cuts its runs into tasks for worker threads (guided scheduling, src/run/execute.ts).
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { taskSize } from '../../../src/run/execute.js';

/** The sizes of the tasks groups of runs are cut into, as run-batch.ts cuts them, group by group. */
function cutGroups(groups: readonly number[], workers: number): number[][] {
  let left = groups.reduce((a, b) => a + b, 0);
  return groups.map((group) => {
    const sizes: number[] = [];
    for (let i = 0; i < group; i += sizes.at(-1)!) {
      sizes.push(Math.min(taskSize(left, group, workers), group - i));
      left -= sizes.at(-1)!;
    }
    return sizes;
  });
}
const cut = (total: number, workers: number) => cutGroups([total], workers)[0]!;

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
        // One expect for all (one per task cost 2 s of CPU in expect's own code).
        expect(sizes.filter((size, i) => i > 0 && size > sizes[i - 1]!)).toEqual([]);
        expect(sizes.at(-1)).toBe(1);
        // No task larger than a quarter of a worker's share: progress moves and Ctrl-C stops soon.
        expect(Math.max(...sizes)).toBeLessThanOrEqual(Math.ceil(total / (workers * 4)));
        // Not one task per run: the count grows with the log of the runs (a share of what is left each time),
        // so the messaging stays a small part of the work.
        expect(sizes.length).toBeLessThanOrEqual(Math.ceil(4 * workers * (1 + Math.log(total))));
      }),
    );
  });

  it("many groups: each cut into tasks no larger than a quarter of a worker's share of it, the last ones smallest", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 2, max: 8 }),
        (groups, workers) => {
          const cuts = cutGroups(groups, workers);
          cuts.forEach((sizes, g) => {
            expect(sizes.reduce((a, b) => a + b, 0)).toBe(groups[g]);
            expect(Math.max(...sizes)).toBeLessThanOrEqual(Math.ceil(groups[g]! / (workers * 4)));
          });
          expect(cuts.at(-1)!.at(-1)).toBe(1);
        },
      ),
    );
  });
});
