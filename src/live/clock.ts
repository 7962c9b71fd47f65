// A live run's clock: real ms against the scenario's virtual ms, a wait accurate to a fraction of a
// millisecond, and the event log, each event stamped with the run's virtual time.

import { Worker } from 'node:worker_threads';

/** A wait: when it ends (ms since the epoch), what to call then, and whether it keeps the process alive. */
interface Waiter {
  until: number;
  done: () => void;
  keepAlive: boolean;
}

/** The waits, a binary heap on when they end. */
const waiters: Waiter[] = [];
/** How many of them keep the process alive. */
let keepingAlive = 0;

/** Adds a wait to the heap. */
function pushWaiter(waiter: Waiter): void {
  let i = waiters.push(waiter) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!(waiter.until < waiters[parent]!.until)) break;
    waiters[i] = waiters[parent]!;
    i = parent;
  }
  waiters[i] = waiter;
}

/** Removes the wait that ends first. */
function popWaiter(): Waiter {
  const top = waiters[0]!;
  const last = waiters.pop()!;
  if (waiters.length > 0) {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= waiters.length) break;
      const right = left + 1;
      const child = right < waiters.length && waiters[right]!.until < waiters[left]!.until ? right : left;
      if (!(waiters[child]!.until < last.until)) break;
      waiters[i] = waiters[child]!;
      i = child;
    }
    waiters[i] = last;
  }
  return top;
}

/** The timer thread (timer-thread.ts) and the memory it reads the earliest deadline from; started on first use. */
let timer: { thread: Worker; generation: Int32Array; deadline: Float64Array } | undefined;

const epochNow = () => performance.timeOrigin + performance.now();

/** Tells the timer thread the earliest deadline; it keeps the process alive only while a wait is pending. */
function publish(): void {
  const t = (timer ??= startTimer());
  t.deadline[0] = waiters.length > 0 ? waiters[0]!.until : Infinity;
  Atomics.add(t.generation, 0, 1);
  Atomics.notify(t.generation, 0);
  if (keepingAlive > 0) t.thread.ref();
  else t.thread.unref();
}

function startTimer(): { thread: Worker; generation: Int32Array; deadline: Float64Array } {
  const shared = new SharedArrayBuffer(16);
  const deadline = new Float64Array(shared, 8, 1);
  deadline[0] = Infinity;
  // No flags of this process's (--input-type, say, would stop the thread from loading); it needs none.
  const thread = new Worker(new URL('./timer-thread.js', import.meta.url), { workerData: shared, execArgv: [] });
  // A wait that is due: end every wait that is, then publish the next deadline (the thread waits for it).
  thread.on('message', () => {
    const now = epochNow();
    while (waiters.length > 0 && waiters[0]!.until <= now) {
      const due = popWaiter();
      if (due.keepAlive) keepingAlive--;
      due.done();
    }
    publish();
  });
  return { thread, generation: new Int32Array(shared, 0, 1), deadline };
}

/**
 * Waits `ms` real milliseconds (none when negative), to a fraction of a millisecond. A timer alone
 * waits at least a millisecond and often one more, which at time scale 0.01 is 100 to 200 ms of the
 * scenario: it would cap a producer at 10 messages a second and stretch every short processing time.
 * So a thread of its own sleeps until the earliest wait is due, to a fraction of a millisecond, and wakes
 * this one (spinning the event loop through the last 2 ms of every wait did as well, for up to half of a
 * live run's CPU). A wait that is already over yields to the event loop once: a producer behind its
 * schedule must not starve the rest. With `keepAlive` false, the wait does not keep the process alive (as
 * an unref'd timer: one left over from a closed channel).
 */
export async function sleep(ms: number, keepAlive = true): Promise<void> {
  if (!(ms > 0)) return new Promise<void>((done) => setImmediate(done));
  return new Promise<void>((done) => {
    const waiter = { until: epochNow() + ms, done, keepAlive };
    pushWaiter(waiter);
    if (keepAlive) keepingAlive++;
    // A new earliest deadline, or the first wait that keeps the process alive: the thread must know.
    if (waiters[0] === waiter || (keepAlive && keepingAlive === 1)) publish();
  });
}

/** Real time in a live run, scaled to the scenario's, and the run's event log. */
export class LiveClock {
  /** The scenario's time 0: when the producer starts (the consumers are connected by then). */
  private started = performance.now();

  constructor(
    /** Real ms per virtual ms, and where each event of the log goes (a JSON line without newline). */
    private readonly options: { readonly timeScale: number; readonly write: (line: string) => void },
  ) {}

  /** Starts the scenario's time now. */
  start(): void {
    this.started = performance.now();
  }

  /** Real ms for `virtualMs` of the scenario. */
  real(virtualMs: number): number {
    return virtualMs * this.options.timeScale;
  }

  /** Real ms since the run started. */
  elapsed(): number {
    return performance.now() - this.started;
  }

  /** The scenario's ms since the run started. */
  virtualNow(): number {
    return this.elapsed() / this.options.timeScale;
  }

  /** Writes one event of the log, stamped with the run's virtual time. */
  log(type: string, m: number, extra = ''): void {
    const ts = Math.round((this.elapsed() / this.options.timeScale) * 1000) / 1000;
    this.options.write(`{"type":"${type}","id":${m},"ts":${ts}${extra}}`);
  }
}
