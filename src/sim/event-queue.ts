// The queue of pending events, ordered by (time, insertion sequence): a binary min-heap, plus first-in
// first-out lanes for the kinds a model schedules with a fixed delay (timers), which arrive in time order
// and so need no heap. Events live in parallel typed arrays, so a million cost a few tens of bytes each.
import { Lane } from './lane.js';
import type { StateHasher } from './state-hash.js';
import { COLUMN_NAMES, giveColumns, laneTable, PAYLOAD_FIELDS, takeColumns, type Columns } from './event-columns.js';

export { PAYLOAD_FIELDS } from './event-columns.js';
/** A stale event's mark in the state hash, beside its time (no kind is negative). */
const STALE = -1;

/** Priority queue of events; ties in time pop in insertion order, which keeps every run repeatable. */
export class EventQueue {
  private capacity: number;
  /** The capacity asked for: the key of the spare columns this queue takes and gives back. */
  private readonly initialCapacity: number;
  /** Per slot, its event's time, kind and payload (PAYLOAD_FIELDS each): the kernel reads a taken slot here. */
  times!: Float64Array;
  private seqs!: Float64Array;
  kinds!: Uint8Array;
  payloads!: Int32Array;
  /** The heap, by position: each entry's slot, and its time and sequence (the key, kept here so that sifting
   * compares neighbouring memory instead of looking each slot up). */
  private heap!: Int32Array;
  private heapTimes!: Float64Array;
  private heapSeqs!: Float64Array;
  private freeSlots!: Int32Array;
  /** All the columns above, as one object (what `release` gives on). */
  private columnSet!: Columns;
  private freeCount: number;
  private nextSeq = 0;
  /** Number of queued events, heap and lanes together. */
  size = 0;
  /** Number of events in the heap: those of no lane, and the first of each lane. */
  private heapSize = 0;
  private readonly lanes: Lane[];
  /** Per slot: 1 + the index of the lane whose first event it is (it stands in the heap for the lane), or 0. */
  private laneHead!: Uint8Array;
  /** The slots in pop order, for hashState (reused). */
  private hashOrder = new Int32Array(16);
  /** Per event kind, whether an event of it will do nothing (staleWhen), by its first three payload fields. */
  private readonly staleness: Array<((a: number, b: number, c: number) => boolean) | undefined> = [];
  /** Per event kind, the index of its lane in `lanes`, or -1: the heap (one table per list of lane kinds). */
  private readonly laneOf: Int8Array;

  /**
   * `laneKinds`: the kinds usually pushed in time order (fixed-delay timers), each given a lane. Any kind
   * may be listed: an event earlier than its lane's last goes to the heap, and the order of pops is the
   * same (time, then sequence) either way; only the cost differs.
   */
  constructor(initialCapacity = 1024, laneKinds: readonly number[] = []) {
    this.lanes = laneKinds.map(() => new Lane());
    this.laneOf = laneTable(laneKinds);
    this.initialCapacity = Math.max(16, initialCapacity);
    // Spare columns may have grown in the queue that had them: more room changes no order (time, then sequence).
    const c = takeColumns(this.initialCapacity);
    this.capacity = c.times.length;
    this.use(c);
    // Spare columns hold a finished queue's events: only the lane marks are read before a slot is written.
    this.laneHead.fill(0);
    for (let i = 0; i < this.capacity; i++) this.freeSlots[i] = this.capacity - 1 - i;
    this.freeCount = this.capacity;
  }

  /** Queues an event; returns nothing, since events are cancelled by the model checking its own state. */
  push(time: number, kind: number, a: number, b: number, c: number, d: number, e: number, f: number): void {
    if (this.freeCount === 0) this.grow();
    const slot = this.freeSlots[--this.freeCount]!;
    const seq = this.nextSeq++;
    this.times[slot] = time;
    this.seqs[slot] = seq;
    this.kinds[slot] = kind;
    const p = slot * PAYLOAD_FIELDS;
    this.payloads[p] = a;
    this.payloads[p + 1] = b;
    this.payloads[p + 2] = c;
    this.payloads[p + 3] = d;
    this.payloads[p + 4] = e;
    this.payloads[p + 5] = f;
    this.size++;
    const l = this.laneOf[kind]!;
    if (l >= 0) {
      const lane = this.lanes[l]!;
      if (lane.count > 0 && time >= lane.lastTime) {
        lane.push(slot, time);
        return;
      }
      if (lane.count === 0) {
        // The first of its lane waits in the heap, for the lane: when it pops, the next takes its place.
        lane.push(slot, time);
        this.laneHead[slot] = l + 1;
      }
    }
    this.siftUp(this.heapSize++, slot, time, seq);
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.size === 0 ? Infinity : this.heapTimes[0]!;
  }

