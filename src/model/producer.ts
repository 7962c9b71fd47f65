// The producer: sends messages 0..n-1 at the configured rate, waits for the broker's confirm, and
// retries by its policy. In modes without publish retries it sends once and forgets.
import { Site } from '../sim/choice.js';
import type { RetryConfig } from './config.js';
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import { Dup } from './causes.js';
import { IntRing } from './int-ring.js';
import { partitionOf } from './keys.js';
import { Hint, ProducerState } from './state.js';
import type { Ledger } from './ledger.js';
import type { Network } from './network.js';
import type { SequenceBook } from './sequence-book.js';
import { Ev, type World } from './world.js';

/** Confirm payload flag: the broker rejected the publish (throttled). */
export const REJECTED = 1;
/** Confirm payload flag: the log rejected the publish, an earlier one of its partition is not stored yet. */
export const OUT_OF_SEQUENCE = 2;

/** Publishes messages and handles confirms, timeouts and retries. */
export class Producer implements HashesState {
  private readonly intervalMs: number;
  private readonly retries: boolean;

  constructor(
    private readonly world: World,
    private readonly network: Network,
    private readonly ledger: Ledger,
    private readonly sequences?: SequenceBook,
  ) {
    const { producer, mode } = world.config;
    this.intervalMs = 1000 / producer.ratePerSec;
    // acks=0: no confirm ever comes back, so there is nothing to retry on.
    this.retries = mode.publishRetry && producer.acks !== 0;
    const kernel = world.kernel;
    kernel.on(Ev.produce, (m) => this.produce(m));
    kernel.on(Ev.confirmArrive, (m, attempt, rejected) => this.onConfirm(m, attempt, rejected));
    kernel.on(Ev.confirmTimeout, (m, attempt) => this.onTimeout(m, attempt));
    kernel.on(Ev.retry, (m, attempt) => this.onRetry(m, attempt));
    kernel.on(Ev.outboxRelay, (m, attempt) => this.onOutboxRelay(m, attempt));
    const p = producer.crash.probability;
    this.crashOutcomes = [1 - p, p];
    this.parked = sequences === undefined ? [] : IntRing.many(world.config.broker.partitions, 2, 16);
  }

  private readonly crashOutcomes: readonly number[];
  /** Messages sent and not yet done, and those waiting for room (maxInFlight). */
  private inFlight = 0;
  private readonly waiting = new IntRing(1, 16);
  /** Per partition of a log with sequence numbers: messages rejected as out of sequence, [message, attempt]. */
  private readonly parked: IntRing[];

  hashState(h: StateHasher): void {
    h.int(this.inFlight);
    this.waiting.hashState(h);
    for (const ring of this.parked) ring.hashState(h);
  }

  /** Sends a new message now, or once fewer than maxInFlight are unconfirmed. */
  private admit(m: number, s: number): void {
    const max = this.world.config.producer.maxInFlight;
    if (!this.retries || max === 0) {
      this.send(m, s, 0);
      return;
    }
    if (this.inFlight >= max) {
      this.waiting.push(m);
      return;
    }
    this.inFlight++;
    this.send(m, s, 0);
  }

  /** A message is done (confirmed or given up): room for the next one waiting. */
  private finished(): void {
    const max = this.world.config.producer.maxInFlight;
    if (!this.retries || max === 0) return;
    this.inFlight--;
    while (this.waiting.length > 0 && this.inFlight < max) {
      const m = this.waiting.peek(0);
      this.waiting.shift();
      this.inFlight++;
      this.send(m, this.world.messages.slot(m), 0);
    }
  }

  /** Whether the application (copy 0) or the outbox relay (copy 1) crashes around message m's publish. */
  private crashes(m: number, which: number): boolean {
    if (
      this.crashOutcomes[1] === 0 ||
      this.world.choices.pick(Site.producerCrash, m, which, 0, this.crashOutcomes) !== 1
    )
      return false;
    this.world.faults.producerCrashes++;
    return true;
  }

