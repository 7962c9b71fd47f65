// The ground truth of a run: how many live copies of each message exist (in flight, stored, held by
// the producer or a consumer), when a message is resolved, and why it was lost or duplicated. It sits
// beside the components, which report to it; it never changes what they do.
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import { Dup, Loss } from './causes.js';
import { DedupeFlag, Forgot, Hint, Outcome } from './state.js';
import type { World } from './world.js';
import { lastRedriveMs } from './config.js';
import { InvariantError } from '../errors.js';

const MAX_REFS = 0xffff;
const MAX_EFFECTS = 0xffff;

/** Tracks copies, outcomes, effects and causes of every message. */
export class Ledger implements HashesState {
  /** Latency from first send to first effect, one sample per processed message. */
  readonly latencies: Float32Array;
  /** A `set` sink with shared keys: the message whose effect wrote each key last (-1: none yet). */
  readonly lastWriter: Int32Array | undefined;

  /** The run goes on until then though every message is resolved (a redrive still to come). */
  private readonly openUntilMs: number;

  constructor(private readonly world: World) {
    this.openUntilMs = lastRedriveMs(world.config);
    this.latencies = new Float32Array(world.messages.count);
    const sink = world.config.sink;
    this.lastWriter = sink.effect === 'set' && sink.keys > 0 ? new Int32Array(sink.keys).fill(-1) : undefined;
  }

  hashState(h: StateHasher): void {
    h.column(this.latencies, this.world.counters.processed);
    if (this.lastWriter !== undefined) h.column(this.lastWriter);
  }

  /** A new copy of message `m` (active slot `s`) exists. */
  hold(m: number, s: number): void {
    const refs = this.world.messages.refs;
    if (s < 0) throw new InvariantError(`message ${m} gained a copy after it was resolved`);
    if (refs[s] === MAX_REFS) throw new InvariantError(`message ${m} has more than ${MAX_REFS} live copies`);
    refs[s]!++;
  }

  /** A copy of message `m` is gone; the last one resolves the message. */
  release(m: number, s: number): void {
    const messages = this.world.messages;
    if (messages.refs[s] === 0) throw new InvariantError(`message ${m} released more copies than it had`);
    if (--messages.refs[s]! === 0) this.resolve(m, s);
  }

  /** Notes why a publish did not end in a stored copy (used when the message ends up lost). */
  publishHint(s: number, hint: number): void {
    this.world.messages.publishHint[s] = hint;
  }

  /**
   * Notes why a delivered copy did not reach its effect. A crash or failure is kept over a later
   * dropped copy: when the broker has forgotten the message, the copy that was received says why.
   */
  deliveryHint(s: number, hint: number): void {
    const hints = this.world.messages.deliveryHint;
    if (hint === Hint.deliverLost && hints[s] !== Hint.none) return;
    hints[s] = hint;
  }

  /** Notes that the visibility of delivery `k` ended before its ack (expiry or broker restart). */
  noteExpiry(s: number, k: number, cause: number): void {
    const messages = this.world.messages;
    if (k > messages.expiredUpTo[s]!) messages.expiredUpTo[s] = k;
    if (messages.expiryCause[s] === 0) messages.expiryCause[s] = cause;
  }

  private resolve(m: number, s: number): void {
    const { messages, counters, kernel } = this.world;
    // A message in the dead-letter queue is counted there even when its effect ran (work done, then
    // flagged as failed); its outcome stays processed, so outcomes still add up to the messages.
    const deadLettered = messages.deadLettered[s] === 1;
    if (deadLettered) counters.deadLettered++;
    if (messages.effects[m]! > 0) {
      messages.outcome[m] = Outcome.processed;
      if (deadLettered) counters.deadLetteredProcessed++;
    } else if (deadLettered) {
      messages.outcome[m] = Outcome.deadLettered;
    } else {
      messages.outcome[m] = Outcome.lost;
      const cause = this.lossCause(s);
      messages.cause[m] = cause;
      counters.lost++;
      if (this.world.lossTally !== undefined) this.world.lossTally[cause]!++;
    }
    messages.deactivate(m);
    if (++counters.resolved === messages.count && kernel.now >= this.openUntilMs) kernel.stop();
  }

