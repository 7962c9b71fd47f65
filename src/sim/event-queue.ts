// A binary min-heap of events ordered by (time, insertion sequence), stored as parallel typed arrays
// so a million queued events cost a few tens of bytes each and no garbage.
import type { StateHasher } from './state-hash.js';

/** Number of integer payload fields every event carries. */
export const PAYLOAD_FIELDS = 6;

/** Priority queue of events; ties in time pop in insertion order, which keeps every run repeatable. */
export class EventQueue {
  private capacity: number;
  private times: Float64Array;
  private seqs: Float64Array;
  private kinds: Uint8Array;
  private payloads: Int32Array;
  private heap: Int32Array;
  private freeSlots: Int32Array;
  private freeCount: number;
  private nextSeq = 0;
  /** Number of queued events. */
  size = 0;

  constructor(initialCapacity = 1024) {
    this.capacity = Math.max(16, initialCapacity);
    this.times = new Float64Array(this.capacity);
    this.seqs = new Float64Array(this.capacity);
    this.kinds = new Uint8Array(this.capacity);
    this.payloads = new Int32Array(this.capacity * PAYLOAD_FIELDS);
    this.heap = new Int32Array(this.capacity);
    this.freeSlots = new Int32Array(this.capacity);
    for (let i = 0; i < this.capacity; i++) this.freeSlots[i] = this.capacity - 1 - i;
    this.freeCount = this.capacity;
  }

  /** Queues an event; returns nothing, since events are cancelled by the model checking its own state. */
  push(time: number, kind: number, a: number, b: number, c: number, d: number, e: number, f: number): void {
    if (this.freeCount === 0) this.grow();
    const slot = this.freeSlots[--this.freeCount]!;
    this.times[slot] = time;
    this.seqs[slot] = this.nextSeq++;
    this.kinds[slot] = kind;
    const p = slot * PAYLOAD_FIELDS;
    this.payloads[p] = a;
    this.payloads[p + 1] = b;
    this.payloads[p + 2] = c;
    this.payloads[p + 3] = d;
    this.payloads[p + 4] = e;
    this.payloads[p + 5] = f;
    this.siftUp(this.size++, slot);
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.size === 0 ? Infinity : this.times[this.heap[0]!]!;
  }

  /**
   * Removes the earliest event and copies it into `out` as [time, kind, a, b, c, d, e, f].
   * Returns false when the queue is empty.
   */
  pop(out: Float64Array): boolean {
    if (this.size === 0) return false;
    const slot = this.heap[0]!;
    out[0] = this.times[slot]!;
    out[1] = this.kinds[slot]!;
    const p = slot * PAYLOAD_FIELDS;
    out[2] = this.payloads[p]!;
    out[3] = this.payloads[p + 1]!;
    out[4] = this.payloads[p + 2]!;
    out[5] = this.payloads[p + 3]!;
    out[6] = this.payloads[p + 4]!;
    out[7] = this.payloads[p + 5]!;
    this.freeSlots[this.freeCount++] = slot;
    const last = this.heap[--this.size]!;
    if (this.size > 0) this.siftDown(0, last);
    return true;
  }

  /** Folds the queued events in the order they will pop (sequence numbers only order them). */
  hashState(h: StateHasher): void {
    const slots = Array.from(this.heap.subarray(0, this.size)).sort((x, y) => (this.before(x, y) ? -1 : 1));
    h.int(this.size);
    for (const slot of slots) {
      h.num(this.times[slot]!);
      h.int(this.kinds[slot]!);
      h.column(this.payloads.subarray(slot * PAYLOAD_FIELDS, (slot + 1) * PAYLOAD_FIELDS));
    }
  }

  private before(x: number, y: number): boolean {
    const tx = this.times[x]!;
    const ty = this.times[y]!;
    return tx < ty || (tx === ty && this.seqs[x]! < this.seqs[y]!);
  }

  private siftUp(index: number, slot: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentSlot = this.heap[parent]!;
      if (!this.before(slot, parentSlot)) break;
      this.heap[i] = parentSlot;
      i = parent;
    }
    this.heap[i] = slot;
  }

  private siftDown(index: number, slot: number): void {
    let i = index;
    const half = this.size >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      let childSlot = this.heap[child]!;
      const right = child + 1;
      if (right < this.size) {
        const rightSlot = this.heap[right]!;
        if (this.before(rightSlot, childSlot)) {
          child = right;
          childSlot = rightSlot;
        }
      }
      if (!this.before(childSlot, slot)) break;
      this.heap[i] = childSlot;
      i = child;
    }
    this.heap[i] = slot;
  }

  private grow(): void {
    const old = this.capacity;
    const next = old * 2;
    this.times = resize(this.times, next);
    this.seqs = resize(this.seqs, next);
    this.kinds = resize(this.kinds, next);
    this.payloads = resize(this.payloads, next * PAYLOAD_FIELDS);
    this.heap = resize(this.heap, next);
    this.freeSlots = resize(this.freeSlots, next);
    for (let i = 0; i < next - old; i++) this.freeSlots[this.freeCount++] = next - 1 - i;
    this.capacity = next;
  }
}

type TypedArray = Float64Array | Int32Array | Uint8Array | Uint16Array | Float32Array | Int16Array;

/** Returns a copy of `array` with room for `length` elements (new elements zero). */
export function resize<T extends TypedArray>(array: T, length: number): T {
  const Constructor = array.constructor as new (length: number) => T;
  const next = new Constructor(length);
  next.set(array.subarray(0, Math.min(array.length, length)));
  return next;
}
