// The processing of one delivery at a consumer, shared by the queue and the log consumers: its time (stalls too), a
// crash before or after the effect, poison and transient failures, the dedupe check, the effect, the dedupe record;
// a consumer's crash and restart bookkeeping. Where the families differ, an option says so (behaviour and choices
// must stay as they are): - poison: the queue consumers draw a message's poison once and cache it (the cache is in
// their state hash); the log consumers draw it at each delivery (the same keyed draw, one more choice each time).
// - dedupe check: the queue consumers check before processing (`skipsProcessed`) and again at the end only
//   where the commit of effect and record is atomic ("commit rolled back"); the log consumers check only at
//   the end, always, and also against their open transaction ("already processed").
// - a crash after the effect: a queue consumer's ack still to come is prevented (a duplicate cause), and its
//   delivery is abandoned with the crashed hint; a log consumer's record is only released (its offset is what
//   is lost). In a transaction, the effect waits in it (the abort releases it).
// - the failed (poison) trace reads "poison" at a queue consumer and "poison: skipped" at a log one.
import { EXPLORATION_ONLY, Site } from '../sim/choice.js';
import { sampler, type Sampler } from '../sim/distribution.js';
import { Dup } from './causes.js';
import type { DedupeStore } from './dedupe-store.js';
import type { HandlerCall } from './handler-types.js';
import { Delivery, Processed, type ProcessingOptions } from './delivery.js';
import type { Ledger } from './ledger.js';
import { DedupeFlag, Hint } from './state.js';
import { Ev, type World } from './world.js';

export { Delivery, Processed, type OpenTransaction, type ProcessingOptions } from './delivery.js';

const [POISON, NOT_POISON] = [1, 2];

/** The consumer side's processing of deliveries and the consumers' lives (up, down until when). */
export class DeliveryProcessing {
  /** Per consumer: 1 while it runs, 0 while crashed. */
  readonly up: Uint8Array;
  /** Per consumer: when it may restart. */
  readonly downUntilMs: Float64Array;
  /** Per message, with `cachePoison`: 0 not drawn yet, 1 poison, 2 not poison. */
  readonly poisonCache: Uint8Array;
  private readonly processingMs: Sampler;
  /** Outcome 1 crashes at the scenario's crash point, outcome 2 (exploration only) at the other one. */
  private readonly crashOutcomes: readonly number[];
  private readonly crashBeforeEffect: boolean;
  /** Outcome 1 stalls processing by stallMs (consumers.stall; in exploration, else past the timeout). */
  private readonly stallOutcomes: readonly number[] | undefined;
  private readonly stallMs: number;
  /** Per consumer, with consumers.stall: until when it is frozen (it finishes and extends nothing meanwhile). */
  readonly frozenUntilMs: Float64Array;
  /** Outcome 1 fails the attempt transiently (consumers.failure); undefined when it never does. */
  private readonly failureOutcomes: readonly number[] | undefined;
  /** The delivery whose handler call is awaited, and whether a crash after its effect was drawn. */
  private suspended: Delivery | undefined;
  private suspendedCrash = false;

  constructor(
    private readonly world: World,
    private readonly ledger: Ledger,
    private readonly dedupe: DedupeStore | undefined,
    private readonly options: ProcessingOptions,
  ) {
    const { consumers, messages } = world.config;
    this.up = new Uint8Array(consumers.count).fill(1);
    this.downUntilMs = new Float64Array(consumers.count).fill(-Infinity);
    const poisonous = options.cachePoison && consumers.poisonRate > 0;
    this.poisonCache = poisonous ? new Uint8Array(messages) : new Uint8Array(0);
    this.processingMs = sampler(consumers.processingMs);
    const explore = world.config.exploration === true;
    const p = explore ? Math.max(consumers.crash.probability, EXPLORATION_ONLY) : consumers.crash.probability;
    this.crashOutcomes = explore ? [1 - p, p, EXPLORATION_ONLY] : [1 - p, p];
    const stall = consumers.stall;
    this.frozenUntilMs = new Float64Array(stall.probability > 0 ? consumers.count : 0).fill(-Infinity);
    this.stallMs = stall.probability > 0 ? stall.durationMs : (options.stallMs ?? 0);
    const ps = explore ? Math.max(stall.probability, EXPLORATION_ONLY) : stall.probability;
    this.stallOutcomes = (stall.probability > 0 || options.stallMs !== undefined) && ps > 0 ? [1 - ps, ps] : undefined;
    this.crashBeforeEffect = consumers.crash.point === 'before-effect';
    const { probability: q } = consumers.failure;
    this.failureOutcomes = q > 0 ? [1 - q, q] : undefined;
  }