  /**
   * Removes the earliest event and copies it into `out` as [time, kind, a, b, c, d, e, f].
   * Returns false when the queue is empty.
   */
  pop(out: Float64Array): boolean {
    if (this.size === 0) return false;
    const slot = this.take();
    out[0] = this.times[slot]!;
    out[1] = this.kinds[slot]!;
    const p = slot * PAYLOAD_FIELDS;
    for (let i = 0; i < PAYLOAD_FIELDS; i++) out[2 + i] = this.payloads[p + i]!;
    return true;
  }

  /**
   * Removes the earliest event (the queue must not be empty) and returns its slot, whose time, kind and
   * payload (`times`, `kinds`, `payloads`) stay readable until the next push: the kernel reads them in place.
   */
  take(): number {
    const slot = this.heap[0]!;
    const l = this.laneHead[slot]!;
    let next = -1;
    if (l > 0) {
      this.laneHead[slot] = 0;
      const lane = this.lanes[l - 1]!;
      lane.shift();
      if (lane.count > 0) {
        next = lane.first();
        this.laneHead[next] = l;
      }
    }
    if (next >= 0) this.siftDown(0, next, this.times[next]!, this.seqs[next]!);
    else if (--this.heapSize > 0) {
      const last = this.heapSize;
      this.siftDown(0, this.heap[last]!, this.heapTimes[last]!, this.heapSeqs[last]!);
    }
    this.size--;
    this.freeSlots[this.freeCount++] = slot;
    return slot;
  }

  /** Folds the queued events in the order they will pop (sequence numbers only order them). */
  hashState(h: StateHasher): void {
    if (this.hashOrder.length < this.size)
      this.hashOrder = new Int32Array(Math.max(this.size, 2 * this.hashOrder.length));
    const order = this.hashOrder;
    // In pop order (no two events share a (time, sequence)), after every step of explore. The heap's events are
    // sorted; a lane's, in order already, are merged in: a log consumer's hundreds of poll deadlines cost a pass each
    // instead of a sort (76 % of an exploration of a Kafka scenario, 2026-12-02).
    const heapCount = this.heapSize;
    for (let i = 0; i < heapCount; i++) order[i] = this.heap[i]!;
    this.sortSlots(order, heapCount);
    let n = heapCount;
    // A lane's first event is in the heap; the rest wait in the lane.
    for (const lane of this.lanes) if (lane.count > 1) n = this.mergeLane(order, n, lane);
    for (let i = 0; i < n; i++) {
      const slot = order[i]!;
      const kind = this.kinds[slot]!;
      const p = slot * PAYLOAD_FIELDS;
      h.num(this.times[slot]!);
      const stale = this.staleness[kind];
      if (stale !== undefined && stale(this.payloads[p]!, this.payloads[p + 1]!, this.payloads[p + 2]!)) {
        h.int(STALE);
        continue;
      }
      h.int(kind);
      for (let f = p; f < p + PAYLOAD_FIELDS; f++) h.int(this.payloads[f]!);
    }
    h.int(n);
  }

  /**
   * Hashes an event of `kind` that `stale` says will do nothing, now or whenever it pops (a poll deadline a later
   * poll superseded), by its time alone: all it does to a future is count as an event, which maxEvents judges.
   * A wrong true merges states that differ, and explore prunes what it must run.
   */
  staleWhen(kind: number, stale: (a: number, b: number, c: number) => boolean): void {
    this.staleness[kind] = stale;
  }

