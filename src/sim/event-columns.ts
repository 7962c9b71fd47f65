// The event queue's storage (event-queue.ts): its columns, as views into three buffers, the columns finished
// queues give back for the next ones, and the table from event kind to lane.

/** Number of integer payload fields every event carries. */
export const PAYLOAD_FIELDS = 6;

/**
 * The queue's columns for `capacity` slots, as views into three buffers (one per element type): a simulation of a
 * few messages (explore builds tens of thousands) allocates three buffers, not nine.
 */
function columns(capacity: number) {
  const f64 = new Float64Array(capacity * 4);
  const i32 = new Int32Array(capacity * (PAYLOAD_FIELDS + 2));
  const u8 = new Uint8Array(capacity * 2);
  const part = <T extends Float64Array | Int32Array | Uint8Array>(all: T, index: number, width = 1): T =>
    all.subarray(index * capacity, (index + width) * capacity) as T;
  return {
    times: part(f64, 0),
    seqs: part(f64, 1),
    heapTimes: part(f64, 2),
    heapSeqs: part(f64, 3),
    payloads: part(i32, 0, PAYLOAD_FIELDS),
    heap: part(i32, PAYLOAD_FIELDS),
    freeSlots: part(i32, PAYLOAD_FIELDS + 1),
    kinds: part(u8, 0),
    laneHead: part(u8, 1),
  };
}

export type Columns = ReturnType<typeof columns>;
export const COLUMN_NAMES = Object.keys(columns(1)) as (keyof Columns)[];

/**
 * Columns of released queues, by the capacity they were asked for, for the next queues asking as much: explore
 * builds a simulation per schedule, tens of thousands of a few messages each (explore lost-acks --messages 2
 * --max-faults 4: 0.88 of the time, 2026-12-01). A few are kept per capacity, none past SPARE_MAX_CAPACITY.
 */
const spare = new Map<number, Columns[]>();
const SPARE_MAX_CAPACITY = 4096;
const SPARE_PER_CAPACITY = 4;

/** Per list of lane kinds (the model passes one constant list), the table from kind to lane; never written after. */
const laneTables = new WeakMap<readonly number[], Int8Array>();

export function laneTable(laneKinds: readonly number[]): Int8Array {
  let table = laneTables.get(laneKinds);
  if (table === undefined) {
    table = new Int8Array(256).fill(-1);
    laneKinds.forEach((kind, i) => (table![kind] = i));
    laneTables.set(laneKinds, table);
  }
  return table;
}

/** Columns for `capacity` slots: those a finished queue gave back for as many (`fromSpare`), else new ones. */
export function takeColumns(capacity: number, fromSpare = true): Columns {
  return (fromSpare ? spare.get(capacity)?.pop() : undefined) ?? columns(capacity);
}

/** Keeps a finished queue's columns (asked for as `capacity`, now `grownTo`) for the next queue asking as much. */
export function giveColumns(capacity: number, grownTo: number, c: Columns): void {
  if (grownTo > SPARE_MAX_CAPACITY) return;
  const list = spare.get(capacity) ?? [];
  if (list.length < SPARE_PER_CAPACITY) list.push(c);
  spare.set(capacity, list);
}
