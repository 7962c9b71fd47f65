// The watch on the global sources of chance and time (Math.random, Date.now) while a user's handler runs: a use
// makes the run impossible to replay, so the first is kept, as a UsageError naming the message. The synchronous
// part of a call is watched directly; an asynchronous handler's code after an await is told apart from other code
// of the process (a test runner's) by an async context (AsyncLocalStorage), which follows its awaits. One patch of
// the globals serves every simulation of the process (a count of the calls in progress), so concurrent runs never
// put back each other's watchers.
import { AsyncLocalStorage } from 'node:async_hooks';
import { UsageError } from '../errors.js';

/** One call of a handler, as the async context carries it. */
interface Watched {
  readonly owner: Unsteady;
  readonly m: number;
}

const scope = new AsyncLocalStorage<Watched>();
/* eslint-disable no-restricted-properties, no-restricted-globals -- the one place that takes them: to watch */
let realRandom = Math.random;
let realNow = Date.now;
/** Calls in progress, over every simulation; the globals are patched while there is one. */
let calls = 0;
/** The call whose synchronous part runs now. */
let running: Watched | undefined;

/** The call the code running now belongs to, if it is a handler's that is still in progress. */
function current(): Watched | undefined {
  if (running !== undefined) return running;
  const awaited = scope.getStore();
  return awaited !== undefined && awaited.owner.inProgress === awaited ? awaited : undefined;
}

function watchedRandom(): number {
  const call = current();
  call?.owner.used(call.m, 'Math.random()', 'ctx.random()');
  return realRandom();
}

function watchedNow(): number {
  const call = current();
  call?.owner.used(call.m, 'Date.now()', 'ctx.now()');
  return realNow();
}

/** The first use of a ctx after its run had ended (a timer the handler left behind), over every simulation. */
let late: UsageError | undefined;

/** Keeps `misuse` as one that came after its run ended, unless one came before it. */
export function noteLate(misuse: UsageError): void {
  late ??= misuse;
}

/** The use of a ctx after its run had ended, if one came since the last call; forgets it. */
export function takeLate(): UsageError | undefined {
  const taken = late;
  late = undefined;
  return taken;
}

/** One simulation's watch. */
export class Unsteady {
  misuse: UsageError | undefined;
  /** This simulation's call in progress (until `end`), or undefined. */
  inProgress: Watched | undefined;

  /**
   * Runs the synchronous part of a call for message `m`, watched; `scoped`: in an async context too, so that its
   * code after an await is watched until `end` (an async handler). Every `begin` is followed by one `end`.
   */
  begin<T>(m: number, scoped: boolean, call: () => T): T {
    if (calls++ === 0) {
      realRandom = Math.random;
      realNow = Date.now;
      Math.random = watchedRandom;
      Date.now = watchedNow;
    }
    const watched: Watched = { owner: this, m };
    this.inProgress = watched;
    const outer = running;
    running = watched;
    try {
      return scoped ? scope.run(watched, call) : call();
    } finally {
      running = outer;
    }
  }

  /** The call has ended (returned, settled, or given up): no more watching it. */
  end(): void {
    if (this.inProgress === undefined) return;
    this.inProgress = undefined;
    if (--calls === 0) {
      Math.random = realRandom;
      Date.now = realNow;
    }
  }
  /* eslint-enable no-restricted-properties, no-restricted-globals */

  used(m: number, what: string, instead: string): void {
    this.misuse ??= new UsageError(
      `handler: it called ${what} for message ${m}: the run would not replay the same (allowed: ${instead})`,
    );
  }
}