  /** How long processing delivery `k` (copy `copy`) of message `m` at consumer `c` takes. */
  durationMs(c: number, m: number, k: number, copy: number): number {
    const choices = this.world.choices;
    // A frozen consumer starts nothing before its stall ends.
    let duration = this.frozen(c) ? this.frozenUntilMs[c]! - this.world.kernel.now : 0;
    duration += this.processingMs.constant
      ? this.processingMs.mean
      : this.processingMs.sample(choices, Site.processing, m, k, copy);
    if (this.stallOutcomes !== undefined && choices.pick(Site.stall, m, k, copy, this.stallOutcomes) === 1) {
      duration += this.stallMs;
      if (this.frozenUntilMs.length === 0)
        this.world.tracer?.atConsumer('consumer', 'stall', c, m, k, this.options.stallDetail);
      else this.freeze(c, m, k);
    }
    return duration;
  }

  /** Consumer `c` stalls at the start of delivery `k` of `m` (consumers.stall): frozen for the stall's duration. */
  private freeze(c: number, m: number, k: number): void {
    this.world.faults.consumerStalls++;
    // Frozen already, the new stall starts when the one before ends.
    this.frozenUntilMs[c] = Math.max(this.frozenUntilMs[c]!, this.world.kernel.now) + this.stallMs;
    this.world.tracer?.atConsumer('consumer', 'stall', c, m, k, `frozen for ${this.stallMs} ms`);
  }

  /** Whether consumer `c` is frozen by a stall now. */
  frozen(c: number): boolean {
    return this.frozenUntilMs.length > 0 && this.frozenUntilMs[c]! > this.world.kernel.now;
  }

  /** Before processing: whether the dedupe store has the message already (then it is counted and skipped). */
  skipsProcessed(c: number, m: number, s: number, k: number): boolean {
    if (this.dedupe === undefined || !this.dedupe.has(s, this.world.kernel.now)) return false;
    this.suppressed(c, m, k, 'already processed: skipped');
    return true;
  }

  /** Processing of `d` ended: crash, poison, dedupe, the effect and its record. Returns a `Processed` value. */
  process(d: Delivery): number {
    const { faults, kernel, choices, config } = this.world;
    const { consumer: c, message: m, slot: s, delivery: k } = d;
    const crash = this.crashOutcomes[1]! > 0 ? choices.pick(Site.crash, m, k, d.copy, this.crashOutcomes) : 0;
    const crashes = crash !== 0;
    if (crashes && (crash === 1) === this.crashBeforeEffect) {
      this.world.tracer?.atConsumer('consumer', 'crash', c, m, k, 'before effect');
      this.abandon(m, s);
      return Processed.crashed;
    }
    if (this.isPoison(m)) {
      faults.poisonFailures++;
      return this.failed(d, this.options.poisonDetail);
    }
    if (this.failureOutcomes !== undefined && choices.pick(Site.failure, m, k, d.copy, this.failureOutcomes) === 1) {
      faults.transientFailures++;
      return this.failed(d, 'transient failure');
    }
    const dedupe = this.dedupe;
    const transaction = this.options.transaction;
    if (dedupe !== undefined) {
      if (!this.options.checksBeforeProcessing) {
        if (dedupe.has(s, kernel.now) || (transaction !== undefined && transaction.holds(c, m))) {
          // Consume-transform-produce in a transaction, or an idempotent sink: the record's effect is already in.
          this.suppressed(c, m, k, 'already processed');
          return Processed.done;
        }
      } else if (config.dedupe.atomic && dedupe.has(s, kernel.now)) {
        // The atomic commit of effect and record finds the id already recorded and rolls back.
        this.suppressed(c, m, k, 'commit rolled back');
        return Processed.done;
      }
    }
    if (transaction !== undefined) {
      transaction.write(d);
      if (!crashes) return Processed.inTransaction;
      this.world.tracer?.atConsumer('consumer', 'crash', c, m, k, 'after effect, before the transaction commits');
      return Processed.crashed;
    }
    const handler = this.world.handler;
    if (handler === undefined) this.effect(d);
    else {
      const call = handler.call(m, k, d.copy, d.ordinal);
      if (call === undefined) return this.suspend(d, crashes);
      const outcome = this.afterCall(d, call);
      if (outcome >= 0) return outcome;
    }
    return this.afterEffect(d, crashes);
  }

