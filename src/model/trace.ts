// The trace of a run: one record per thing that happened to a message, for `acksim trace`. Tracing is
// off unless a tracer is given, and then costs nothing on the simulation's hot path.

/** Who did something. */
export type TraceActor = 'producer' | 'network' | 'broker' | 'consumer' | 'sink';

/** One traced happening. Fields other than `t`, `actor`, `event` appear when they apply. */
export interface TraceEvent {
  /** Virtual time, ms. */
  t: number;
  actor: TraceActor;
  /** What happened: publish, confirm, drop, duplicate, store, deliver, ack, effect, crash, ... */
  event: string;
  message?: number;
  /** The network link, for sends, drops and duplicates. */
  link?: 'publish' | 'confirm' | 'deliver' | 'ack';
  attempt?: number;
  delivery?: number;
  consumer?: number;
  detail?: string;
}

/** Receives trace events as they happen (the model's sites go through tracer.ts). */
export type TraceSink = (event: TraceEvent) => void;
