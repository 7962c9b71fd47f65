// A live run's clock: real ms against the scenario's virtual ms, a wait accurate to a fraction of a
// millisecond, and the event log, each event stamped with the run's virtual time.

/**
 * Waits `ms` real milliseconds (none when negative), to a fraction of a millisecond. A timer alone
 * waits at least a millisecond and often one more, which at time scale 0.01 is 100 to 200 ms of the
 * scenario: it would cap a producer at 10 messages a second and stretch every short processing time.
 * So the timer takes all but the last 2 ms, and the rest is spent yielding to the event loop, one
 * turn at a time, shared by every wait in its last 2 ms (`finishing`): each turn wakes the waits whose
 * time has come, then, while some are left, blocks the thread for PAUSE_MS (or less, up to the next
 * wait's time) before the next turn, which handles whatever I/O came meanwhile. A turn that yielded at
 * once instead spun through hundreds of turns a millisecond: a quarter of a live run's CPU.
 */
export async function sleep(ms: number): Promise<void> {
  const until = performance.now() + ms;
  if (ms > 2) await new Promise<void>((done) => setTimeout(done, ms - 2));
  // Even a wait that is already over ends in a later turn of the event loop, never in this one: a producer behind
  // its schedule must not starve the rest. (That turn may be one another wait queued earlier, so it can come
  // before a setImmediate of the caller's; I/O still runs between the two turns.)
  await new Promise<void>((done) => {
    finishing.push({ until, done });
    if (finishing.length === 1) setImmediate(wakeFinished);
  });
}

/**
 * How long a turn of the last 2 ms blocks, at most (a wait due sooner ends the block at its time, so this bounds how
 * long I/O waits, not how late a wait ends); Linux adds its timer slack (up to 50 µs). 20 waits at once, each of 0.1
 * to 5 ms, 200 each, three runs at a load of 2 (2026-12-02, 2 cores): blocking at most 0.1 ms, they ended 90 µs late
 * at the median and 0.5 to 1.1 ms at the 90th percentile, in 0.20 s of CPU; at most 10 µs, 66 to 84 µs and 0.6 to
 * 0.9 ms, in 0.24 s; yielding at once, 3 µs and under 0.1 ms, in 0.57 s. The live clients' CPU is what counts: a
 * Redis case (visibility-timeout-too-short, 600 messages, 2 modes at 0.05) took 4.7 s at 10 µs, 3.9 s at 0.1 ms.
 */
const PAUSE_MS = 0.1;

/** The waits in their last 2 ms, in the order they got there. */
const finishing: { until: number; done: () => void }[] = [];
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * One turn of the waits in their last 2 ms: blocks until the first one's time or for PAUSE_MS, whichever
 * comes first, then wakes, in order, those whose time has come (they go on right after this turn).
 */
function wakeFinished(): void {
  const first = finishing.reduce((soonest, wait) => Math.min(soonest, wait.until), Infinity);
  const left = first - performance.now();
  if (left > 0) Atomics.wait(pause, 0, 0, Math.min(PAUSE_MS, left));
  const now = performance.now();
  let kept = 0;
  for (const wait of finishing) {
    // Not `until <= now`: a wait of NaN ms ends here, as one already over, rather than never.
    if (!(wait.until > now)) wait.done();
    else finishing[kept++] = wait;
  }
  finishing.length = kept;
  if (kept > 0) setImmediate(wakeFinished);
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
