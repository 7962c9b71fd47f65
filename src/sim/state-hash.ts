// A 64-bit hash of a simulation's state, folded field by field. Exploration uses it to recognise two
// schedules that reach the same state (so the futures from there are the same) and explore only one.

const scratch = new Float64Array(1);
const words = new Int32Array(scratch.buffer);

/** Anything integer-indexed: the typed arrays of the model. */
export type Column = ArrayLike<number>;

/** Whether every element of a column is a 32-bit integer (so one word folds it exactly). */
function integral(values: Column): boolean {
  return (
    values instanceof Int32Array ||
    values instanceof Uint8Array ||
    values instanceof Uint16Array ||
    values instanceof Int8Array ||
    values instanceof Int16Array
  );
}

/** A table's columns for `row`, split once by element type (see `rowColumns`). */
export interface RowColumns {
  ints: Column[];
  others: Column[];
}

/** Splits columns for `row`: the integer ones fold one word an element, the others two. */
export function rowColumns(columns: readonly Column[]): RowColumns {
  return { ints: columns.filter(integral), others: columns.filter((c) => !integral(c)) };
}

/** Folds numbers into a 64-bit hash (two 32-bit lanes of a multiply-xorshift mix). */
export class StateHasher {
  private h1 = 0x6a09e667;
  private h2 = 0xbb67ae85 | 0;

  /** Starts again from the empty hash (a hasher may be reused: explore hashes after every event). */
  reset(): this {
    this.h1 = 0x6a09e667;
    this.h2 = 0xbb67ae85 | 0;
    return this;
  }

  /** Folds a 32-bit integer. */
  int(value: number): void {
    let h = this.h1 ^ value;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    this.h1 = h ^ (h >>> 16);
    this.h2 = Math.imul(this.h2 ^ this.h1, 0x27d4eb2f) + 0x165667b1;
  }

  /** Folds any number exactly (both halves of its IEEE-754 bits; NaN and ±Infinity included). */
  num(value: number): void {
    scratch[0] = value;
    this.int(words[0]!);
    this.int(words[1]!);
  }

  /** Folds a string exactly (its length, then each UTF-16 code unit). */
  str(text: string): void {
    this.int(text.length);
    for (let i = 0; i < text.length; i++) this.int(text.charCodeAt(i));
  }

  /** Folds element `index` of every column (the integer columns first). */
  row(columns: RowColumns, index: number): void {
    for (const column of columns.ints) this.int(column[index]!);
    for (const column of columns.others) this.num(column[index]!);
  }

  /** Folds the first `length` elements of a column (all of it by default): one word each for an integer column. */
  column(values: Column, length = values.length): void {
    this.int(length);
    if (integral(values)) for (let i = 0; i < length; i++) this.int(values[i]!);
    else for (let i = 0; i < length; i++) this.num(values[i]!);
  }

  /** The first 53 bits of the hash, as a number (a cheap Map key; `rest` has the other 11). */
  high(): number {
    return (this.h1 >>> 0) * 2 ** 21 + (this.h2 >>> 11);
  }

  /** The last 11 bits of the hash. */
  rest(): number {
    return this.h2 & 0x7ff;
  }

  /** The hash: 16 hex digits. */
  digest(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }
}

/** Implemented by every part of the model that keeps state between events. */
export interface HashesState {
  /** Folds everything that the rest of the run, or its report, can depend on. */
  hashState(h: StateHasher): void;
}
