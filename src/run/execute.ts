// Runs tasks (batches of seeds) in this thread or on a pool of worker threads (tinypool), and returns
// the records in task order: the same results, byte for byte, whatever the number of workers.
import { availableParallelism } from 'node:os';
import { runTask, type RunRecord, type RunTask } from './runs.js';

/** How to execute, and what to call as work completes. */
export interface ExecuteOptions {
  workers: number;
  /** Called after each task with the number of runs finished so far. */
  onProgress?: (runsDone: number) => void | Promise<void>;
  /** Aborting stops the work; tasks not finished come back as undefined. */
  signal?: AbortSignal;
  /** Lets the caller's event loop run between tasks run in this thread. */
  pause?: () => Promise<void>;
}

/** The default number of workers: the machine's cores. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * How many runs the next task of a group of `group` runs (one configuration's seeds) takes, with `left` runs still
 * to cut into tasks over all groups. In this thread, one: Ctrl-C stops between runs. On workers, a quarter of a
 * worker's share of the group (several tasks per worker keep progress moving and Ctrl-C quick), and near the end
 * a share of what is left (guided scheduling): smaller and smaller tasks, so the threads run out of work together
 * instead of one waiting on another's last large task.
 */
export function taskSize(left: number, group: number, workers: number): number {
  if (workers <= 1) return 1;
  return Math.max(1, Math.min(Math.ceil(group / (workers * 4)), Math.ceil(left / (workers * 4))));
}

/** Runs the tasks; entry i of the result holds task i's records, or undefined if it was aborted. */
export async function execute(
  tasks: readonly RunTask[],
  options: ExecuteOptions,
): Promise<Array<RunRecord[] | undefined>> {
  const results: Array<RunRecord[] | undefined> = new Array<RunRecord[] | undefined>(tasks.length).fill(undefined);
  let runsDone = 0;
  if (options.workers <= 1 || tasks.length <= 1) {
    for (let i = 0; i < tasks.length; i++) {
      if (options.signal?.aborted === true) break;
      results[i] = await runTask(tasks[i]!);
      runsDone += tasks[i]!.seeds.length;
      await options.onProgress?.(runsDone);
      await options.pause?.();
    }
    return results;
  }
  // A thread per task at most: an idle thread still costs its own copy of the simulator.
  const threads = Math.min(options.workers, tasks.length);
  // Loaded only here: a run on this thread (the common small one) does not pay for the pool's modules.
  const { default: Tinypool } = await import('tinypool');
  const pool = new Tinypool({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
  });
  try {
    await Promise.all(
      tasks.map(async (task, i) => {
        try {
          results[i] = (await pool.run(
            task,
            options.signal === undefined ? {} : { signal: options.signal },
          )) as RunRecord[];
        } catch (error) {
          if (options.signal?.aborted === true) return;
          throw error;
        }
        runsDone += task.seeds.length;
        await options.onProgress?.(runsDone);
      }),
    );
  } finally {
    await pool.destroy();
  }
  return results;
}
