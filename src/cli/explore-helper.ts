// A helper thread of `acksim explore` (explore-threads.ts): explores, from the end of the list, the modes no other
// thread has claimed, posting each one's exploration, then `done` once none is left.
import { parentPort, workerData } from 'node:worker_threads';
import { InvariantError } from '../errors.js';
import { exploreClaimed } from '../run/explore.js';
import {
  claim,
  failed,
  HELPER,
  markFailed,
  secondsLimit,
  type HelperData,
  type HelperMessage,
} from './explore-threads.js';

const { scenario, options, maxSeconds, claims } = workerData as HelperData;
const post = (message: HelperMessage) => parentPort!.postMessage(message);
// Each mode within its seconds, and every mode stopped at once when another thread has failed.
const limit = secondsLimit(maxSeconds);
const timeLimit = () => {
  const up = limit();
  return () => up() || failed(claims);
};
try {
  await exploreClaimed(scenario, { ...options, timeLimit }, (i) => !failed(claims) && claim(claims, i, HELPER), {
    fromEnd: true,
    onExplored: (index, exploration) => post({ index, exploration }),
  });
  post({ done: true });
} catch (error) {
  markFailed(claims);
  post({
    error: error instanceof Error ? error.message : String(error),
    invariant: error instanceof InvariantError,
    ...(error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}),
  });
}
