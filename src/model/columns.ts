// The columns of the state tables (state.ts): finding them by reflection, growing them, and how many
// slots they are allocated for at first.
import { InvariantError } from '../errors.js';
import type { Column } from '../sim/state-hash.js';

export type Column32 = Float64Array | Int32Array | Uint8Array | Uint16Array;

/** A copy of `column` with room for `length` (>= its length) elements, the new ones zero. */
export function grown<T extends Column32>(column: T, length: number): T {
  // Each kind by name, not through `column.constructor`: a call of an unknown constructor takes V8's slow path,
  // and explore builds some 50 columns for each of its tens of thousands of simulations (a sixth of their cost).
  const next: Column32 =
    column instanceof Int32Array
      ? new Int32Array(length)
      : column instanceof Float64Array
        ? new Float64Array(length)
        : column instanceof Uint8Array
          ? new Uint8Array(length)
          : new Uint16Array(length);
  if (column.length > 0) next.set(column);
  return next as T;
}

/**
 * `n` values made by `make(i)`, in order. Array.from({ length: n }, make) does the same through the generic
 * array-like path, some 0.5 µs for four rings: explore builds a simulation per schedule, tens of thousands.
 */
export function listOf<T>(n: number, make: (i: number) => T): T[] {
  const list: T[] = [];
  for (let i = 0; i < n; i++) list.push(make(i));
  return list;
}

/** Slots a table allocates columns for at first (a Float64Array of 8 is small enough to stay on the V8 heap). */
export const FEW_SLOTS = 8;

/**
 * The typed-array fields of an object except those named: found by reflection, so a new field is never left out.
 * Every instance of a class must have the same ones (the tables start each column at EMPTY).
 */
export function columnsOf(table: object, except: ReadonlySet<string>): Column[] {
  // The names are found once per class and list of exceptions (every instance has the same fields); explore
  // hashes the tables of tens of thousands of simulations.
  let byExcept = namesByClass.get(table.constructor);
  if (byExcept === undefined)
    namesByClass.set(table.constructor, (byExcept = new Map<ReadonlySet<string>, string[]>()));
  let names = byExcept.get(except);
  if (names === undefined) {
    names = Object.entries(table)
      .filter(([name, value]) => ArrayBuffer.isView(value) && !except.has(name))
      .map(([name]) => name);
    byExcept.set(except, names);
  }
  const fields = table as Record<string, unknown>;
  return names.map((name) => {
    const column = fields[name];
    if (!ArrayBuffer.isView(column))
      throw new InvariantError(`column ${name} of a ${table.constructor.name} is not a typed array`);
    return column as unknown as Column;
  });
}

const namesByClass = new WeakMap<object, Map<ReadonlySet<string>, string[]>>();

/**
 * One empty column of each type, shared by every table until it reserves its own (a write past the end of
 * a typed array does nothing, and none is made: a slot is reserved before it is used).
 */
export const EMPTY = {
  u8: new Uint8Array(0),
  u16: new Uint16Array(0),
  i32: new Int32Array(0),
  f64: new Float64Array(0),
} as const;

/** How many entries of a 0/1 column are 1. */
export function countOnes(column: Uint8Array): number {
  let n = 0;
  for (const v of column) n += v;
  return n;
}
