// A live run's clock: real ms against the scenario's virtual ms, a wait accurate to a fraction of a
// millisecond, and the event log, each event stamped with the run's virtual time.

/**
 * Waits `ms` real milliseconds (none when negative), to a fraction of a millisecond. A timer alone
 * waits at least a millisecond and often one more, which at time scale 0.01 is 100 to 200 ms of the
 * scenario: it would cap a producer at 10 messages a second and stretch every short processing time.
 * So the timer takes all but the last 2 ms, and the rest is spent yielding to the event loop.
 */
export async function sleep(ms: number): Promise<void> {
  const until = performance.now() + ms;
  const yieldOnce = () => new Promise<void>((done) => setImmediate(done));
  if (ms > 2) await new Promise<void>((done) => setTimeout(done, ms - 2));
  // Even a wait that is already over yields once: a producer behind its schedule must not starve the rest.
  else await yieldOnce();
  while (performance.now() < until) await yieldOnce();
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
