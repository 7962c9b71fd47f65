// The user's own consumer code in the loop (the library's `handler` option): called where the built-in consumer
// runs its effect, with the message, virtual time, a seeded random and a small store for its database. Every
// effect it counts is measured as the built-in sink's are; and the consumer may crash between two of its
// store writes (outside a transaction), a choice of the one choice source like every other fault, so runs,
// replays, shrinking and exploration meet it alike.
import { UsageError } from '../errors.js';
import { EXPLORATION_ONLY, Site, type ChoiceSource } from '../sim/choice.js';
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import { copyOf, exactText, notSynchronous, shownKey, thrownText } from './handler-values.js';

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

/** The user's consumer code. */
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

/** Thrown into the handler at a crash point; a handler that catches it has crashed all the same. */
class ConsumerCrash extends Error {
  constructor() {
    super('the consumer crashed (acksim): a handler must not catch this');
  }
}

/** Folded for a value without an exact text, counting over every simulation, so that no two states with one are
 * ever equal (each schedule of an exploration is a simulation of its own). */
let unhashable = 0;

/** One simulation's handler: its store (one database for every consumer) and the state of the current call. */
export class HandlerRuntime implements HashesState {
  private readonly data = new Map<string, unknown>();
  private readonly crashOutcomes: readonly number[];
  private readonly payloads = new Map<number, unknown>();
  private readonly keys: number;
  // The current call: its key for choices, what it has done so far.
  private m = 0;
  private keyB = 0;
  private writes = 0;
  private draws = 0;
  /** This call's ctx.effect() calls, by name ('' for none). */
  private readonly named = new Map<string, number>();
  /** Whether this call has applied a write (without ctx.effect(), that is its effect). */
  private wrote = false;
  /** This call's last write applied, and where a crash fell, in words. */
  private lastWrite = '';
  private between = '';
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

  /**
   * Folds the store (by key, in key order; each value as its serialized text) and how effects count: the rest of
   * the run depends on them, so exploration must not take two states that differ there for one. A value that has
   * no exact text (a function, a symbol, a Map: structuredClone keeps what JSON cannot) makes every state
   * distinct: exploration then prunes nothing, which changes no verdict.
   */
  hashState(h: StateHasher): void {
    h.int(this.explicit ? 1 : 0);
    h.int(this.implicit > 0 ? 1 : 0);
    const keys = [...this.data.keys()].sort();
    h.int(keys.length);
    for (const key of keys) {
      h.str(key);
      const text = exactText(this.data.get(key));
      if (text === undefined) h.num(unhashable++);
      else h.str(text);
    }
  }

  /** Calls the handler for delivery `k` (copy `copy`) of message `m`, stored copy `ordinal`. */
  call(m: number, k: number, copy: number, ordinal: number): HandlerCall {
    this.m = m;
    this.keyB = k * 2 + copy;
    this.writes = this.draws = 0;
    this.named.clear();
    this.wrote = false;
    this.lastWrite = this.between = '';
    this.crashedBefore = -1;
    const message: HandlerMessage = {
      id: m,
      key: this.keys > 0 ? m % this.keys : undefined,
      payload: copyOf(this.payload(m)),
      deliveryCount: k + 1,
      attempt: ordinal,
    };
    let error: string | undefined;
    try {
      error = notSynchronous(this.handler(message, this.context));
    } catch (thrown) {
      if (this.crashedBefore < 0) error = thrownText(thrown);
    }
    if (this.ambiguous !== undefined) throw this.ambiguous;
    // Counted whether the call returned, threw or crashed: what it wrote before is written.
    const effects = this.explicit ? Math.max(0, ...this.named.values()) : this.wrote ? 1 : 0;
    if (!this.explicit && this.wrote) this.implicit++;
    if (this.crashedBefore >= 0)
      return { effects, crashedBefore: this.crashedBefore, crashedBetween: this.between, error: undefined };
    if (error !== undefined) this.code.onError?.(m, k, error);
    return { effects, crashedBefore: -1, crashedBetween: '', error };
  }

  private payload(m: number): unknown {
    if (this.generator === undefined) return undefined;
    if (!this.payloads.has(m)) {
      let n = 0;
      let payload: unknown;
      try {
        payload = this.generator(m, () => this.choices.uniform(Site.handlerRandom, m, -1, n++));
      } catch (thrown) {
        throw new UsageError(`payload: the generator threw for message ${m}: ${thrownText(thrown)}`);
      }
      this.payloads.set(m, payload);
    }
    return this.payloads.get(m);
  }

  /** A write outside a transaction, or a commit: the consumer may crash before any but the call's first. */
  private persist(what: string, apply: () => void): void {
    this.alive();
    const index = this.writes++;
    if (index > 0 && this.crashOutcomes[1]! > 0) {
      if (this.choices.pick(Site.handlerCrash, this.m, this.keyB, index, this.crashOutcomes) === 1) {
        this.crashedBefore = index;
        this.between = `after ${this.lastWrite}, before ${what}`;
        throw new ConsumerCrash();
      }
    }
    apply();
    this.wrote = true;
    this.lastWrite = what;
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
      set: (key, value) => this.persist(`set(${shownKey(key)})`, () => data.set(String(key), copyOf(value))),
      delete: (key) => this.persist(`delete(${shownKey(key)})`, () => data.delete(String(key))),
      transaction: (fn) => this.transaction(fn),
    };
    return {
      now: () => this.now(),
      random: () => (this.alive(), this.choices.uniform(Site.handlerRandom, this.m, this.keyB, this.draws++)),
      effect: (name?: string) => {
        this.alive();
        this.countsExplicitly();
        const key = name === undefined ? '' : String(name);
        this.named.set(key, (this.named.get(key) ?? 0) + 1);
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
        `handler: it called ctx.effect() after ${this.implicit} call(s) that wrote to the store without it (each ` +
          'counted one effect) ' +
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
    // A transaction that wrote nothing commits nothing: no write, no crash point.
    if (pending.size === 0) return result;
    this.persist(`the commit of ${pending.size} write(s)`, () => {
      for (const [key, write] of pending)
        if (write === undefined) this.data.delete(key);
        else this.data.set(key, write.value);
    });
    return result;
  }
}
