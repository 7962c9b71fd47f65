// How many worker threads a command line gets: the cores by default, none for a small job, never more than the
// cores or the runs, and a lowered --workers said on stderr.
import '../../setup.js';
import fc from 'fast-check';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { SMALL_JOB_MESSAGES, workerCount, type Io } from '../../../src/cli/common.js';

/** An Io that keeps what is written to stderr. */
function memoryIo(): Io & { errors: string[] } {
  const errors: string[] = [];
  return { cwd: '.', stdout: () => undefined, stderr: (text) => void errors.push(text), errors };
}

describe('workerCount', () => {
  const cores = availableParallelism();
  const runs = fc.integer({ min: 1, max: 10_000 });
  const messages = fc.integer({ min: 0, max: 10 * SMALL_JOB_MESSAGES });

  it('by default: this thread alone for a job under SMALL_JOB_MESSAGES, else one thread per core or per run', () => {
    fc.assert(
      fc.property(runs, messages, (n, m) => {
        const io = memoryIo();
        const expected = m < SMALL_JOB_MESSAGES ? 1 : Math.min(cores, n);
        expect(workerCount(undefined, n, m, io)).toBe(expected);
        expect(io.errors).toEqual([]);
      }),
    );
  });

  it('--workers is kept whatever the size of the job, lowered to the cores or the runs with one line', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 256 }), runs, messages, (asked, n, m) => {
        const io = memoryIo();
        const workers = workerCount(asked, n, m, io);
        expect(workers).toBe(Math.min(asked, cores, n));
        expect(io.errors).toHaveLength(workers < asked ? 1 : 0);
      }),
    );
  });
});