  /**
   * The handler returned a promise: the run pauses after this event until it settles (the simulation's driver
   * awaits it), then `resume` ends the processing and the caller's `settle` settles the delivery.
   */
  private suspend(d: Delivery, crashes: boolean): number {
    this.suspended = d;
    this.suspendedCrash = crashes;
    this.world.handler!.resumer = this.resume;
    this.world.kernel.pause();
    return Processed.pending;
  }

  private readonly resume = (call: HandlerCall): void => {
    const d = this.suspended!;
    this.suspended = undefined;
    let outcome = this.afterCall(d, call);
    if (outcome < 0) outcome = this.afterEffect(d, this.suspendedCrash);
    this.options.settle(d, outcome);
  };

  /** How the handler's call ended, as a `Processed` value; or -1 when it ran its effects and processing goes on. */
  private afterCall(d: Delivery, call: HandlerCall): number {
    const s = d.slot;
    for (let i = 0; i < call.effects; i++) this.effect(d);
    if (call.crashedBefore >= 0) return this.crashedInHandler(d, call.effects, call.crashedBetween);
    if (call.effects === 0 && call.error === undefined) this.ledger.deliveryHint(s, Hint.noEffect);
    if (call.error === undefined) return -1;
    return this.failed(d, `the handler threw: ${call.error}`);
  }

  /** Processing of `d` failed (it is nacked, or skipped by a log consumer). Returns `Processed.failed`. */
  private failed(d: Delivery, detail: string): number {
    const { messages, tracer } = this.world;
    const { message: m, slot: s, delivery: k } = d;
    tracer?.atConsumer('consumer', 'fail', d.consumer, m, k, detail);
    this.ledger.deliveryHint(s, Hint.failed);
    // A network duplicate of this delivery that ran (or will run) its effect is duplicated by the redelivery.
    if (messages.lastEffectDelivery[s] === k || messages.duplicatedDelivery[s] === k)
      this.ledger.noteBreak(s, k, Dup.deliverDuplicated);
    return Processed.failed;
  }

  /** After the effect: the crash after it, if one was drawn, else the dedupe record. */
  private afterEffect(d: Delivery, crashes: boolean): number {
    const { consumer: c, message: m, slot: s, delivery: k } = d;
    if (crashes) {
      this.world.tracer?.atConsumer('consumer', 'crash', c, m, k, 'after effect');
      this.recordAfterCrash(s, m);
      // Only an ack still to come can be prevented by the crash.
      if (d.ackPending) this.ledger.noteBreak(s, k, Dup.crashAfterEffect);
      if (this.options.hintsCrashAfterEffect) this.abandon(m, s);
      else this.ledger.release(m, s);
      return Processed.crashed;
    }
    if (this.dedupe !== undefined) this.dedupe.record(m, s, this.world.kernel.now);
    return Processed.done;
  }

