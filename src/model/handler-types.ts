// The types of the user's own consumer code (handler.ts runs it): what it is given, what it may call, how a call
// ended.

/** The message as the handler sees it. */
export interface HandlerMessage {
  /** The message's number, 0 for the first sent. */
  readonly id: number;
  /** Its key, when the scenario's sink has keys (sink.keys: id modulo keys); undefined otherwise. */
  readonly key: number | undefined;
  /** What the payload generator made for it (undefined without one). */
  readonly payload: unknown;
  /** Deliveries of the message so far, this one included (1 on the first). */
  readonly deliveryCount: number;
  /** Which stored copy this is: 0, or more when a producer's retry stored the message again. */
  readonly attempt: number;
}

/** Writes that apply together, or not at all (a crash inside one loses all of them). */
export interface HandlerTransaction {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** The handler's database: what it writes survives consumer crashes; a crash can fall between two writes. */
export interface HandlerStore extends HandlerTransaction {
  has(key: string): boolean;
  /** Runs `fn` on a transaction and commits its writes at once when it returns (a throw discards them). */
  transaction<T>(fn: (tx: HandlerTransaction) => T): T;
}

/** What the handler may use besides the message. */
export interface HandlerContext {
  /** Virtual time in ms (never the wall clock). */
  now(): number;
  /** A number in [0, 1), drawn from the run's seed (the same in every replay). */
  random(): number;
  /**
   * Counts one effect of the message (a charge, an email): what duplicates and loss are measured on. Effects of
   * several names in one call count as one; the same name twice, as two. Without ctx.effect() (effects 'auto'), a
   * call that wrote to the store counts one effect, even if it crashed or threw after writing.
   */
  effect(name?: string): void;
  readonly store: HandlerStore;
}

/**
 * The user's consumer code, synchronous or asynchronous. A promise it returns is awaited before anything else in
 * the run happens (virtual time stands still meanwhile), so it may await ctx's operations and any other work whose
 * result does not depend on the wall clock or on chance. It must not call ctx after it has returned or settled.
 */
export type Handler = (message: HandlerMessage, ctx: HandlerContext) => unknown;

/** Makes a message's payload (once per message, the same in every run of a seed). */
export type PayloadGenerator = (id: number, random: () => number) => unknown;

/** The user's handler and the generator of its payloads. */
export interface UserCode {
  handler: Handler;
  payload?: PayloadGenerator | undefined;
  /**
   * How effects count: 'counted', only the ctx.effect() calls; 'auto' (the default), one per call that wrote to the
   * store while the handler has never called ctx.effect(), and only its calls from the first one on.
   */
  effects?: 'auto' | 'counted' | undefined;
  /**
   * The user's invariant over the final store (a plain object of its keys, in key order): true (or nothing) when it
   * holds; false, or a string saying what is wrong, when it does not. Judged as the check `check(state)`.
   */
  check?: ((state: Record<string, unknown>) => unknown) | undefined;
  /** Told of every throw of the handler (message id, delivery number, what it threw). */
  onError?: ((id: number, delivery: number, error: string) => void) | undefined;
}

/** What the runtime needs of the configuration. */
export interface HandlerSettings {
  /** The consumers' crash probability, which each crash point inside the handler has too. */
  crashProbability: number;
  /** Exploration: every crash point is a decision, however unlikely. */
  exploration: boolean;
  /** The sink's keys (0: none). */
  keys: number;
}

/** How one call of the handler ended. */
export interface HandlerCall {
  /** Effects it counted (see HandlerContext.effect). */
  effects: number;
  /** The index of the write before which the consumer crashed, or -1. */
  crashedBefore: number;
  /** With a crash: between which writes, in words ("after set('balance'), before set('charged:7')"). */
  crashedBetween: string;
  /** The message of what it threw (it failed: the delivery is nacked), or undefined. */
  error: string | undefined;
}
