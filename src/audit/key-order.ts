// Per-key order in a real log (issue 19 §2): events may carry their message's key (`key`, or a trace's
// messaging.kafka.message.key). A message is out of order when its first effect came after the first effect of a
// message of its key published later, as the simulator counts outOfOrder; only messages with a publish and an
// effect take part. Keys are kept once each, a number per distinct id.

/** The keys of a log's messages, and their order. */
export class KeyOrder {
  private readonly keys = new Map<string, number>();
  /** Per id row: its key's number + 1 (0: no key seen). The first key an id is seen with is kept. */
  private rowKeys = new Uint32Array(1024);
  /** Ids whose events carried two different keys (an anomaly of the log: the first is kept). */
  conflicts = 0;

  /** Notes that the message of `row` has `key`. */
  note(row: number, key: string): void {
    if (row >= this.rowKeys.length) {
      const grown = new Uint32Array(Math.max(row + 1, this.rowKeys.length * 2));
      grown.set(this.rowKeys);
      this.rowKeys = grown;
    }
    let k = this.keys.get(key);
    if (k === undefined) this.keys.set(key, (k = this.keys.size + 1));
    const had = this.rowKeys[row]!;
    if (had === 0) this.rowKeys[row] = k;
    else if (had !== k) this.conflicts++;
  }

  /** Messages that carried a key. */
  keyed(rows: number): number {
    let n = 0;
    for (let r = 0; r < Math.min(rows, this.rowKeys.length); r++) if (this.rowKeys[r] !== 0) n++;
    return n;
  }

  /**
   * Messages (rows where `counts` is true) whose first effect came after the first effect of a message of their
   * key first published strictly later.
   */
  outOfOrder(
    rows: number,
    firstPublishTs: Float64Array,
    firstEffectTs: Float64Array,
    counts: (row: number) => boolean,
  ): number {
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
    for (const list of byKey.values()) {
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
    return late;
  }
}