  private lossCause(s: number): number {
    const messages = this.world.messages;
    const forgot = messages.forgot[s];
    // The user's handler settled its last delivery without an effect: nothing else took it.
    if (messages.deliveryHint[s] === Hint.noEffect) return Loss.handlerNoEffect;
    const hint =
      forgot === Forgot.autoAck || forgot === Forgot.earlyAck ? messages.deliveryHint[s]! : messages.publishHint[s]!;
    switch (forgot) {
      case Forgot.expired:
        return Loss.expired;
      case Forgot.brokerCrash:
        return Loss.brokerCrash;
      case Forgot.deliveryLimit:
        return Loss.deliveryLimit;
      case Forgot.failover:
        return Loss.unreplicatedOnFailover;
      case Forgot.committed: {
        const delivery = messages.deliveryHint[s];
        if (delivery === Hint.failed) return Loss.poisonSkipped;
        if (delivery !== Hint.crashed) return Loss.unknown;
        return this.world.config.consumers.commit === 'auto' ? Loss.autoCommittedAhead : Loss.committedBeforeProcessing;
      }
      case Forgot.autoAck:
        if (hint === Hint.deliverLost) return Loss.deliverLostAfterAutoAck;
        if (hint === Hint.crashed) return Loss.crashAfterAutoAck;
        if (hint === Hint.failed) return Loss.failedAfterAck;
        return Loss.unknown;
      case Forgot.earlyAck:
        if (hint === Hint.crashed) return Loss.crashAfterEarlyAck;
        if (hint === Hint.failed) return Loss.failedAfterAck;
        return Loss.unknown;
      default:
        if (hint === Hint.publishLost) return Loss.publishLost;
        if (hint === Hint.publishRejected) return Loss.publishRejected;
        if (hint === Hint.brokerDown) return Loss.brokerDown;
        if (hint === Hint.producerCrashed) return Loss.crashBeforePublish;
        return Loss.unknown;
    }
  }

  /**
   * Something broke the chain "effect, then ack" of delivery `k` of the message in slot `s`: if that
   * delivery's effect already happened the message will be redelivered for this reason, otherwise it
   * will be once the effect does. The first such reason is the cause of the first duplicate.
   */
  noteBreak(s: number, k: number, cause: number): void {
    const messages = this.world.messages;
    if (messages.lastEffectDelivery[s] === k) {
      if (messages.breakCause[s] === 0) messages.breakCause[s] = cause;
    } else if (messages.pendingDelivery[s] !== k) {
      // The first reason noted for a delivery wins; a later delivery's reason replaces an earlier one's.
      messages.pendingCause[s] = cause;
      messages.pendingDelivery[s] = k;
    }
  }

  /** The effect of delivery `k` (of the stored copy with `ordinal`) of message `m` in slot `s` happened. */
  effect(m: number, s: number, ordinal: number, k: number): void {
    const { messages, counters, kernel } = this.world;
    if (messages.pendingDelivery[s] === k && messages.breakCause[s] === 0) {
      messages.breakCause[s] = messages.pendingCause[s]!;
    }
    // This delivery's visibility ended before its effect: the broker redelivers (or did), and the
    // effect runs again.
    if (k <= messages.expiredUpTo[s]! && messages.breakCause[s] === 0)
      messages.breakCause[s] = messages.expiryCause[s]!;
    const previous = messages.effects[m]!;
    if (previous === 0) {
      this.latencies[counters.processed++] = kernel.now - messages.sentAtMs[s]!;
      messages.firstEffectEntry[s] = ordinal;
      messages.firstEffectDelivery[s] = k;
      this.world.order?.firstEffect(m, s, k);
    } else {
      if (previous === 1) {
        counters.duplicates++;
        messages.cause[m] = this.duplicateCause(s, ordinal, k);
      }
      counters.duplicateEffects++;
    }
    if (previous < MAX_EFFECTS) messages.effects[m] = previous + 1;
    if (this.lastWriter !== undefined) this.lastWriter[m % this.lastWriter.length] = m;
    messages.lastEffectDelivery[s] = k;
  }

  private duplicateCause(s: number, ordinal: number, k: number): number {
    const { messages, config, kernel } = this.world;
    if (config.mode.consumerDedupe) {
      const flags = messages.dedupeFlags[s]!;
      if (flags & DedupeFlag.evicted) return Dup.dedupeEvicted;
      if (flags & DedupeFlag.recordSkipped) return Dup.nonAtomicDedupe;
      const recordedAt = messages.recordedAtMs[s]!;
      const windowMs = config.dedupe.windowMs;
      if (windowMs > 0 && !Number.isNaN(recordedAt) && kernel.now - recordedAt >= windowMs) {
        return Dup.dedupeWindowExpired;
      }
    }
    if (messages.firstEffectEntry[s] !== ordinal) return messages.extraEntryCause[s] || Dup.unknown;
    if (messages.firstEffectDelivery[s] === k) return Dup.deliverDuplicated;
    return messages.breakCause[s] || Dup.unknown;
  }
}
