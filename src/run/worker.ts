// The worker-thread entry point: runs one task (a batch of seeds of one configuration).
import { runTask, type RunRecord, type RunTask } from './runs.js';

/** Runs a task in a worker thread. */
export default function work(task: RunTask): Promise<RunRecord[]> {
  return runTask(task);
}
