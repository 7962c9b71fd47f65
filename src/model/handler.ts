// The user's own consumer code in the loop (the library's `handler` option): called where the built-in consumer
// runs its effect, with the message, virtual time, a seeded random and a small store for its database. Every
// effect it counts is measured as the built-in sink's are; and the consumer may crash between two of its
// store writes (outside a transaction), a choice of the one choice source like every other fault, so runs,
// replays, shrinking and exploration meet it alike.
import { UsageError } from '../errors.js';
import { EXPLORATION_ONLY, Site, type ChoiceSource } from '../sim/choice.js';
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import type {
  Handler,
  HandlerCall,
  HandlerContext,
  HandlerMessage,
  HandlerSettings,
  HandlerStore,
  HandlerTransaction,
  UserCode,
} from './handler-types.js';
import { applied, transacted } from './handler-store.js';
import { noteLate, Unsteady } from './unsteady.js';
import {
  copyOf,
  exactText,
  isThenable,
  notACall,
  Payloads,
  shownKey,
  stateVerdict,
  thrownText,
} from './handler-values.js';

export type * from './handler-types.js';

/** Thrown into the handler at a crash point; a handler that catches it has crashed all the same. */
class ConsumerCrash extends Error {
  constructor() {
    super('the consumer crashed (acksim): a handler must not catch this');
  }
}

/** Which call a context is of: its number (from 1) and message. */
type CallToken = { n: number; m: number };

/** Folded for a value without an exact text, counting over every simulation, so that no two states with one are
 * ever equal (each schedule of an exploration is a simulation of its own). */
let unhashable = 0;

/** One simulation's handler: its store (one database for every consumer) and the state of the current call. */
export class HandlerRuntime implements HashesState {
  private readonly data = new Map<string, unknown>();
  private readonly crashOutcomes: readonly number[];
  private readonly keys: number;
  // The current call: its key for choices, what it has done so far.
  private m = 0;
  private keyB = 0;
  private writes = 0;
  private draws = 0;
  /** This call's ctx.effect() calls, by name ('' for none). */
  private readonly named = new Map<string, number>();
  /** Whether this call applied a write (without ctx.effect(), its effect); its last one, where a crash fell. */
  private wrote = false;
  private lastWrite = '';
  private between = '';
  private crashedBefore = -1;
  /** Effects counted by ctx.effect() only (it was called, or `effects: 'counted'`); else calls that counted one. */
  private explicit: boolean;
  private implicit = 0;
  /** Set when the handler counted effects both ways: the run cannot go on (thrown once the call returns). */
  private ambiguous: UsageError | undefined;
  private readonly context: HandlerContext;
  /**
   * Whether a call is in progress (ctx may be used); calls so far (the current one's number, from 1); whether the
   * handler has ever returned a promise; whether the run has ended (a use of ctx after it: unsteady.ts noteLate).
   */
  private active = false;
  private calls = 0;
  private asynchronous = false;
  private ended = false;
  /** The token of the context shared by every call while the handler is synchronous (and by the first). */
  private readonly shared: CallToken = { n: 1, m: 0 };
  /** Watches Math.random and Date.now during calls. */
  private readonly unsteady = new Unsteady();
  private readonly handler: Handler;
  /** An `async function`: its code after an await is watched from its first call. */
  private readonly declaredAsync: boolean;
  private readonly payloads: Payloads;

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
    this.declaredAsync = code.handler.constructor.name === 'AsyncFunction';
    this.payloads = new Payloads(code.payload, choices);
    this.explicit = code.effects === 'counted';
    this.context = this.makeContext(this.shared);
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

