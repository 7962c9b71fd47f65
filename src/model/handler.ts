// The user's own consumer code in the loop (the library's `handler` option): called where the built-in consumer
// runs its effect, with the message, virtual time, a seeded random and a small store for its database. Every
// effect it counts is measured as the built-in sink's are; and the consumer may crash between two of its
// store writes (outside a transaction), a choice of the one choice source like every other fault, so runs,
// replays, shrinking and exploration meet it alike.
import { UsageError } from '../errors.js';
import { EXPLORATION_ONLY, Site, type ChoiceSource } from '../sim/choice.js';

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
  /** Counts one effect of the message (a charge, an email): what duplicates and loss are measured on. A call that
   * counts none counts one when it returns. `name` says which effect, for the reader of the handler. */
  effect(name?: string): void;
  readonly store: HandlerStore;
}

/** The user's consumer code. */
export type Handler = (message: HandlerMessage, ctx: HandlerContext) => unknown;

/** Makes a message's payload (once per message, the same in every run of a seed). */
export type PayloadGenerator = (id: number, random: () => number) => unknown;

/** The user's handler and the generator of its payloads. */
export interface UserCode {
  handler: Handler;
  payload?: PayloadGenerator | undefined;
  /**
   * How effects count: 'counted', only the ctx.effect() calls; 'auto' (the default), one per completed call while
   * the handler has never called ctx.effect(), and only its calls from the first one on.
   */
  effects?: 'auto' | 'counted' | undefined;
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
  /** Effects it counted (one for a call that returned without counting any). */
  effects: number;
  /** The index of the write before which the consumer crashed, or -1. */
  crashedBefore: number;
  /** The message of what it threw (it failed: the delivery is nacked), or undefined. */
  error: string | undefined;
}

/** Thrown into the handler at a crash point; a handler that catches it has crashed all the same. */
class ConsumerCrash extends Error {
  constructor() {
    super('the consumer crashed (acksim): a handler must not catch this');
  }
}

/** One simulation's handler: its store (one database for every consumer) and the state of the current call. */
export class HandlerRuntime {
  private readonly data = new Map<string, unknown>();
  private readonly crashOutcomes: readonly number[];
  private readonly payloads = new Map<number, unknown>();
  private readonly keys: number;
  // The current call: its key for choices, what it has done so far.
  private m = 0;
  private keyB = 0;
  private writes = 0;
  private draws = 0;
  private effects = 0;
  private crashedBefore = -1;
  /** Whether effects are counted by ctx.effect() only (it was called, or `effects: 'counted'`). */
  private explicit: boolean;
  /** Effects counted for calls that called no ctx.effect(), while not explicit. */
  private implicit = 0;
  /** Set when the handler counted effects both ways: the run cannot go on (thrown once the call returns). */
  private ambiguous: UsageError | undefined;
  private readonly context: HandlerContext;

  private readonly handler: Handler;
  private readonly generator: PayloadGenerator | undefined;

  constructor(
    private readonly code: UserCode,
    private readonly choices: ChoiceSource,
    private readonly now: () => number,
    settings: HandlerSettings,
  ) {
    const p = settings.crashProbability;
    const crash = settings.exploration ? Math.max(p, EXPLORATION_ONLY) : p;
    this.crashOutcomes = [1 - crash, crash];
    this.keys = settings.keys;
    this.handler = code.handler;
    this.generator = code.payload;
    this.explicit = code.effects === 'counted';
    this.context = this.makeContext();
  }

