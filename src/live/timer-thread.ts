// The live clock's timer thread: it sleeps in the kernel until the earliest wait of the live run is due, to a
// fraction of a millisecond (Atomics.wait takes fractional ms), then wakes the run's thread with a message.
// The run's thread publishes that deadline in shared memory (clock.ts); this thread never touches the run.
import { parentPort, workerData } from 'node:worker_threads';

/** [0]: bumped by the run's thread whenever it publishes a deadline. */
const generation = new Int32Array(workerData as SharedArrayBuffer, 0, 1);
/** [1]: the earliest deadline, ms since the epoch (performance.timeOrigin + now()), Infinity for none. */
const deadline = new Float64Array(workerData as SharedArrayBuffer, 8, 1);

for (;;) {
  const seen = Atomics.load(generation, 0);
  const wait = deadline[0]! - (performance.timeOrigin + performance.now());
  if (wait > 0) {
    Atomics.wait(generation, 0, seen, wait === Infinity ? undefined : wait);
    continue;
  }
  parentPort!.postMessage(0);
  // Due: the run's thread answers with its next deadline (a new generation); until then, nothing to time.
  Atomics.wait(generation, 0, seen);
}
