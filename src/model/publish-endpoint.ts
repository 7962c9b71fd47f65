// The publish side every broker shares: a publish that reaches a broker that is down is dropped,
// throttled publishes are rejected, an idempotent publish of a remembered id is confirmed and dropped,
// anything else is stored (by the broker: a queue entry, or a record in a log) and confirmed.
import { Dup } from './causes.js';
import type { Ledger } from './ledger.js';
import { Link, type Network } from './network.js';
import { OUT_OF_SEQUENCE, REJECTED } from './producer.js';
import { Hint, ProducerState } from './state.js';
import { Ev, type World } from './world.js';

/** The publish side of a broker; subclasses store what is accepted. */
export abstract class PublishEndpoint {
  /** False while the broker is down. */
  protected up = true;
  /** When a non-durable broker last lost everything (publish dedupe forgets what it held). */
  protected lastWipeMs = -Infinity;
  private publishSecond = -1;
  private publishesThisSecond = 0;
  private acceptedThisSecond = 0;
  /** Per ordering key (the queue, or a partition): the newest message id stored so far. */
  private readonly newestStored: number[] = [];

  constructor(
    protected readonly world: World,
    protected readonly network: Network,
    protected readonly ledger: Ledger,
  ) {
    world.kernel.on(Ev.publishArrive, (m, attempt, _c, _d, _e, copy) => this.onPublish(m, attempt, copy));
  }

  /** Stores an accepted publish of message `m` (active slot `s`); `noteStored` does the bookkeeping. */
  protected abstract store(m: number, s: number, attempt: number): void;

  /** Hands what was stored to consumers (queue) or lets them fetch it (log). */
  abstract pump(): void;

  /** The publish side's own state, for exploration's state hash. */
  protected hashPublishState(): number[] {
    return [
      this.up ? 1 : 0,
      this.lastWipeMs,
      this.publishSecond,
      this.publishesThisSecond,
      this.acceptedThisSecond,
      ...this.newestStored,
    ];
  }

  /** Whether the broker takes message m now (a log checks an idempotent producer's sequence numbers). */
  protected inSequence(_m: number): boolean {
    return true;
  }

  /** What stored order is kept within: the whole queue (0), or a log's partition. */
  protected orderKey(_m: number): number {
    return 0;
  }

  private onPublish(m: number, attempt: number, copy: number): void {
    const { messages, counters, faults, kernel, config } = this.world;
    const s = messages.slot(m);
    if (!this.up) {
      faults.droppedAtDownBroker++;
      this.world.tracer?.brokerPublish('drop', m, attempt, 'broker down');
      this.ledger.publishHint(s, Hint.brokerDown);
      this.ledger.release(m, s);
      return;
    }
    this.countPublish(kernel.now);
    const limit = config.broker.maxPublishPerSec;
    if (limit > 0 && this.acceptedThisSecond >= limit) {
      faults.publishRejected++;
      this.world.tracer?.brokerPublish('reject', m, attempt, 'throttled');
      this.ledger.publishHint(s, Hint.publishRejected);
      this.confirm(m, s, attempt, copy, REJECTED);
      this.ledger.release(m, s);
      return;
    }
    this.acceptedThisSecond++;
    if (this.dedupesPublish() && this.remembersPublish(s, kernel.now)) {
      counters.suppressedDuplicates++;
      this.world.tracer?.brokerPublish('dedupe', m, attempt, 'idempotent publish');
      this.confirmDuplicate(m, s, attempt, copy);
      this.ledger.release(m, s);
      return;
    }
    if (!this.inSequence(m)) {
      // An idempotent producer's message sent after one the partition has not stored yet: the
      // producer sends it again once the earlier one is confirmed.
      faults.outOfSequence++;
      this.world.tracer?.brokerPublish('reject', m, attempt, 'out of sequence');
      this.ledger.publishHint(s, Hint.publishRejected);
      this.confirm(m, s, attempt, copy, OUT_OF_SEQUENCE);
      this.ledger.release(m, s);
      return;
    }
    this.store(m, s, attempt);
    this.confirmStored(m, s, attempt, copy);
    this.ledger.release(m, s);
    this.pump();
  }

