// `acksim explore` on more than one core. The modes of an exploration are independent searches: once it has run
// HELPER_AFTER_MS, helper threads (explore-helper.ts) start and take modes from the end of the list while this
// thread takes them from the start. A mode is claimed once (an atomic flag each) and its result is the same
// whoever explores it, so the report is byte-identical to one thread's. An exploration that ends sooner never
// starts a helper, and pays nothing for them.
import { Worker } from 'node:worker_threads';
import {
  exploreClaimed,
  explorationModes,
  explorationOf,
  type Exploration,
  type ExploreOptions,
  type ModeExploration,
} from '../run/explore.js';
import type { Scenario } from '../scenario/types.js';
import { InvariantError } from '../errors.js';

/** How long this thread explores alone before helpers start (real ms): a helper's start costs some 80 ms of CPU. */
export const HELPER_AFTER_MS = 200;

/** Who holds a mode (`claims`): nobody yet, this thread, a helper. */
const FREE = 0;
const MAIN = 1;
export const HELPER = 2;

/** What a helper thread is given. */
export interface HelperData {
  scenario: Scenario;
  options: Omit<ExploreOptions, 'timeLimit' | 'handler'>;
  maxSeconds: number;
  /** Per mode, who explores it (FREE, MAIN, HELPER), then whether a thread failed: shared by every thread. */
  claims: Int32Array;
}

/** What a helper posts: a mode's exploration, then `done` (or the error that stopped it). */
export type HelperMessage =
  | { index: number; exploration: ModeExploration }
  | { done: true }
  | { error: string; invariant: boolean; stack?: string };

/** A time limit of `maxSeconds` per mode: the wall clock bounds the work, and never enters its result. */
export function secondsLimit(maxSeconds: number): () => () => boolean {
  return () => {
    const deadline = performance.now() + maxSeconds * 1000;
    return () => performance.now() > deadline;
  };
}

/** A helper thread, and what it has explored; `finished` settles when it has nothing left to claim. */
function startHelper(
  data: HelperData,
  explored: Array<ModeExploration | undefined>,
  onHelped: ((index: number) => void) | undefined,
): { worker: Worker; finished: Promise<void> } {
  const worker = new Worker(new URL('./explore-helper.js', import.meta.url), { workerData: data });
  const finished = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: HelperMessage) => {
      if ('index' in message) {
        explored[message.index] = message.exploration;
        onHelped?.(message.index);
      } else if ('done' in message) resolve();
      else reject(helperError(message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`an exploring thread stopped (exit ${code})`)));
  });
  return { worker, finished };
}

/**
 * Explores every mode of `scenario` within the bounds on up to `threads` threads (one: this one only; a handler's
 * exploration always runs here, where its module is loaded), each mode within `maxSeconds`.
 */
export async function exploreOnThreads(
  scenario: Scenario,
  options: Omit<ExploreOptions, 'timeLimit'>,
  {
    maxSeconds,
    threads,
    helperAfterMs = HELPER_AFTER_MS,
    mainModes = Infinity,
    onHelped,
  }: {
    maxSeconds: number;
    threads: number;
    helperAfterMs?: number;
    /** The most modes this thread explores when there are helpers (tests: the rest go to them, whatever the timing). */
    mainModes?: number;
    /** Called as a helper's exploration of mode `index` arrives. */
    onHelped?: (index: number) => void;
  },
): Promise<Exploration> {
  const count = explorationModes(scenario, options).length;
  const helpers = options.handler === undefined ? Math.max(0, Math.min(threads, count) - 1) : 0;
  const claims = new Int32Array(new SharedArrayBuffer(4 * (count + 1)));
  const explored: Array<ModeExploration | undefined> = [];
  const started = performance.now();
  const running: Array<{ worker: Worker; finished: Promise<void> }> = [];
  const { handler: _handler, ...shared } = options;
  const helpIfLong = (now = false) => {
    if (running.length >= helpers || (!now && performance.now() - started < helperAfterMs)) return;
    while (running.length < helpers)
      running.push(startHelper({ scenario, options: shared, maxSeconds, claims }, explored, onHelped));
  };
  const limit = secondsLimit(maxSeconds);
  const timeLimit = () => {
    helpIfLong();
    const up = limit();
    return () => {
      helpIfLong();
      return up() || failed(claims);
    };
  };
  try {
    let taken = 0;
    const mine = await exploreClaimed(scenario, { ...options, timeLimit }, (i) => {
      if (helpers > 0 && taken >= mainModes) {
        helpIfLong(true);
        return false;
      }
      return !failed(claims) && claim(claims, i, MAIN) && ++taken > 0;
    });
    mine.forEach((m, i) => {
      if (m !== undefined) explored[i] = m;
    });
    // Helpers are waited for only if some mode is not this thread's (one that claimed nothing may still be loading).
    if (claims.some((holder, i) => i < count && holder !== MAIN)) await Promise.all(running.map((h) => h.finished));
  } finally {
    for (const { worker, finished } of running) {
      finished.catch(() => undefined);
      void worker.terminate();
    }
  }
  return explorationOf(scenario, options, explored as ModeExploration[]);
}

/** Claims mode `index` for `holder` unless some thread has: true when it is `holder`'s to explore. */
export function claim(claims: Int32Array, index: number, holder: number): boolean {
  return Atomics.compareExchange(claims, index, FREE, holder) === FREE;
}

/**
 * Says that a thread failed: every other stops at its next look at the clock and claims nothing more, so the error
 * is told at once rather than after this thread's own modes (whose results are dropped with it).
 */
export function markFailed(claims: Int32Array): void {
  Atomics.store(claims, claims.length - 1, 1);
}

/** Whether some thread has failed (markFailed). */
export function failed(claims: Int32Array): boolean {
  return Atomics.load(claims, claims.length - 1) === 1;
}

/** A helper's error as this thread throws it: a broken invariant stays one (its message and its stack travel). */
function helperError(message: { error: string; invariant: boolean; stack?: string }): Error {
  const error = message.invariant ? new InvariantError(message.error) : new Error(message.error);
  if (message.stack !== undefined) error.stack = message.stack;
  return error;
}