  /** Sorts the first `n` slots of `order` by (time, sequence). */
  private sortSlots(order: Int32Array, n: number): void {
    if (n > 32) {
      order.subarray(0, n).sort((x, y) => (this.before(x, y) ? -1 : 1));
      return;
    }
    for (let i = 1; i < n; i++) {
      const slot = order[i]!;
      let j = i - 1;
      for (; j >= 0 && this.before(slot, order[j]!); j--) order[j + 1] = order[j]!;
      order[j + 1] = slot;
    }
  }

  /**
   * Merges the events of `lane` after its first into the `n` sorted slots of `order`, from the back, in place;
   * returns the new count. A lane is in (time, sequence) order: each push is no earlier, and later in sequence.
   */
  private mergeLane(order: Int32Array, n: number, lane: Lane): number {
    const ring = lane.ring;
    const mask = ring.length - 1;
    let i = n - 1;
    let j = lane.count - 2;
    for (let k = n + j; j >= 0; k--) {
      const slot = ring[(lane.head + 1 + j) & mask]!;
      if (i >= 0 && this.before(slot, order[i]!)) order[k] = order[i--]!;
      else {
        order[k] = slot;
        j--;
      }
    }
    return n + lane.count - 1;
  }

  private before(x: number, y: number): boolean {
    const tx = this.times[x]!;
    const ty = this.times[y]!;
    return tx < ty || (tx === ty && this.seqs[x]! < this.seqs[y]!);
  }

  /** Moves the entry (slot, time, seq) up from position `index` to where it belongs, and writes it there. */
  private siftUp(index: number, slot: number, time: number, seq: number): void {
    const heap = this.heap;
    const times = this.heapTimes;
    const seqs = this.heapSeqs;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTime = times[parent]!;
      if (!(time < parentTime || (time === parentTime && seq < seqs[parent]!))) break;
      heap[i] = heap[parent]!;
      times[i] = parentTime;
      seqs[i] = seqs[parent]!;
      i = parent;
    }
    heap[i] = slot;
    times[i] = time;
    seqs[i] = seq;
  }

  /** Moves the entry (slot, time, seq) down from position `index` to where it belongs, and writes it there. */
  private siftDown(index: number, slot: number, time: number, seq: number): void {
    const heap = this.heap;
    const times = this.heapTimes;
    const seqs = this.heapSeqs;
    const size = this.heapSize;
    const half = size >> 1;
    let i = index;
    while (i < half) {
      let child = 2 * i + 1;
      let childTime = times[child]!;
      const right = child + 1;
      if (right < size) {
        const rightTime = times[right]!;
        if (rightTime < childTime || (rightTime === childTime && seqs[right]! < seqs[child]!)) {
          child = right;
          childTime = rightTime;
        }
      }
      if (!(childTime < time || (childTime === time && seqs[child]! < seq))) break;
      heap[i] = heap[child]!;
      times[i] = childTime;
      seqs[i] = seqs[child]!;
      i = child;
    }
    heap[i] = slot;
    times[i] = time;
    seqs[i] = seq;
  }

  private grow(): void {
    const old = this.capacity;
    const next = old * 2;
    const c = takeColumns(next, false);
    for (const name of COLUMN_NAMES) (c[name] as { set(values: ArrayLike<number>): void }).set(this[name]);
    this.use(c);
    for (let i = 0; i < next - old; i++) this.freeSlots[this.freeCount++] = next - 1 - i;
    this.capacity = next;
  }

  /** Gives the queue's columns to the next queue asking as much (`spare`). Call it last: it is not used again. */
  release(): void {
    giveColumns(this.initialCapacity, this.capacity, this.columnSet);
  }

  /** Makes `c` the queue's columns. */
  private use(c: Columns): void {
    this.columnSet = c;
    this.times = c.times;
    this.seqs = c.seqs;
    this.kinds = c.kinds;
    this.laneHead = c.laneHead;
    this.payloads = c.payloads;
    this.heap = c.heap;
    this.heapTimes = c.heapTimes;
    this.heapSeqs = c.heapSeqs;
    this.freeSlots = c.freeSlots;
  }
}
