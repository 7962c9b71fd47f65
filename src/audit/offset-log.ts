// Offsets in a real log (issue 19 §2), as Jepsen's Kafka checker reads them: events may say where the broker's
// log holds their message (`offset`, or a span's messaging.kafka.offset), and deliveries who read it
// (`consumer`). A message's partition is the one its events name (`partition`, or a span's
// messaging.destination.partition.id); without one, its key stands for it (one log when there is none either), as
// Jepsen's Kafka test writes one key to one partition. Lines come in any order: every placement and read is kept,
// and sorted once at the end.
import type { OffsetFacts } from '../run/audit-facts.js';

/** What the measure needs of each row (message) of the tally. */
export interface OffsetRows {
  /** Its key's number (its partition), 0 without one. */
  partitionOf: (row: number) => number;
  confirmed: (row: number) => boolean;
  /** It reached a consumer: a delivery, an effect or a dead-letter. */
  delivered: (row: number) => boolean;
}

/** The placements and reads of a log's offsets, in columns. */
export class OffsetLog {
  private readonly consumers = new Map<string, number>();
  /** Every event with an offset: its row, the offset, and whether it was a delivery. */
  private readonly rows: number[] = [];
  private readonly offsets: number[] = [];
  private readonly reads: boolean[] = [];
  /** Every delivery with an offset and a consumer: its index above, the consumer's number, its time. */
  private readonly readAt: number[] = [];
  private readonly readBy: number[] = [];
  private readonly readTs: number[] = [];
  /** The partition each row's events name (the first in partitionOrder of those named), and rows named in two. */
  private readonly partitions = new Map<number, string>();
  private readonly twoPartitions = new Set<number>();

  /**
   * Notes that the message of `row` is at `offset` (of `partition`, where the event names one): written there, or
   * read there at `ts` (by `consumer`).
   */
  note(
    row: number,
    offset: number,
    partition: string | undefined,
    read: { consumer?: string | undefined; ts: number } | undefined,
  ): void {
    if (partition !== undefined) this.notePartition(row, partition);
    this.rows.push(row);
    this.offsets.push(offset);
    this.reads.push(read !== undefined);
    if (read?.consumer === undefined) return;
    let consumer = this.consumers.get(read.consumer);
    // A copy: a name cut from a line would keep its whole read chunk alive.
    if (consumer === undefined) this.consumers.set((' ' + read.consumer).slice(1), (consumer = this.consumers.size));
    this.readAt.push(this.rows.length - 1);
    this.readBy.push(consumer);
    this.readTs.push(read.ts);
  }

  private notePartition(row: number, partition: string): void {
    const had = this.partitions.get(row);
    if (had === partition) return;
    // A copy: a name cut from a line would keep its whole read chunk alive.
    if (had === undefined) this.partitions.set(row, (' ' + partition).slice(1));
    else {
      this.twoPartitions.add(row);
      if (partitionOrder(partition, had) < 0) this.partitions.set(row, (' ' + partition).slice(1));
    }
  }

  /** Each row's partition: a named one as a negative number (in partitionOrder), else its key's number (0 or more). */
  private partitionsOf(rows: OffsetRows): (row: number) => number {
    if (this.partitions.size === 0) return rows.partitionOf;
    const names = [...new Set(this.partitions.values())].sort(partitionOrder);
    const numbers = new Map(names.map((name, i) => [name, -1 - i]));
    return (row) => {
      const name = this.partitions.get(row);
      return name === undefined ? rows.partitionOf(row) : numbers.get(name)!;
    };
  }

  /** The facts, given what the tally knows of each row. */
  measure(rows: OffsetRows): OffsetFacts {
    const partitionOf = this.partitionsOf(rows);
    // The log as the events place it: partition -> offset -> row (-1 where two rows claim one offset).
    const logs = new Map<number, Map<number, number>>();
    const firstOffset = new Map<number, number>();
    const twice = new Set<number>();
    /** Each message's lowest written offset (order-free), and each partition's highest offset read. */
    const written = new Map<number, number>();
    const maxRead = new Map<number, number>();
    let offsetConflicts = 0;
    let offsetReads = 0;
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i]!;
      const offset = this.offsets[i]!;
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
      if (this.reads[i]) {
        offsetReads++;
        if (offset > (maxRead.get(p) ?? -1)) maxRead.set(p, offset);
      } else if (offset < (written.get(row) ?? Infinity)) written.set(row, offset);
    }
    let offsetWrites = 0;
    let lostWrites = 0;
    let unseen = 0;
    for (const [row, offset] of written) {
      if (!rows.confirmed(row)) continue;
      offsetWrites++;
      if (rows.delivered(row)) continue;
      const p = partitionOf(row);
      const last = maxRead.get(p) ?? -1;
      // Read past it, or its own offset read holding another message: it was skipped over.
      if (last > offset || (last === offset && logs.get(p)!.get(offset) === -1)) lostWrites++;
      else unseen++;
    }
    const sorted = new Map([...logs].map(([p, log]) => [p, Float64Array.from(log.keys()).sort()]));
    return {
      offsetEvents: this.rows.length,
      offsetWrites,
      offsetReads,
      ...this.compareReads(partitionOf, sorted),
      // A message at two offsets, or in two partitions, was stored twice.
      loggedTwice: new Set([...twice, ...this.twoPartitions]).size,
      offsetConflicts,
      lostWrites,
      unseen,
    };
  }

  /** Each consumer's reads of each partition in time order (ties by offset): backward steps and skips. */
  private compareReads(
    partitionOf: (row: number) => number,
    offsets: ReadonlyMap<number, Float64Array>,
  ): { offsetPairs: number; nonmonotonic: number; skipped: number } {
    const byReader = new Map<string, number[]>();
    for (let r = 0; r < this.readAt.length; r++) {
      const reader = `${this.readBy[r]!}/${partitionOf(this.rows[this.readAt[r]!]!)}`;
      const list = byReader.get(reader);
      if (list === undefined) byReader.set(reader, [r]);
      else list.push(r);
    }
    const offsetOf = (r: number) => this.offsets[this.readAt[r]!]!;
    let offsetPairs = 0;
    let nonmonotonic = 0;
    let skipped = 0;
    for (const [reader, reads] of byReader) {
      const known = offsets.get(Number(reader.slice(reader.indexOf('/') + 1)))!;
      reads.sort((a, b) => this.readTs[a]! - this.readTs[b]! || offsetOf(a) - offsetOf(b));
      offsetPairs += reads.length - 1;
      for (let i = 1; i < reads.length; i++) {
        const before = offsetOf(reads[i - 1]!);
        const now = offsetOf(reads[i]!);
        if (now <= before) nonmonotonic++;
        else if (now > before + 1 && known[firstAbove(known, before)]! < now) skipped++;
      }
    }
    return { offsetPairs, nonmonotonic, skipped };
  }
}

/** An order of partition names that does not depend on the log's line order: numbers as numbers, then as text. */
function partitionOrder(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
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
