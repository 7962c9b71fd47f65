// Offsets in a real log (issue 19 §2), as Jepsen's Kafka checker reads them: events may say where the broker's
// log holds their message (`offset`, or a span's messaging.kafka.offset), and deliveries who read it
// (`consumer`). A message's partition is the one its events name (`partition`, or a span's
// messaging.destination.partition.id); without one, its key stands for it (one log when there is none either), as
// Jepsen's Kafka test writes one key to one partition. Lines come in any order: every placement and read is kept,
// and sorted once at the end.
import type { OffsetFacts } from '../run/audit-facts.js';
import { AuditBounds } from './bounds.js';

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
  /** Partition names, each kept once, and each event's (its name's number + 1; 0 where the event names none). */
  private readonly partitionNames = new Map<string, number>();
  private readonly partitionList: string[] = [];
  private readonly eventPartitions: number[] = [];
  /** The partition a row's events name, for its events that name none (the first in partitionOrder), and rows named
   * in two. */
  private readonly rowPartitions = new Map<number, number>();
  private readonly twoPartitions = new Set<number>();

  constructor(private readonly bounds = new AuditBounds()) {}

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
    // Its names first: an event that names one more partition or consumer than allowed is refused for that.
    const named = partition === undefined ? 0 : this.notePartition(row, partition) + 1;
    const consumer = read?.consumer === undefined ? undefined : this.consumerNumber(read.consumer);
    this.bounds.room(this.rows.length, 'events with an offset');
    this.eventPartitions.push(named);
    this.rows.push(row);
    this.offsets.push(offset);
    this.reads.push(read !== undefined);
    if (consumer === undefined) return;
    this.readAt.push(this.rows.length - 1);
    this.readBy.push(consumer);
    this.readTs.push(read!.ts);
  }

  /** The number of consumer `name`, a new one for a name not met before. */
  private consumerNumber(name: string): number {
    let consumer = this.consumers.get(name);
    // A copy: a name cut from a line would keep its whole read chunk alive.
    if (consumer === undefined) {
      this.bounds.room(this.consumers.size, 'distinct consumers', name.length);
      this.consumers.set((' ' + name).slice(1), (consumer = this.consumers.size));
    }
    return consumer;
  }

  /** The number of partition `name`, noted as one that `row` is in. */
  private notePartition(row: number, name: string): number {
    let n = this.partitionNames.get(name);
    // A copy: a name cut from a line would keep its whole read chunk alive.
    if (n === undefined) {
      this.bounds.room(this.partitionList.length, 'distinct partitions', name.length);
      const kept = (' ' + name).slice(1);
      this.partitionNames.set(kept, (n = this.partitionList.length));
      this.partitionList.push(kept);
    }
    const had = this.rowPartitions.get(row);
    if (had === undefined) this.rowPartitions.set(row, n);
    else if (had !== n) {
      this.twoPartitions.add(row);
      if (partitionOrder(name, this.partitionList[had]!) < 0) this.rowPartitions.set(row, n);
    }
    return n;
  }

  /**
   * Each event's partition: the one it names, else the one its message's other events name, as a negative number
   * (by partitionOrder, so line order changes none), else its key's number (0 or more).
   */
  private partitionsOf(rows: OffsetRows): (event: number) => number {
    if (this.partitionNames.size === 0) return (i) => rows.partitionOf(this.rows[i]!);
    const byOrder = this.partitionList
      .map((_, n) => n)
      .sort((a, b) => partitionOrder(this.partitionList[a]!, this.partitionList[b]!));
    const code = new Int32Array(byOrder.length);
    byOrder.forEach((n, rank) => (code[n] = -1 - rank));
    return (i) => {
      const named = this.eventPartitions[i]!;
      if (named > 0) return code[named - 1]!;
      const row = this.rows[i]!;
      const rowNamed = this.rowPartitions.get(row);
      return rowNamed === undefined ? rows.partitionOf(row) : code[rowNamed]!;
    };
  }

  /** The facts, given what the tally knows of each row. */
  measure(rows: OffsetRows): OffsetFacts {
    const partitionOf = this.partitionsOf(rows);
    // The log as the events place it: partition -> offset -> row (-1 where two rows claim one offset).
    const logs = new Map<number, Map<number, number>>();
    const firstOffset = new Map<number, number>();
    const twice = new Set<number>();
    /** Each partition's highest offset read. */
    const maxRead = new Map<number, number>();
    let offsetConflicts = 0;
    let offsetReads = 0;
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i]!;
      const offset = this.offsets[i]!;
      const p = partitionOf(i);
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
      }
    }
    // A confirmed message written at an offset that reached no consumer is lost when any of its writes was read
    // past (or its own offset read holding another message: skipped over), else unseen; order-free.
    const written = new Set<number>();
    const unread = new Set<number>();
    const lost = new Set<number>();
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i]!;
      if (this.reads[i] || !rows.confirmed(row)) continue;
      written.add(row);
      if (rows.delivered(row)) continue;
      unread.add(row);
      const p = partitionOf(i);
      const offset = this.offsets[i]!;
      const last = maxRead.get(p) ?? -1;
      if (last > offset || (last === offset && logs.get(p)!.get(offset) === -1)) lost.add(row);
    }
    const sorted = new Map([...logs].map(([p, log]) => [p, Float64Array.from(log.keys()).sort()]));
    return {
      offsetEvents: this.rows.length,
      offsetWrites: written.size,
      offsetReads,
      ...this.compareReads(partitionOf, sorted),
      // A message at two offsets, or in two partitions, was stored twice.
      loggedTwice: new Set([...twice, ...this.twoPartitions]).size,
      offsetConflicts,
      lostWrites: lost.size,
      unseen: unread.size - lost.size,
    };
  }

  /** Each consumer's reads of each partition in time order (ties by offset): backward steps and skips. */
  private compareReads(
    partitionOf: (event: number) => number,
    offsets: ReadonlyMap<number, Float64Array>,
  ): { offsetPairs: number; nonmonotonic: number; skipped: number } {
    const byReader = new Map<string, number[]>();
    for (let r = 0; r < this.readAt.length; r++) {
      const reader = `${this.readBy[r]!}/${partitionOf(this.readAt[r]!)}`;
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