  /** A crash after the effect: an atomic commit has the dedupe record with it; a separate one is never written. */
  private recordAfterCrash(s: number, m: number): void {
    const { config, messages, kernel } = this.world;
    if (this.dedupe === undefined) return;
    if (config.dedupe.atomic) this.dedupe.record(m, s, kernel.now);
    else messages.dedupeFlags[s]! |= DedupeFlag.recordSkipped;
  }

  /** One effect of delivery `d`: counted, and traced. */
  private effect(d: Delivery): void {
    this.ledger.effect(d.message, d.slot, d.ordinal, d.delivery);
    // Inside the optional call, the count is read only when tracing (the hot path reads nothing more).
    const { tracer, messages } = this.world;
    tracer?.atConsumer('sink', 'effect', d.consumer, d.message, d.delivery, `effect ${messages.effects[d.message]!}`);
  }

  /**
   * The consumer crashed inside the user's handler, `between` two of its writes (with `effects` effects counted
   * before): as a crash before the effect when none was, else as one after it (the ack is lost with it).
   */
  private crashedInHandler(d: Delivery, effects: number, between: string): number {
    const { consumer: c, message: m, slot: s, delivery: k } = d;
    this.world.tracer?.atConsumer('consumer', 'crash', c, m, k, `in the handler, ${between}`);
    if (effects > 0) this.recordAfterCrash(s, m);
    if (effects > 0 && d.ackPending) this.ledger.noteBreak(s, k, Dup.crashAfterEffect);
    if (effects === 0 || this.options.hintsCrashAfterEffect) this.abandon(m, s);
    else this.ledger.release(m, s);
    return Processed.crashed;
  }

  private isPoison(m: number): boolean {
    const { choices, config } = this.world;
    const rate = config.consumers.poisonRate;
    if (!this.options.cachePoison) return rate > 0 && choices.uniform(Site.poison, m, 0, 0) < rate;
    const cache = this.poisonCache;
    if (cache.length === 0) return false;
    if (cache[m] === 0) cache[m] = choices.uniform(Site.poison, m, 0, 0) < rate ? POISON : NOT_POISON;
    return cache[m] === POISON;
  }

  /** Counts (and traces) a delivery the dedupe store kept from running the effect again. */
  private suppressed(c: number, m: number, k: number, detail: string): void {
    this.world.counters.suppressedDuplicates++;
    this.world.requests.dedupeHits++;
    this.world.tracer?.atConsumer('consumer', 'dedupe', c, m, k, detail);
  }

  /** Gives up a delivery its consumer crashed with. */
  abandon(m: number, s: number): void {
    this.ledger.deliveryHint(s, Hint.crashed);
    this.ledger.release(m, s);
  }

  /**
   * Consumer `c` crashes for `durationMs` (a scheduled fault, or at a delivery): counts it and schedules its
   * restart. Returns whether it was up, so the caller tears down what it held.
   */
  crash(c: number, durationMs: number, scheduled: boolean): boolean {
    const { faults, kernel } = this.world;
    // A process that crashed is no longer frozen: its next life starts afresh.
    if (this.frozenUntilMs.length > 0) this.frozenUntilMs[c] = -Infinity;
    if (scheduled) {
      faults.scheduledConsumerCrashes++;
      this.world.tracer?.consumer('crash', c, `scheduled, down ${durationMs} ms`);
    } else faults.consumerCrashes++;
    this.downUntilMs[c] = Math.max(this.downUntilMs[c]!, kernel.now + durationMs);
    kernel.at(this.downUntilMs[c], Ev.consumerRestart, c);
    if (this.up[c] === 0) return false;
    this.up[c] = 0;
    return true;
  }

  /** Consumer `c`'s restart is due: returns whether it is up again now (not already up, not down for longer). */
  restarts(c: number): boolean {
    if (this.up[c] === 1 || this.world.kernel.now < this.downUntilMs[c]!) return false;
    this.up[c] = 1;
    this.world.tracer?.consumer('restart', c);
    return true;
  }
}
