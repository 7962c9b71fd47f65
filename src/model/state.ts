// Compact state of a run. Every message keeps a few bytes for its outcome; the working state of a message (refs,
// attempts, timers, causes) lives in a pooled "active" slot only while the message is unresolved, so a
// 10-million-message run stays small. Stored copies in the broker are entries, also pooled.
import { rowColumns, type HashesState, type RowColumns, type StateHasher } from '../sim/state-hash.js';
import { columnsOf, EMPTY, FEW_SLOTS, grown } from './columns.js';

/** Final outcome of a message (the `outcome` column). */
export const Outcome = { open: 0, processed: 1, lost: 2, deadLettered: 3 } as const;

/** Producer progress of a message. */
export const ProducerState = { waiting: 0, backingOff: 1, done: 2 } as const;

/** Which broker-side event made the broker forget a message without an ack of its effect. */
export const Forgot = {
  no: 0,
  autoAck: 1,
  earlyAck: 2,
  expired: 3,
  brokerCrash: 4,
  deliveryLimit: 5,
  committed: 6,
  failover: 7,
} as const;

/** What last happened to a copy of a message on its way to the effect. */
export const Hint = {
  none: 0,
  publishLost: 1,
  publishRejected: 2,
  brokerDown: 3,
  deliverLost: 4,
  crashed: 5,
  failed: 6,
  producerCrashed: 7,
  /** The user's handler returned without an effect. */
  noEffect: 8,
} as const;

/** Dedupe flags of an active message. */
export const DedupeFlag = { evicted: 1, recordSkipped: 2 } as const;

const NO_SLOT = -1;

const PER_MESSAGE = new Set(['effects', 'outcome', 'cause', 'slotOf']);

/** Per-message outcome plus a pool of active slots. */
export class MessageTable implements HashesState {
  readonly count: number;
  // Per message (a few bytes each, for the whole run).
  readonly effects: Uint16Array;
  readonly outcome: Uint8Array;
  readonly cause: Uint8Array;
  readonly slotOf: Int32Array;
  // Per active slot.
  private capacity = 0;
  private readonly free: number[] = [];
  refs = EMPTY.u16;
  sentAtMs = EMPTY.f64;
  producerState = EMPTY.u8;
  attempt = EMPTY.i32;
  deadlineMs = EMPTY.f64;
  previousSleepMs = EMPTY.f64;
  deliveryCount = EMPTY.i32;
  publishHint = EMPTY.u8;
  deliveryHint = EMPTY.u8;
  forgot = EMPTY.u8;
  retryCause = EMPTY.u8;
  extraEntryCause = EMPTY.u8;
  lastStoredAttempt = EMPTY.i32;
  storedAtMs = EMPTY.f64;
  entryCount = EMPTY.i32;
  firstEffectEntry = EMPTY.i32;
  firstEffectDelivery = EMPTY.i32;
  lastEffectDelivery = EMPTY.i32;
  breakCause = EMPTY.u8;
  pendingCause = EMPTY.u8;
  pendingDelivery = EMPTY.i32;
  /** The latest delivery the network duplicated (both copies reach the consumer), -1 if none. */
  duplicatedDelivery = EMPTY.i32;
  expiredUpTo = EMPTY.i32;
  expiryCause = EMPTY.u8;
  processing = EMPTY.u8;
  recordedAtMs = EMPTY.f64;
  recordSeq = EMPTY.i32;
  dedupeFlags = EMPTY.u8;
  deadLettered = EMPTY.u8;
  /** Number of active slots in use. */
  active = 0;
  /** The per-slot columns, as hashState folds them (found once per allocation of the columns). */
  private perSlot: RowColumns | undefined;

  constructor(count: number) {
    this.count = count;
    this.effects = new Uint16Array(count);
    this.outcome = new Uint8Array(count);
    this.cause = new Uint8Array(count);
    this.slotOf = new Int32Array(count).fill(NO_SLOT);
    this.grow(64);
  }

  /** Active slot of a message, or -1 once it is resolved (or before it is sent). */
  slot(message: number): number {
    return this.slotOf[message]!;
  }