  private countPublish(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.publishSecond) {
      this.publishSecond = second;
      this.publishesThisSecond = 0;
      this.acceptedThisSecond = 0;
    }
    if (++this.publishesThisSecond > this.world.counters.peakPublishPerSec) {
      this.world.counters.peakPublishPerSec = this.publishesThisSecond;
    }
  }

  /** Confirms a publish of a copy the broker already holds (a log broker may wait for its replication). */
  protected confirmDuplicate(m: number, s: number, attempt: number, copy: number): void {
    this.confirm(m, s, attempt, copy, 0);
  }

  /** The mode asks for idempotent publish and the broker has publish dedupe. */
  protected dedupesPublish(): boolean {
    const config = this.world.config;
    return config.mode.idempotentPublish && config.broker.publishDedupe;
  }

  private remembersPublish(s: number, nowMs: number): boolean {
    const storedAt = this.world.messages.storedAtMs[s]!;
    if (Number.isNaN(storedAt) || storedAt < this.lastWipeMs) return false;
    const windowMs = this.world.config.broker.publishDedupeWindowMs;
    return windowMs === 0 || nowMs - storedAt < windowMs;
  }

  /**
   * Writes down a copy the broker really stores (why it is an extra copy, when the dedupe window
   * restarts), traces it and holds a ledger reference for it. Returns the copy's ordinal.
   */
  protected noteStored(m: number, s: number, attempt: number): number {
    const { messages, kernel } = this.world;
    const ordinal = messages.entryCount[s]!;
    messages.entryCount[s] = ordinal + 1;
    if (ordinal > 0 && messages.extraEntryCause[s] === 0) {
      const storedAt = messages.storedAtMs[s]!;
      messages.extraEntryCause[s] =
        messages.lastStoredAttempt[s] === attempt
          ? Dup.publishDuplicated
          : this.dedupesPublish() && !Number.isNaN(storedAt) && storedAt >= this.lastWipeMs
            ? Dup.publishDedupeWindowExpired
            : messages.retryCause[s] || Dup.confirmTimeout;
    }
    // A first copy stored after a message sent later: consumers will see them out of order.
    if (ordinal === 0) {
      const key = this.orderKey(m);
      if (m < (this.newestStored[key] ?? -1)) this.world.counters.reordered++;
      else this.newestStored[key] = m;
      this.world.order?.stored(m);
    }
    // Each copy the broker really stores starts a new publish-dedupe window (SQS FIFO).
    messages.storedAtMs[s] = kernel.now;
    messages.lastStoredAttempt[s] = attempt;
    this.world.tracer?.brokerPublish('store', m, attempt, ordinal > 0 ? `copy ${ordinal + 1}` : undefined);
    this.ledger.hold(m, s);
    return ordinal;
  }

  /** Confirms a publish just stored (a log with acks=all waits for replication first). */
  protected confirmStored(m: number, s: number, attempt: number, copy: number): void {
    this.confirm(m, s, attempt, copy, 0);
  }

  protected confirm(m: number, s: number, attempt: number, copy: number, rejected: number): void {
    const { messages, kernel } = this.world;
    // acks=0: the broker sends nothing back.
    if (this.world.config.producer.acks === 0) return;
    this.world.tracer?.confirm(rejected ? 'reject' : 'confirm', m, attempt);
    const copies = this.network.confirm(m, attempt, copy, rejected);
    if (rejected || !this.world.config.mode.publishRetry || messages.retryCause[s] !== 0) return;
    if (messages.producerState[s] === ProducerState.done) return;
    // The producer will retry (and store the message again) if this confirm never arrives in time.
    if (copies === 0) {
      messages.retryCause[s] = Dup.confirmLost;
      return;
    }
    const arrival = kernel.now + this.network.latency(Link.confirm, m, attempt, copy, 0);
    const waitingOnThis = messages.producerState[s] === ProducerState.waiting && messages.attempt[s] === attempt;
    if (!waitingOnThis || arrival >= messages.deadlineMs[s]!) messages.retryCause[s] = Dup.confirmTimeout;
  }
}
