// The queue broker's stored copies of messages (entries), pooled as the messages' active slots are (state.ts):
// where each is (in line, out to a consumer, backing off, in the dead-letter queue) and its deliveries.
import { rowColumns, type HashesState, type RowColumns, type StateHasher } from '../sim/state-hash.js';
import { columnsOf, EMPTY, FEW_SLOTS, grown } from './columns.js';

const NONE = new Set<string>();

/** State of a stored copy in the queue broker. */
export const EntryState = { free: 0, queued: 1, inFlight: 2, backingOff: 3, deadLettered: 4 } as const;

/** Pool of broker entries (stored copies of messages). */
export class EntryTable implements HashesState {
  private capacity = 0;
  private readonly free: number[] = [];
  message = EMPTY.i32;
  ordinal = EMPTY.i32;
  state = EMPTY.u8;
  queueToken = EMPTY.i32;
  deliveries = EMPTY.i32;
  lastDelivery = EMPTY.i32;
  /** The message's delivery count at this copy's first delivery (again after a redrive): older acks are not its. */
  firstDelivery = EMPTY.i32;
  /** The consumer of the latest delivery, and its channel (incarnation) then. */
  consumer = EMPTY.i32;
  channel = EMPTY.i32;
  storedAtMs = EMPTY.f64;
  /** 1 once a redrive brought the entry back from the dead-letter queue (its deliveries count from zero again). */
  redriven = EMPTY.u8;
  /** Entries currently stored. */
  stored = 0;
  /** The columns, as hashState folds them (found once per allocation of the columns). */
  private columns: RowColumns | undefined;

  constructor(initialCapacity: number) {
    this.grow(Math.max(64, initialCapacity));
  }

  /** Takes a free entry for `message`. */
  allocate(message: number, ordinal: number, nowMs: number): number {
    if (this.free.length === 0) this.grow(this.capacity * 2);
    const e = this.free.pop()!;
    if (e >= this.message.length) this.reserve(Math.min(this.capacity, Math.max(FEW_SLOTS, this.message.length * 2)));
    this.message[e] = message;
    this.ordinal[e] = ordinal;
    this.state[e] = EntryState.queued;
    this.deliveries[e] = 0;
    this.lastDelivery[e] = -1;
    this.storedAtMs[e] = nowMs;
    this.redriven[e] = 0;
    this.stored++;
    return e;
  }

  /** Returns an entry to the pool. */
  release(e: number): void {
    this.state[e] = EntryState.free;
    this.message[e] = -1;
    this.free.push(e);
    this.stored--;
  }

  /** How many stored entries are in each state: queued, in flight, backing off (or delayed), dead-lettered. */
  countStates(): [number, number, number, number] {
    const counts: [number, number, number, number] = [0, 0, 0, 0];
    for (let e = 0; e < this.state.length; e++) if (this.state[e] !== EntryState.free) counts[this.state[e]! - 1]!++;
    return counts;
  }

  /** Folds the stored entries and the order free ones will be handed out (entry numbers are in events). */
  hashState(h: StateHasher): void {
    const columns = (this.columns ??= rowColumns(columnsOf(this, NONE)));
    h.int(this.stored);
    for (let e = 0; e < this.state.length; e++)
      if (this.state[e] !== EntryState.free) {
        h.int(e);
        h.row(columns, e);
      }
    h.column(this.free);
  }

  /** Makes entries up to `capacity` free (lowest first); their columns are allocated as used (see MessageTable). */
  private grow(capacity: number): void {
    for (let e = capacity - 1; e >= this.capacity; e--) this.free.push(e);
    this.capacity = capacity;
  }

  /** Allocates every column for entries below `length`; a free entry's message is -1. */
  private reserve(length: number): void {
    const capacity = length;
    const allocated = this.message.length;
    this.columns = undefined;
    this.message = grown(this.message, capacity);
    this.ordinal = grown(this.ordinal, capacity);
    this.state = grown(this.state, capacity);
    this.queueToken = grown(this.queueToken, capacity);
    this.deliveries = grown(this.deliveries, capacity);
    this.lastDelivery = grown(this.lastDelivery, capacity);
    this.firstDelivery = grown(this.firstDelivery, capacity);
    this.consumer = grown(this.consumer, capacity);
    this.channel = grown(this.channel, capacity);
    this.storedAtMs = grown(this.storedAtMs, capacity);
    this.redriven = grown(this.redriven, capacity);
    this.message.fill(-1, allocated);
  }
}