  /** Calls the handler for delivery `k` (copy `copy`) of message `m`, stored copy `ordinal`. */
  call(m: number, k: number, copy: number, ordinal: number): HandlerCall {
    this.m = m;
    this.keyB = k * 2 + copy;
    this.writes = this.draws = this.effects = 0;
    this.crashedBefore = -1;
    const message: HandlerMessage = {
      id: m,
      key: this.keys > 0 ? m % this.keys : undefined,
      payload: this.payload(m),
      deliveryCount: k + 1,
      attempt: ordinal,
    };
    let error: string | undefined;
    try {
      const returned = this.handler(message, this.context);
      if (isThenable(returned)) {
        // A promise would settle after this event: its writes would land at another time of the run.
        void Promise.resolve(returned).catch(() => undefined);
        error = 'the handler returned a promise (allowed: a synchronous handler for now; see docs/api.md)';
      }
    } catch (thrown) {
      if (this.crashedBefore < 0) error = thrownText(thrown);
    }
    if (this.ambiguous !== undefined) throw this.ambiguous;
    if (this.crashedBefore >= 0) return { effects: this.effects, crashedBefore: this.crashedBefore, error: undefined };
    if (error !== undefined) {
      this.code.onError?.(m, k, error);
      return { effects: this.effects, crashedBefore: -1, error };
    }
    if (this.effects > 0 || this.explicit) return { effects: this.effects, crashedBefore: -1, error: undefined };
    this.implicit++;
    return { effects: 1, crashedBefore: -1, error: undefined };
  }

  private payload(m: number): unknown {
    if (this.generator === undefined) return undefined;
    if (!this.payloads.has(m)) {
      let n = 0;
      this.payloads.set(
        m,
        this.generator(m, () => this.choices.uniform(Site.handlerRandom, m, -1, n++)),
      );
    }
    return this.payloads.get(m);
  }

  /** A write outside a transaction, or a commit: the consumer may crash before any but the call's first. */
  private persist(apply: () => void): void {
    this.alive();
    const index = this.writes++;
    if (index > 0 && this.crashOutcomes[1]! > 0) {
      if (this.choices.pick(Site.handlerCrash, this.m, this.keyB, index, this.crashOutcomes) === 1) {
        this.crashedBefore = index;
        throw new ConsumerCrash();
      }
    }
    apply();
  }

  /** After a crash, the handler may touch nothing more (it is not running any more). */
  private alive(): void {
    if (this.crashedBefore >= 0) throw new ConsumerCrash();
  }

  private makeContext(): HandlerContext {
    const data = this.data;
    const store: HandlerStore = {
      get: (key) => (this.alive(), copyOf(data.get(String(key)))),
      has: (key) => (this.alive(), data.has(String(key))),
      set: (key, value) => this.persist(() => data.set(String(key), copyOf(value))),
      delete: (key) => this.persist(() => data.delete(String(key))),
      transaction: (fn) => this.transaction(fn),
    };
    return {
      now: () => this.now(),
      random: () => (this.alive(), this.choices.uniform(Site.handlerRandom, this.m, this.keyB, this.draws++)),
      effect: () => {
        this.alive();
        this.countsExplicitly();
        this.effects++;
      },
      store,
    };
  }

  /** The first ctx.effect(): from now on only these count; calls before it that counted one make the run ambiguous. */
  private countsExplicitly(): void {
    if (this.explicit) return;
    this.explicit = true;
    if (this.implicit > 0)
      throw (this.ambiguous = new UsageError(
        `handler: it called ctx.effect() after ${this.implicit} call(s) that counted one effect each without it ` +
          "(allowed: ctx.effect() in every call that has an effect from the first, or in none; or effects: 'counted', " +
          'which counts only ctx.effect())',
      ));
  }

  private transaction<T>(fn: (tx: HandlerTransaction) => T): T {
    this.alive();
    const pending = new Map<string, { value: unknown } | undefined>();
    const tx: HandlerTransaction = {
      get: (key) => {
        const written = pending.get(String(key));
        return pending.has(String(key)) ? copyOf(written?.value) : copyOf(this.data.get(String(key)));
      },
      set: (key, value) => void pending.set(String(key), { value: copyOf(value) }),
      delete: (key) => void pending.set(String(key), undefined),
    };
    const result = fn(tx);
    this.persist(() => {
      for (const [key, write] of pending)
        if (write === undefined) this.data.delete(key);
        else this.data.set(key, write.value);
    });
    return result;
  }
}

/** Objects are stored and read as copies, so a handler cannot change the store without a write. */
function copyOf<T>(value: T): T {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

/** What a handler threw, as text (never throwing itself). */
function thrownText(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  try {
    return String(thrown);
  } catch {
    return 'a value that cannot be shown';
  }
}

function isThenable(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