  /** The outbox relay publishes (or publishes again) a row. */
  private onOutboxRelay(m: number, attempt: number): void {
    const messages = this.world.messages;
    const s = messages.slot(m);
    this.world.tracer?.producer('relay', m, attempt, 'outbox');
    if (attempt === 0) {
      this.admit(m, s);
      return;
    }
    // A republish after the relay's crash: a second copy of an attempt that may already be stored.
    messages.retryCause[s] = Dup.outboxRepublish;
    this.world.counters.publishAttempts++;
    this.world.counters.publishRetries++;
    const copies = this.network.publish(m, attempt);
    for (let i = 0; i < copies; i++) this.ledger.hold(m, s);
    this.ledger.release(m, s);
  }

  /** Schedules the first message. */
  start(): void {
    if (this.world.config.messages > 0) this.world.kernel.at(0, Ev.produce, 0);
  }

  private arrivalGap(m: number): number {
    if (this.world.config.producer.arrivals === 'constant') return this.intervalMs;
    return -this.intervalMs * Math.log(1 - this.world.choices.uniform(Site.arrival, m, 0, 0));
  }

  private produce(m: number): void {
    const { messages, counters, kernel, config } = this.world;
    const s = messages.activate(m, kernel.now);
    counters.produced++;
    this.ledger.hold(m, s);
    const next = m + 1;
    if (next < config.messages) {
      if (config.producer.arrivals === 'constant') kernel.at(next * this.intervalMs, Ev.produce, next);
      else kernel.after(this.arrivalGap(next), Ev.produce, next);
    }
    const { outbox, crash } = config.producer;
    if (this.crashes(m, 0)) {
      this.world.tracer?.producer('crash', m, undefined, 'after its state, before the publish');
      if (!outbox) {
        // The state change is committed; the message it should announce never leaves.
        this.ledger.publishHint(s, Hint.producerCrashed);
        messages.producerState[s] = ProducerState.done;
        this.ledger.release(m, s);
        return;
      }
      // The outbox row committed with the state: the relay publishes it once the application is back.
      kernel.after(crash.restartMs, Ev.outboxRelay, m, 0);
      return;
    }
    this.admit(m, s);
  }

  private send(m: number, s: number, attempt: number): void {
    const { messages, counters, kernel, config } = this.world;
    counters.publishAttempts++;
    if (attempt > 0) counters.publishRetries++;
    this.world.tracer?.publish(attempt > 0 ? 'retry' : 'publish', m, attempt);
    messages.attempt[s] = attempt;
    if (attempt === 0) this.sequences?.sent(m);
    const copies = this.network.publish(m, attempt);
    for (let i = 0; i < copies; i++) this.ledger.hold(m, s);
    if (copies === 0) this.ledger.publishHint(s, Hint.publishLost);
    if (config.producer.outbox && attempt === 0 && this.crashes(m, 1)) {
      // The relay published the row but crashed before marking it sent: it will publish it again.
      this.world.tracer?.producer('crash', m, undefined, 'outbox relay, before marking the row sent');
      this.ledger.hold(m, s);
      kernel.after(config.producer.crash.restartMs, Ev.outboxRelay, m, 1_000_000);
    }
    if (this.retries) {
      messages.producerState[s] = ProducerState.waiting;
      messages.deadlineMs[s] = kernel.now + config.producer.confirmTimeoutMs;
      kernel.after(config.producer.confirmTimeoutMs, Ev.confirmTimeout, m, attempt);
    } else {
      // Fire-and-forget: the producer lets go of the message once it is on the wire.
      messages.producerState[s] = ProducerState.done;
      this.ledger.release(m, s);
    }
  }

