// What each queue consumer holds: the deliveries received while its slots were busy (its buffer), and
// the one each of its `concurrency` processing slots works on, in columns (no per-delivery objects).
import { rowColumns, type RowColumns, type StateHasher } from '../sim/state-hash.js';
import { IntRing } from './int-ring.js';
import type { Delivery } from './processing.js';

/** Every consumer's buffer and processing slots (consumer `c` owns slots c * concurrency up to the next one's). */
export class ConsumerWork {
  /** Per consumer: [entry, message, delivery, ordinal * 2 + copy, channel] of each delivery waiting for a slot. */
  private readonly buffers: IntRing[];
  /** 1 while the slot works on a delivery. */
  readonly busy: Uint8Array;
  private readonly workEntry: Int32Array;
  private readonly workMessage: Int32Array;
  private readonly workDelivery: Int32Array;
  private readonly workOrdinal: Int32Array;
  private readonly workCopy: Uint8Array;
  private readonly workChannel: Int32Array;
  /** The work columns, for hashState (they are never replaced). */
  private work: RowColumns | undefined;

  constructor(
    consumers: number,
    /** Slots per consumer. */
    readonly concurrency: number,
  ) {
    this.buffers = IntRing.many(consumers, 5, 4);
    const slots = consumers * concurrency;
    this.busy = new Uint8Array(slots);
    this.workEntry = new Int32Array(slots);
    this.workMessage = new Int32Array(slots);
    this.workDelivery = new Int32Array(slots);
    this.workOrdinal = new Int32Array(slots);
    this.workCopy = new Uint8Array(slots);
    this.workChannel = new Int32Array(slots);
  }

  /** The buffers, then the rows of the busy slots (what an idle slot last worked on is stale). */
  hashState(h: StateHasher): void {
    for (const buffer of this.buffers) buffer.hashState(h);
    const work = (this.work ??= rowColumns([
      this.workEntry,
      this.workMessage,
      this.workDelivery,
      this.workOrdinal,
      this.workCopy,
      this.workChannel,
    ]));
    for (let slot = 0; slot < this.busy.length; slot++) if (this.busy[slot] === 1) h.row(work, slot);
  }

  /** Delivery `d` waits in its consumer's buffer for a slot. */
  buffer(d: Delivery): void {
    this.buffers[d.consumer]!.push(d.entry, d.message, d.delivery, d.ordinal * 2 + d.copy, d.channel);
  }

  /** Takes consumer `c`'s oldest buffered delivery into `d` (all but its message slot); false if none. */
  unbuffer(c: number, d: Delivery): boolean {
    const buffer = this.buffers[c]!;
    if (buffer.length === 0) return false;
    d.consumer = c;
    d.entry = buffer.peek(0);
    d.message = buffer.peek(1);
    d.delivery = buffer.peek(2);
    d.ordinal = buffer.peek(3) >> 1;
    d.copy = buffer.peek(3) & 1;
    d.channel = buffer.peek(4);
    buffer.shift();
    return true;
  }

  /** Drops consumer `c`'s oldest buffered delivery; returns its message, or -1 when the buffer is empty. */
  dropBuffered(c: number): number {
    const buffer = this.buffers[c]!;
    if (buffer.length === 0) return -1;
    const m = buffer.peek(1);
    buffer.shift();
    return m;
  }

  /** An idle slot of consumer `c`, or -1. */
  free(c: number): number {
    const base = c * this.concurrency;
    for (let i = 0; i < this.concurrency; i++) if (this.busy[base + i] === 0) return base + i;
    return -1;
  }

  /** Slot `slot` starts on delivery `d`. */
  occupy(slot: number, d: Delivery): void {
    this.busy[slot] = 1;
    this.workEntry[slot] = d.entry;
    this.workMessage[slot] = d.message;
    this.workDelivery[slot] = d.delivery;
    this.workOrdinal[slot] = d.ordinal;
    this.workCopy[slot] = d.copy;
    this.workChannel[slot] = d.channel;
  }

  /** Slot `slot` is done: it goes idle and `d` gets what it worked on (all but the consumer and message slot). */
  vacate(slot: number, d: Delivery): void {
    this.busy[slot] = 0;
    d.entry = this.workEntry[slot]!;
    d.message = this.workMessage[slot]!;
    d.delivery = this.workDelivery[slot]!;
    d.ordinal = this.workOrdinal[slot]!;
    d.copy = this.workCopy[slot]!;
    d.channel = this.workChannel[slot]!;
  }

  /** Whether consumer `c` processes copy `copy` of delivery `k` of `m` (or, `buffered`, holds it in its buffer). */
  holds(c: number, m: number, k: number, copy: number, buffered: boolean): boolean {
    const base = c * this.concurrency;
    for (let slot = base; slot < base + this.concurrency; slot++) {
      if (this.busy[slot] === 1 && this.workMessage[slot] === m && this.workDelivery[slot] === k)
        if (this.workCopy[slot] === copy) return true;
    }
    if (!buffered) return false;
    const buffer = this.buffers[c]!;
    for (let i = 0; i < buffer.length; i++) {
      if (buffer.at(i, 1) === m && buffer.at(i, 2) === k && (buffer.at(i, 3) & 1) === copy) return true;
    }
    return false;
  }

  /** Slot `slot`'s consumer crashed: the slot goes idle; returns the message it was working on, or -1 if none. */
  abandon(slot: number): number {
    if (this.busy[slot] === 0) return -1;
    this.busy[slot] = 0;
    return this.workMessage[slot]!;
  }
}
