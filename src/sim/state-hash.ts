// A 64-bit hash of a simulation's state, folded field by field. Exploration uses it to recognise two
// schedules that reach the same state (so the futures from there are the same) and explore only one.

const scratch = new Float64Array(1);
const words = new Int32Array(scratch.buffer);

/** Anything integer-indexed: the typed arrays of the model. */
export type Column = ArrayLike<number>;

/** Folds numbers into a 64-bit hash (two 32-bit lanes of a multiply-xorshift mix). */
export class StateHasher {
  private h1 = 0x6a09e667;
  private h2 = 0xbb67ae85;

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

  /** Folds element `index` of every column. */
  row(columns: readonly Column[], index: number): void {
    for (const column of columns) this.num(column[index]!);
  }

  /** Folds the first `length` elements of a column (all of it by default). */
  column(values: Column, length = values.length): void {
    this.int(length);
    for (let i = 0; i < length; i++) this.num(values[i]!);
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