  private onConfirm(m: number, attempt: number, rejected: number): void {
    const messages = this.world.messages;
    const s = messages.slot(m);
    if (s < 0 || !this.retries || messages.producerState[s] === ProducerState.done) return;
    if (rejected === OUT_OF_SEQUENCE) {
      // Sent again as soon as a message ahead of it is confirmed (or at its request timeout).
      if (messages.producerState[s] === ProducerState.waiting && messages.attempt[s] === attempt)
        this.parked[partitionOf(this.world.keys, m, this.parked.length)]!.push(m, attempt);
      return;
    }
    if (rejected === REJECTED) {
      if (messages.producerState[s] === ProducerState.waiting && messages.attempt[s] === attempt) {
        this.ledger.publishHint(s, Hint.publishRejected);
        this.retryOrGiveUp(m, s);
      }
      return;
    }
    messages.producerState[s] = ProducerState.done;
    this.world.tracer?.producer('confirmed', m, attempt);
    this.ledger.release(m, s);
    this.resendParked(m);
    this.finished();
  }

  /** Message m is confirmed: the messages of its partition rejected as out of sequence go again. */
  private resendParked(m: number): void {
    if (this.parked.length === 0) return;
    const ring = this.parked[partitionOf(this.world.keys, m, this.parked.length)]!;
    const messages = this.world.messages;
    const { maxAttempts } = this.world.config.producer.retry;
    for (let n = ring.length; n > 0; n--) {
      const parked = ring.peek(0);
      const attempt = ring.peek(1);
      ring.shift();
      const s = messages.slot(parked);
      // Skip what was since confirmed, retried by its timeout, or given up.
      if (s < 0 || messages.producerState[s] !== ProducerState.waiting || messages.attempt[s] !== attempt) continue;
      if (maxAttempts === 0 || attempt + 1 < maxAttempts) this.send(parked, s, attempt + 1);
    }
  }

  private onTimeout(m: number, attempt: number): void {
    const messages = this.world.messages;
    const s = messages.slot(m);
    if (s < 0 || messages.producerState[s] !== ProducerState.waiting || messages.attempt[s] !== attempt) return;
    this.world.tracer?.producer('confirm timeout', m, attempt);
    this.retryOrGiveUp(m, s);
  }

  private retryOrGiveUp(m: number, s: number): void {
    const messages = this.world.messages;
    const { maxAttempts } = this.world.config.producer.retry;
    const attempt = messages.attempt[s]!;
    if (maxAttempts === 0 || attempt + 1 < maxAttempts) {
      messages.producerState[s] = ProducerState.backingOff;
      this.world.kernel.after(this.backoffMs(m, s, attempt), Ev.retry, m, attempt + 1);
    } else {
      messages.producerState[s] = ProducerState.done;
      this.world.tracer?.producer('give up', m, attempt);
      this.ledger.release(m, s);
      this.finished();
    }
  }

  private onRetry(m: number, attempt: number): void {
    const messages = this.world.messages;
    const s = messages.slot(m);
    if (s < 0 || messages.producerState[s] !== ProducerState.backingOff) return;
    this.send(m, s, attempt);
  }

  private backoffMs(m: number, s: number, retry: number): number {
    const policy = this.world.config.producer.retry;
    const u = policy.jitter === 'none' ? 0 : this.world.choices.uniform(Site.jitter, m, retry, 0);
    const messages = this.world.messages;
    const sleep = backoffDelay(policy, retry, u, retry === 0 ? policy.baseMs : messages.previousSleepMs[s]!);
    messages.previousSleepMs[s] = sleep;
    return sleep;
  }
}

/**
 * Delay before retry number `retry` + 1 (0-based), by the AWS "Exponential Backoff and Jitter"
 * formulas; `u` is a uniform draw in [0, 1) and `previousMs` the last decorrelated sleep.
 */
export function backoffDelay(policy: RetryConfig, retry: number, u: number, previousMs: number): number {
  const { backoff, baseMs, maxMs, jitter } = policy;
  if (jitter === 'decorrelated') return Math.min(maxMs, baseMs + u * (previousMs * 3 - baseMs));
  const ceiling = backoff === 'fixed' ? Math.min(maxMs, baseMs) : Math.min(maxMs, baseMs * 2 ** retry);
  if (jitter === 'full') return u * ceiling;
  if (jitter === 'equal') return ceiling / 2 + (u * ceiling) / 2;
  return ceiling;
}
