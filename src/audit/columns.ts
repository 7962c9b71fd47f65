// The audit's per-id columns (tally.ts): counts, flags and first and last times of each distinct message id,
// in typed arrays that double as ids arrive.
type Column = Uint32Array | Uint8Array | Float64Array;

/** Flags of a row. */
export const CONFIRMED = 1;
export const DEAD_LETTERED = 2;

function grown<T extends Column>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** Growable typed columns, one row per distinct id. */
export class Columns {
  size = 0;
  publishes = new Uint32Array(1024);
  /** Publish lines at the message's earliest publish time (more than one: the same line repeated). */
  atFirstPublish = new Uint32Array(1024);
  failedPublishes = new Uint32Array(1024);
  /** The latest publish and publish-failed times: a failure before the latest publish cannot be that attempt's. */
  lastPublishTs = new Float64Array(1024);
  lastFailedTs = new Float64Array(1024);
  deliveries = new Uint32Array(1024);
  /** Confirm lines (value identity counts them; by id, a confirm is a flag). */
  confirms = new Uint32Array(1024);
  /** Dead-letter lines (value identity counts them; by id, a flag). */
  deadLetters = new Uint32Array(1024);
  effects = new Uint32Array(1024);
  flags = new Uint8Array(1024);
  firstPublishTs = new Float64Array(1024);
  firstEffectTs = new Float64Array(1024);

  add(): number {
    if (this.size === this.publishes.length) {
      this.publishes = grown(this.publishes);
      this.atFirstPublish = grown(this.atFirstPublish);
      this.failedPublishes = grown(this.failedPublishes);
      this.lastPublishTs = grown(this.lastPublishTs);
      this.lastFailedTs = grown(this.lastFailedTs);
      this.deliveries = grown(this.deliveries);
      this.confirms = grown(this.confirms);
      this.deadLetters = grown(this.deadLetters);
      this.effects = grown(this.effects);
      this.flags = grown(this.flags);
      this.firstPublishTs = grown(this.firstPublishTs);
      this.firstEffectTs = grown(this.firstEffectTs);
    }
    this.firstPublishTs[this.size] = Infinity;
    this.lastPublishTs[this.size] = -Infinity;
    this.lastFailedTs[this.size] = -Infinity;
    this.firstEffectTs[this.size] = Infinity;
    return this.size++;
  }
}
