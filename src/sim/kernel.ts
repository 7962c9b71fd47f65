// The discrete-event kernel: a virtual clock in milliseconds and handlers keyed by event kind.
// No wall clock here: time moves only when the next event is popped.
import { EventQueue, PAYLOAD_FIELDS } from './event-queue.js';
import type { StateHasher } from './state-hash.js';

/** Handles one event; the payload is six integers whose meaning the event kind defines. */
export type Handler = (a: number, b: number, c: number, d: number, e: number, f: number) => void;

const STOP = 1;
const PAUSE = 2;

/** Why a call to `run` returned. */
export type StopReason = 'stopped' | 'paused' | 'idle' | 'horizon' | 'maxEvents' | 'maxPending' | 'budget';

/** Limits of one call to `run`. */
export interface RunLimits {
  /** Events at or after this virtual time are not run. */
  horizonMs: number;
  /** Total events the run may process, over all calls. */
  maxEvents: number;
  /** Most events that may wait in the queue: the run stops when this many do (a bound on memory). */
  maxPending?: number;
  /** Events this call may process before returning 'budget' (for progress reporting). */
  budget?: number;
}

/** A deterministic discrete-event loop on virtual time. */
export class Kernel {
  /** Current virtual time in milliseconds. */
  now = 0;
  /** Events processed so far. */
  events = 0;
  private readonly queue: EventQueue;
  private readonly handlers: Handler[] = [];
  /** 0: run on; STOP: return 'stopped' (for good); PAUSE: return 'paused' once (run may be called again). */
  private halt = 0;

  /**
   * `timerKinds`: the kinds scheduled with a fixed delay, which arrive in time order (see EventQueue);
   * `initialCapacity`: events room is made for at first (the queue grows as needed; order never depends on it).
   */
  constructor(timerKinds: readonly number[] = [], initialCapacity = 1024) {
    this.queue = new EventQueue(initialCapacity, timerKinds);
  }

  /** Registers the handler of an event kind (a small integer). */
  on(kind: number, handler: Handler): void {
    if (this.handlers[kind] !== undefined) throw new Error(`event kind ${kind} registered twice`);
    this.handlers[kind] = handler;
  }

  /** Says when an event of `kind` will do nothing, so that states are compared without it (EventQueue.staleWhen). */
  staleWhen(kind: number, stale: (a: number, b: number, c: number) => boolean): void {
    this.queue.staleWhen(kind, stale);
  }

  /** Schedules an event `delayMs` from now (delay >= 0). */
  after(delayMs: number, kind: number, a = 0, b = 0, c = 0, d = 0, e = 0, f = 0): void {
    this.queue.push(this.now + delayMs, kind, a, b, c, d, e, f);
  }

  /** Schedules an event at an absolute virtual time, never earlier than now. */
  at(timeMs: number, kind: number, a = 0, b = 0, c = 0, d = 0, e = 0, f = 0): void {
    this.queue.push(Math.max(timeMs, this.now), kind, a, b, c, d, e, f);
  }

  /** Asks the loop to return after the current event, for good. */
  stop(): void {
    this.halt = STOP;
  }

  /** Asks the loop to return 'paused' after the current event (an asynchronous handler to wait for). */
  pause(): void {
    if (this.halt === 0) this.halt = PAUSE;
  }

  /** Gives the queue's memory to the next kernel (EventQueue.release): call it last. */
  release(): void {
    this.queue.release();
  }

  /** Number of events waiting. */
  get pending(): number {
    return this.queue.size;
  }

  /** Folds the clock and the queued events (not the count of events run: that is history). */
  hashState(h: StateHasher): void {
    h.num(this.now);
    this.queue.hashState(h);
  }

  /** Runs events in (time, sequence) order until stopped, idle, or a limit is reached. */
  run(limits: RunLimits): StopReason {
    const queue = this.queue;
    const handlers = this.handlers;
    const horizonMs = limits.horizonMs;
    const maxPending = limits.maxPending ?? Infinity;
    // One comparison per event for both counts; which one was reached is sorted out once, on the way out.
    const budgetEnd = limits.budget === undefined ? Infinity : this.events + limits.budget;
    const eventsEnd = Math.min(limits.maxEvents, budgetEnd);
    while (true) {
      if (this.halt !== 0) {
        if (this.halt === STOP) return 'stopped';
        this.halt = 0;
        return 'paused';
      }
      if (queue.size === 0) return 'idle';
      if (queue.peekTime() >= horizonMs) {
        this.now = horizonMs;
        return 'horizon';
      }
      if (this.events >= eventsEnd) {
        if (this.events >= limits.maxEvents) return 'maxEvents';
        return queue.size >= maxPending ? 'maxPending' : 'budget';
      }
      if (queue.size >= maxPending) return 'maxPending';
      const slot = queue.take();
      this.now = queue.times[slot]!;
      this.events++;
      const kind = queue.kinds[slot]!;
      const handler = handlers[kind];
      if (handler === undefined) throw new Error(`no handler for event kind ${kind}`);
      const payloads = queue.payloads;
      const p = slot * PAYLOAD_FIELDS;
      handler(payloads[p]!, payloads[p + 1]!, payloads[p + 2]!, payloads[p + 3]!, payloads[p + 4]!, payloads[p + 5]!);
    }
  }
}
