// Offsets in a real log (issue 19 §2), as Jepsen's Kafka checker reads them: events may say where the broker's
// log holds their message (`offset`, or a span's messaging.kafka.offset), and deliveries who read it
// (`consumer`). A message's key is its partition (one log when there is none), as Jepsen's Kafka test writes one
// key to one partition. Lines come in any order: every placement and read is kept, and sorted once at the end.

/** What the offsets of a log show. */
export interface OffsetFacts {
  /** Events that carried an offset. */
  offsetEvents: number;
  /** Deliveries with an offset and a consumer: the reads compared. */
  offsetReads: number;
  /** A consumer's read at or below its previous read of that partition (Jepsen's nonmonotonic). */
  nonmonotonic: number;
  /** A consumer's read past an offset between it and its previous read that holds a message (Jepsen's skip). */
  skipped: number;
  /** Messages found at two or more offsets (Jepsen's duplicate: stored twice). */
  loggedTwice: number;
  /** Offsets of a partition that two messages claim. */
  offsetConflicts: number;
  /** Confirmed messages at a known offset never delivered, though a later offset of their partition was read. */
  lostWrites: number;
  /** Confirmed messages at a known offset never delivered, and nothing past it read (Jepsen's unseen). */
  unseen: number;
}

/** The placements and reads of a log's offsets. */
export class OffsetLog {
  private readonly consumers = new Map<string, number>();
  /** Every event with an offset: its row, and the offset. */
  private readonly placedRows: number[] = [];
  private readonly placedOffsets: number[] = [];
  /** Every delivery with an offset and a consumer: row, consumer number, time, offset. */
  private readonly reads: { row: number; consumer: number; ts: number; offset: number }[] = [];

  /** Notes that the message of `row` is at `offset`; a delivery by `consumer` at time `ts` is also a read. */
  note(row: number, offset: number, read: { consumer?: string | undefined; ts: number } | undefined): void {
    this.placedRows.push(row);
    this.placedOffsets.push(offset);
    if (read?.consumer === undefined) return;
    let consumer = this.consumers.get(read.consumer);
    if (consumer === undefined) this.consumers.set(read.consumer, (consumer = this.consumers.size));
    this.reads.push({ row, consumer, ts: read.ts, offset });
  }

  /**
   * The facts, with each row's partition (`partitionOf`: its key's number, 0 without one), which rows were
   * confirmed, and how many deliveries each had.
   */
  measure(
    partitionOf: (row: number) => number,
    confirmed: (row: number) => boolean,
    delivered: (row: number) => boolean,
  ): OffsetFacts {
    // The log as the events place it: partition -> offset -> row (-1 where two rows claim one offset).
    const logs = new Map<number, Map<number, number>>();
    const firstOffset = new Map<number, number>();
    const twice = new Set<number>();
    let offsetConflicts = 0;
    for (let i = 0; i < this.placedRows.length; i++) {
      const row = this.placedRows[i]!;
      const offset = this.placedOffsets[i]!;
      const p = partitionOf(row);
      let log = logs.get(p);
      if (log === undefined) logs.set(p, (log = new Map<number, number>()));
      const holder = log.get(offset);
      if (holder === undefined) log.set(offset, row);
      else if (holder !== row && holder !== -1) {
        log.set(offset, -1);
        offsetConflicts++;
      }
      const first = firstOffset.get(row);
      if (first === undefined) firstOffset.set(row, offset);
      else if (first !== offset) twice.add(row);
    }
    const sorted = new Map([...logs].map(([p, log]) => [p, Float64Array.from(log.keys()).sort()]));
    const { nonmonotonic, skipped, maxRead } = this.compareReads(partitionOf, sorted);
    let lostWrites = 0;
    let unseen = 0;
    for (const [row, offset] of firstOffset) {
      if (!confirmed(row) || delivered(row)) continue;
      if ((maxRead.get(partitionOf(row)) ?? -1) > offset) lostWrites++;
      else unseen++;
    }
    return {
      offsetEvents: this.placedRows.length,
      offsetReads: this.reads.length,
      nonmonotonic,
      skipped,
      loggedTwice: twice.size,
      offsetConflicts,
      lostWrites,
      unseen,
    };
  }

  /**
   * Each consumer's reads of each partition in time order, reads at one time in the order the log gives them (a
   * poll's records): backward steps and skips.
   */
  private compareReads(
    partitionOf: (row: number) => number,
    offsets: ReadonlyMap<number, Float64Array>,
  ): { nonmonotonic: number; skipped: number; maxRead: Map<number, number> } {
    const maxRead = new Map<number, number>();
    const byReader = new Map<string, { ts: number; offset: number }[]>();
    for (const read of this.reads) {
      const p = partitionOf(read.row);
      if (read.offset > (maxRead.get(p) ?? -1)) maxRead.set(p, read.offset);
      const reader = `${read.consumer}/${p}`;
      const list = byReader.get(reader);
      if (list === undefined) byReader.set(reader, [read]);
      else list.push(read);
    }
    let nonmonotonic = 0;
    let skipped = 0;
    for (const [reader, reads] of byReader) {
      const known = offsets.get(Number(reader.slice(reader.indexOf('/') + 1)))!;
      reads.sort((a, b) => a.ts - b.ts);
      for (let i = 1; i < reads.length; i++) {
        const before = reads[i - 1]!.offset;
        const now = reads[i]!.offset;
        if (now <= before) nonmonotonic++;
        else if (now > before + 1 && known[firstAbove(known, before)]! < now) skipped++;
      }
    }
    return { nonmonotonic, skipped, maxRead };
  }
}

/** The index of the first value above `value` in the sorted `values` (its length when there is none). */
function firstAbove(values: Float64Array, value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid]! <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
