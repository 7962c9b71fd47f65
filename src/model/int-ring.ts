// A growable FIFO of fixed-width integer tuples, stored in one Int32Array (no per-item objects).
import type { StateHasher } from '../sim/state-hash.js';
import { listOf } from './columns.js';

/** What a ring reads before its first push: zeros, as a fresh array would give (never written: a push grows first). */
const UNALLOCATED = new Int32Array(6 * 8);

/** FIFO of `width`-integer tuples. */
export class IntRing {
  private data = UNALLOCATED;
  /** Tuples the data has room for: 0 until the first push allocates it. */
  private capacity = 0;
  private head = 0;
  /** Number of tuples queued. */
  length = 0;

  /**
   * `initialTuples`: the most tuples room is made for at the first push; a ring starts with room for at most 8
   * and doubles as it fills (explore builds thousands of simulations of a few messages, most of whose rings are
   * never used; the order is the same).
   */
  constructor(
    private readonly width: number,
    private readonly initialTuples = 16,
  ) {}

  /** `n` empty rings of this shape (built in a loop: Array.from({ length: n }) takes V8's slow array-like path). */
  static many(n: number, width: number, initialTuples?: number): IntRing[] {
    return listOf(n, () => new IntRing(width, initialTuples));
  }

  /** Appends a tuple (pass as many values as the width). */
  push(a: number, b = 0, c = 0, d = 0, e = 0, f = 0): void {
    if (this.length === this.capacity) this.grow();
    const at = ((this.head + this.length) % this.capacity) * this.width;
    const data = this.data;
    data[at] = a;
    if (this.width > 1) data[at + 1] = b;
    if (this.width > 2) data[at + 2] = c;
    if (this.width > 3) data[at + 3] = d;
    if (this.width > 4) data[at + 4] = e;
    if (this.width > 5) data[at + 5] = f;
    this.length++;
  }

  /** Field `field` of the oldest tuple. */
  peek(field: number): number {
    return this.data[this.head * this.width + field]!;
  }

  /** Field `field` of the tuple `index` places after the oldest. */
  at(index: number, field: number): number {
    return this.data[((this.head + index) % this.capacity) * this.width + field]!;
  }

  /** Drops the oldest tuple. */
  shift(): void {
    this.head = (this.head + 1) % this.capacity;
    this.length--;
  }

  /** Empties the ring. */
  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  /** Folds the queued tuples, oldest first. */
  hashState(h: StateHasher): void {
    h.int(this.length);
    for (let i = 0; i < this.length; i++) {
      const at = ((this.head + i) % this.capacity) * this.width;
      h.column(this.data.subarray(at, at + this.width));
    }
  }

  private grow(): void {
    if (this.capacity === 0) {
      this.capacity = Math.max(4, Math.min(8, this.initialTuples));
      this.data = new Int32Array(this.capacity * this.width);
      return;
    }
    this.capacity *= 2;
    const unrolled = new Int32Array(this.capacity * this.width);
    const start = this.head * this.width;
    const firstPart = this.data.subarray(start);
    unrolled.set(firstPart);
    unrolled.set(this.data.subarray(0, start), firstPart.length);
    this.data = unrolled;
    this.head = 0;
  }
}