  /**
   * Calls the handler for delivery `k` (copy `copy`) of message `m`, stored copy `ordinal`. Returns how the call
   * ended; or undefined when it returned a promise: then `waiting` is that promise, and `settle` ends the call.
   */
  call(m: number, k: number, copy: number, ordinal: number): HandlerCall | undefined {
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
      payload: this.payloads.copy(m),
      deliveryCount: k + 1,
      attempt: ordinal,
    };
    this.active = true;
    let returned: unknown;
    try {
      // Once the handler has gone asynchronous, each call has a context of its own: a use of an earlier call's
      // (a promise it did not await) is then told from this call's.
      const shared = this.calls++ === 0 || !this.asynchronous;
      if (shared) {
        this.shared.m = m;
        this.shared.n = this.calls;
      }
      const context = shared ? this.context : this.makeContext({ n: this.calls, m });
      const scoped = this.asynchronous || this.declaredAsync;
      returned = this.unsteady.begin(m, scoped, () => this.handler(message, context));
    } catch (thrown) {
      return this.settle(false, thrown);
    }
    let thenable: boolean;
    try {
      // A getter of `then` (or `next`) that throws, a revoked proxy: what it returned is a throw of the handler.
      thenable = isThenable(returned);
      if (!thenable) return this.end(notACall(returned));
    } catch (thrown) {
      return this.settle(false, thrown);
    }
    this.asynchronous = true;
    this.waiting = returned as PromiseLike<unknown>;
    return undefined;
  }

  /** The promise of an asynchronous call in progress (see `call`). */
  waiting: PromiseLike<unknown> | undefined;
  /** Ends the processing of the awaited call's delivery (set by the processing that made the call). */
  resumer: ((call: HandlerCall) => void) | undefined;

  /** The call in progress (or the last), in words: "message 7, delivery 2". */
  callInWords(): string {
    return `message ${this.m}, delivery ${(this.keyB >> 1) + 1}`;
  }

  /** Ends the call in progress: it returned (or its promise fulfilled), or it threw `thrown` (or rejected). */
  settle(fulfilled: boolean, thrown: unknown): HandlerCall {
    return this.end(fulfilled || this.crashedBefore >= 0 ? undefined : thrownText(thrown));
  }

  /** Gives up the call in progress (it ended, or its promise will not be awaited any more). */
  abandon(): void {
    this.active = false;
    this.waiting = undefined;
    this.unsteady.end();
  }

  /** How the call ended, `error` being what it threw (if it did not crash). */
  private end(error: string | undefined): HandlerCall {
    this.abandon();
    const misuse = this.unsteady.misuse ?? this.ambiguous;
    if (misuse !== undefined) throw misuse;
    // Counted whether the call returned, threw or crashed: what it wrote before is written.
    const effects = this.explicit ? Math.max(0, ...this.named.values()) : this.wrote ? 1 : 0;
    if (!this.explicit && this.wrote) this.implicit++;
    if (this.crashedBefore >= 0)
      return { effects, crashedBefore: this.crashedBefore, crashedBetween: this.between, error: undefined };
    if (error !== undefined) this.code.onError?.(this.m, this.keyB >> 1, error);
    return { effects, crashedBefore: -1, crashedBetween: '', error };
  }

  /** A write outside a transaction, or a commit: the consumer may crash before any but the call's first. */
  private persist(what: string, apply: () => void, token: CallToken): void {
    if (!this.alive(what.startsWith('the commit') ? 'store.transaction()' : `store.${what}`, token)) return;
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

  /**
   * Whether the handler may use ctx now. After a crash it may touch nothing more (it is not running any more):
   * that throws. Between calls (a promise the handler did not await), the use does nothing, and is remembered: it
   * fails the run at the next call's end, or at the run's.
   */
  private alive(what: string, token: CallToken): boolean {
    if (!this.active || (this.asynchronous && token.n !== this.calls)) {
      const misuse = new UsageError(
        `handler: ctx.${what} was called after its call (for message ${token.m}) had ended ` +
          '(allowed: await every ctx operation before the handler returns)',
      );
      this.unsteady.misuse ??= misuse;
      if (this.ended) noteLate(misuse);
      return false;
    }
    if (this.crashedBefore >= 0) throw new ConsumerCrash();
    return true;
  }

  /** The user's `check` over the final store: '' when it holds, what is wrong when not; undefined without one. */
  stateCheck(): string | undefined {
    return this.code.check === undefined ? undefined : stateVerdict(this.code.check, this.data);
  }

  /** Throws what the handler did wrong outside its calls, if it did (the run's end asks). */
  checkEnded(): void {
    this.ended = true;
    if (this.unsteady.misuse !== undefined) throw this.unsteady.misuse;
  }

  /** The context of call number `token` (1 for the first; each one's, once the handler has gone asynchronous). */
  private makeContext(token: CallToken): HandlerContext {
    const data = this.data;
    const store: HandlerStore = {
      get: (key) => (this.alive(`store.get(${shownKey(key)})`, token) ? copyOf(data.get(String(key))) : undefined),
      has: (key) => this.alive(`store.has(${shownKey(key)})`, token) && data.has(String(key)),
      set: (key, value) => this.persist(`set(${shownKey(key)})`, () => data.set(String(key), copyOf(value)), token),
      delete: (key) => this.persist(`delete(${shownKey(key)})`, () => data.delete(String(key)), token),
      transaction: (fn) => this.transaction(fn, token),
    };
    return {
      now: () => this.now(),
      random: () =>
        this.alive('random()', token) ? this.choices.uniform(Site.handlerRandom, this.m, this.keyB, this.draws++) : 0,
      effect: (name?: string) => {
        if (!this.alive('effect()', token)) return;
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

  /** A transaction's writes wait in it and commit as one write when `fn` returns, or when its promise fulfils. */
  private transaction<T>(fn: (tx: HandlerTransaction) => T, token: CallToken): T {
    if (!this.alive('store.transaction()', token)) return undefined as T;
    // A transaction that wrote nothing commits nothing: no write, no crash point.
    return transacted(this.data, fn, (writes) => {
      if (writes.size > 0)
        this.persist(`the commit of ${writes.size} write(s)`, () => applied(this.data, writes), token);
    });
  }
}
