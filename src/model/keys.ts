// Message keys (producer.keys): each message's key (a customer, an account, an aggregate), drawn once per message
// from the seed, uniform or Zipf-skewed over `count` keys. A key picks a log's partition (key modulo partitions,
// as a hash partitioner spreads numbered keys) and, with broker.messageGroups, a queue message's group; per-key
// order (order-book.ts) is measured over it.
import { Site } from '../sim/choice.js';
import type { ChoiceSource } from '../sim/choice.js';
import type { ProducerConfig, SimulationConfig } from './config.js';

/** Every message's key, drawn when first asked for. */
export class MessageKeys {
  readonly count: number;
  /** Per message: its key, -1 until drawn. */
  private readonly keys: Int32Array;
  /** Zipf: the cumulative chance of keys 0..i; undefined for uniform keys. */
  private readonly cumulative: Float64Array | undefined;

  constructor(
    config: SimulationConfig,
    private readonly choices: ChoiceSource,
  ) {
    const keys = config.producer.keys;
    this.count = keys.count;
    this.keys = new Int32Array(config.messages).fill(-1);
    this.cumulative = keys.dist === 'zipf' ? zipfTable(keys) : undefined;
  }

  /** Message `m`'s key. */
  keyOf(m: number): number {
    let key = this.keys[m]!;
    if (key < 0) this.keys[m] = key = this.draw(m);
    return key;
  }

  private draw(m: number): number {
    const u = this.choices.uniform(Site.key, m, 0, 0);
    const table = this.cumulative;
    if (table === undefined) return Math.min(this.count - 1, Math.floor(u * this.count));
    // The first key whose cumulative chance passes u.
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (table[mid]! > u) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

/** Zipf over `count` keys: key i has a chance in proportion to 1 / (i + 1)^skew (key 0 the hottest). */
function zipfTable(keys: ProducerConfig['keys']): Float64Array {
  let table = tables.get(keys);
  if (table !== undefined) return table;
  table = new Float64Array(keys.count);
  let sum = 0;
  for (let i = 0; i < keys.count; i++) table[i] = sum += 1 / (i + 1) ** keys.skew;
  for (let i = 0; i < keys.count; i++) table[i]! /= sum;
  table[keys.count - 1] = 1;
  tables.set(keys, table);
  return table;
}

/** The tables of the configurations seen, made once each (explore builds a simulation per schedule). */
const tables = new WeakMap<ProducerConfig['keys'], Float64Array>();

/**
 * The partition of message `m` among `partitions`: its key's where messages have keys (Kafka's default partitioner
 * hashes the key; keys here are numbered, so modulo spreads them alike), else its id's.
 */
export function partitionOf(keys: MessageKeys | undefined, m: number, partitions: number): number {
  return keys === undefined ? m % partitions : keys.keyOf(m) % partitions;
}
