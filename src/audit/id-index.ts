// Message ids to the tally's rows (tally.ts): an open-addressing hash table over the ids' own characters. An audit
// meets each of millions of ids for the first time once, and 64 JavaScript Maps took about 0.6 µs to miss and insert
// one (20 % of a 10 M-line audit); this takes about half. Rows are numbered in the order ids are first met, as before.
import { randomBytes } from 'node:crypto';

/**
 * This process's hash key. A log is the user's input: with a hash anyone could compute, ids written to collide would
 * make every lookup walk one long run of slots. The key changes where an id sits in the table, never its row.
 */
const KEY = randomBytes(4).readInt32LE(0);

/** The hash of `id`: FNV-1a over its UTF-16 code units from the process's key, then mixed (murmur3's finalizer). */
function hashOf(id: string): number {
  let h = KEY ^ 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Distinct ids and their rows: 0, 1, 2, ... in the order they were first met. */
export class IdIndex {
  /** Per slot, 1 + the row of the id there, or 0 for none; at most half the slots are taken. */
  private slots = new Int32Array(2048);
  /** Per row, its id's hash. */
  private hashes = new Int32Array(1024);
  private readonly ids: string[] = [];

  /** Distinct ids so far. */
  get size(): number {
    return this.ids.length;
  }

  /** The row of `id`; an id not met before gets the next row (the size before this call). */
  rowOf(id: string): number {
    const h = hashOf(id);
    const mask = this.slots.length - 1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const taken = this.slots[at]!;
      if (taken === 0) break;
      if (this.hashes[taken - 1] === h && this.ids[taken - 1] === id) return taken - 1;
    }
    const row = this.ids.length;
    // A copy: an id cut from a line (flat-json.ts) would otherwise keep the file's whole chunk in memory.
    this.ids.push((' ' + id).slice(1));
    if (row === this.hashes.length) {
      const hashes = new Int32Array(row * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[row] = h;
    if (2 * (row + 1) > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(row);
    return row;
  }

  /** Puts `row` in the first free slot from its hash's. */
  private place(row: number): void {
    const mask = this.slots.length - 1;
    let at = this.hashes[row]! & mask;
    while (this.slots[at] !== 0) at = (at + 1) & mask;
    this.slots[at] = row + 1;
  }

  /** Places every row again in `length` slots. */
  private rehash(length: number): void {
    this.slots = new Int32Array(length);
    for (let row = 0; row < this.ids.length; row++) this.place(row);
  }
}
