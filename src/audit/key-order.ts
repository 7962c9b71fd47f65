// Per-key order in a real log (issue 19 §2): events may carry their message's key (`key`, or a trace's
// messaging.kafka.message.key). A message is out of order when its first effect came after the first effect of a
// message of its key published later, as the simulator counts outOfOrder; only messages with a publish and an
// effect take part. Keys are kept once each, a number per distinct id.
import { AuditBounds } from './bounds.js';

/** The keys of a log's messages, and their order. */
export class KeyOrder {
  private readonly keys = new Map<string, number>();
  /** Per id row: its key's number + 1 (0: no key seen). The first key an id is seen with is kept. */
  private rowKeys = new Uint32Array(1024);
  /** Ids whose events carried two different keys (an anomaly of the log: the first is kept). */
  private readonly conflicted = new Set<number>();

  constructor(private readonly bounds = new AuditBounds()) {}

  /** Notes that the message of `row` has `key`. */
  note(row: number, key: string): void {
    if (row >= this.rowKeys.length) {
      const grown = new Uint32Array(Math.max(row + 1, this.rowKeys.length * 2));
      grown.set(this.rowKeys);
      this.rowKeys = grown;
    }
    let k = this.keys.get(key);
    // A copy: the key read in place would keep its whole read chunk alive.
    if (k === undefined) {
      this.bounds.room(this.keys.size, 'distinct keys', key.length);
      this.keys.set((' ' + key).slice(1), (k = this.keys.size + 1));
    }
    const had = this.rowKeys[row]!;
    if (had === 0) this.rowKeys[row] = k;
    else if (had !== k) this.conflicted.add(row);
  }

  /** The number of the key of `row` (its partition, for offsets), 0 when it has none. */
  partitionOf(row: number): number {
    return row < this.rowKeys.length ? this.rowKeys[row]! : 0;
  }

  /** Messages whose events carried two different keys. */
  get conflicts(): number {
    return this.conflicted.size;
  }

  /** Of the rows where `counts` is true, those that carried a key and those that did not. */
  keyed(rows: number, counts: (row: number) => boolean): { keyed: number; unkeyed: number } {
    let keyed = 0;
    let unkeyed = 0;
    for (let r = 0; r < rows; r++) {
      if (!counts(r)) continue;
      if (r < this.rowKeys.length && this.rowKeys[r] !== 0) keyed++;
      else unkeyed++;
    }
    return { keyed, unkeyed };
  }

  /**
   * Messages (rows where `counts` is true) whose first effect came after the first effect of a message of their
   * key first published strictly later; and how many were compared (processed, sharing a key with another).
   */
  outOfOrder(
    rows: number,
    firstPublishTs: Float64Array,
    firstEffectTs: Float64Array,
    counts: (row: number) => boolean,
  ): { late: number; compared: number } {
    const byKey = new Map<number, number[]>();
    for (let r = 0; r < Math.min(rows, this.rowKeys.length); r++) {
      const k = this.rowKeys[r]!;
      if (k === 0 || !counts(r) || !Number.isFinite(firstEffectTs[r]!) || !Number.isFinite(firstPublishTs[r]!))
        continue;
      const list = byKey.get(k);
      if (list === undefined) byKey.set(k, [r]);
      else list.push(r);
    }
    let late = 0;
    let compared = 0;
    for (const list of byKey.values()) {
      if (list.length > 1) compared += list.length;
      list.sort((a, b) => firstPublishTs[a]! - firstPublishTs[b]! || a - b);
      // From the last published back: the earliest first effect of the messages published strictly later.
      let earliestLater = Infinity;
      for (let end = list.length; end > 0;) {
        let start = end - 1;
        while (start > 0 && firstPublishTs[list[start - 1]!] === firstPublishTs[list[end - 1]!]) start--;
        let earliestHere = Infinity;
        for (let i = start; i < end; i++) {
          const effect = firstEffectTs[list[i]!]!;
          if (effect > earliestLater) late++;
          if (effect < earliestHere) earliestHere = effect;
        }
        if (earliestHere < earliestLater) earliestLater = earliestHere;
        end = start;
      }
    }
    return { late, compared };
  }
}