  /** Gives a newly sent message an active slot with fresh state. */
  activate(message: number, nowMs: number): number {
    if (this.free.length === 0) this.grow(this.capacity * 2);
    const s = this.free.pop()!;
    if (s >= this.refs.length) this.reserve(Math.min(this.capacity, Math.max(FEW_SLOTS, this.refs.length * 2)));
    this.slotOf[message] = s;
    this.refs[s] = 0;
    this.sentAtMs[s] = nowMs;
    this.producerState[s] = ProducerState.waiting;
    this.attempt[s] = 0;
    this.deadlineMs[s] = 0;
    this.previousSleepMs[s] = 0;
    this.deliveryCount[s] = 0;
    this.publishHint[s] = Hint.none;
    this.deliveryHint[s] = Hint.none;
    this.forgot[s] = Forgot.no;
    this.retryCause[s] = 0;
    this.extraEntryCause[s] = 0;
    this.lastStoredAttempt[s] = -1;
    this.storedAtMs[s] = NaN;
    this.entryCount[s] = 0;
    this.firstEffectEntry[s] = -1;
    this.firstEffectDelivery[s] = -1;
    this.lastEffectDelivery[s] = -1;
    this.breakCause[s] = 0;
    this.pendingCause[s] = 0;
    this.pendingDelivery[s] = -1;
    this.duplicatedDelivery[s] = -1;
    this.expiredUpTo[s] = -1;
    this.expiryCause[s] = 0;
    this.processing[s] = 0;
    this.recordedAtMs[s] = NaN;
    this.recordSeq[s] = -1;
    this.dedupeFlags[s] = 0;
    this.deadLettered[s] = 0;
    this.active++;
    return s;
  }

  /** Returns a resolved message's slot to the pool. */
  deactivate(message: number): void {
    const s = this.slotOf[message]!;
    this.slotOf[message] = NO_SLOT;
    this.free.push(s);
    this.active--;
  }

  /** Folds every message's outcome and the working state of the active ones (by message id, not slot). */
  hashState(h: StateHasher): void {
    const perSlot = (this.perSlot ??= rowColumns(columnsOf(this, PER_MESSAGE)));
    h.int(this.active);
    for (let m = 0; m < this.count; m++) {
      h.int(this.effects[m]!);
      h.int(this.outcome[m]!);
      h.int(this.cause[m]!);
      const s = this.slotOf[m]!;
      h.int(s === NO_SLOT ? 0 : 1);
      if (s !== NO_SLOT) h.row(perSlot, s);
    }
  }

  /**
   * Makes slots up to `capacity` free (handed out lowest first). Their columns are allocated only as far
   * as slots are used (`reserve`, doubling from FEW_SLOTS): a simulation of a few messages, as `explore`
   * builds thousands of, allocates a few bytes a column instead of 64 slots; which slot a message gets,
   * and so every run, is the same either way.
   */
  private grow(capacity: number): void {
    for (let s = capacity - 1; s >= this.capacity; s--) this.free.push(s);
    this.capacity = capacity;
  }

  /** Allocates every column for slots below `length`. */
  private reserve(length: number): void {
    const capacity = length;
    this.perSlot = undefined;
    this.refs = grown(this.refs, capacity);
    this.sentAtMs = grown(this.sentAtMs, capacity);
    this.producerState = grown(this.producerState, capacity);
    this.attempt = grown(this.attempt, capacity);
    this.deadlineMs = grown(this.deadlineMs, capacity);
    this.previousSleepMs = grown(this.previousSleepMs, capacity);
    this.deliveryCount = grown(this.deliveryCount, capacity);
    this.publishHint = grown(this.publishHint, capacity);
    this.deliveryHint = grown(this.deliveryHint, capacity);
    this.forgot = grown(this.forgot, capacity);
    this.retryCause = grown(this.retryCause, capacity);
    this.extraEntryCause = grown(this.extraEntryCause, capacity);
    this.lastStoredAttempt = grown(this.lastStoredAttempt, capacity);
    this.storedAtMs = grown(this.storedAtMs, capacity);
    this.entryCount = grown(this.entryCount, capacity);
    this.firstEffectEntry = grown(this.firstEffectEntry, capacity);
    this.firstEffectDelivery = grown(this.firstEffectDelivery, capacity);
    this.lastEffectDelivery = grown(this.lastEffectDelivery, capacity);
    this.breakCause = grown(this.breakCause, capacity);
    this.pendingCause = grown(this.pendingCause, capacity);
    this.pendingDelivery = grown(this.pendingDelivery, capacity);
    this.duplicatedDelivery = grown(this.duplicatedDelivery, capacity);
    this.expiredUpTo = grown(this.expiredUpTo, capacity);
    this.expiryCause = grown(this.expiryCause, capacity);
    this.processing = grown(this.processing, capacity);
    this.recordedAtMs = grown(this.recordedAtMs, capacity);
    this.recordSeq = grown(this.recordSeq, capacity);
    this.dedupeFlags = grown(this.dedupeFlags, capacity);
    this.deadLettered = grown(this.deadLettered, capacity);
  }
}
