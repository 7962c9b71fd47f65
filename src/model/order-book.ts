// Per-key order (producer.keys): a message is out of order when its first effect runs after the first effect of a
// later message of its key (a higher id: ids are sent in order). Each such message gets the reason it came late,
// from its own history. The log's own order of storing is `reordered` (publish-endpoint.ts), not this.
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import type { ConsumersConfig } from './config.js';
import type { MessageDelays } from './delays.js';
import type { MessageKeys } from './keys.js';
import { Hint, type MessageTable } from './state.js';

/** Why a message came after a later one of its key, in report order. */
export const ORDER_CAUSES = [
  'publishRetry',
  'publishReordered',
  'delay',
  'redelivery',
  'nack',
  'redrive',
  'parallelConsumers',
  'deliveryReordered',
] as const;
/** Name of a cause of an order violation. */
export type OrderCause = (typeof ORDER_CAUSES)[number];

/** One-line meaning of each cause of an order violation, for docs and `explain`. */
export const ORDER_CAUSE_DESCRIPTIONS: Record<OrderCause, string> = {
  publishRetry:
    'the message was stored from a retry (its first publish or its confirm was lost) while later messages of its key went ahead (several in flight)',
  publishReordered:
    'the message was stored after a later message of its key though not retried: its publish took longer on the network (latency jitter), or the application crashed and published it late',
  delay: 'the message was due later than a later message of its key (producer.delayMs: a longer delay)',
  redelivery:
    'an earlier delivery of the message did not end in its effect (its lease ran out, the delivery was lost, or the consumer crashed), and a later message of its key ran while it waited to be delivered again',
  nack: 'an earlier attempt failed and was nacked, and a later message of its key ran while it waited to be delivered again',
  redrive: 'the message came back from the dead-letter queue after later messages of its key had run',
  parallelConsumers:
    'no fault: two consumers (or two slots of one) processed messages of the key at once, and the later one finished first',
  deliveryReordered:
    'no fault: with one processing slot in all, the later message reached the consumer first (delivery latency jitter)',
};

const REDRIVEN = 1;
const STORED_LATE = 2;

/** The newest message of each key that ran, and the messages that came after a newer one. */
export class OrderBook implements HashesState {
  /** Per key: the highest message id whose first effect ran, -1 if none. */
  private readonly newest: Int32Array;
  /** Messages out of order, by cause (ORDER_CAUSES). */
  readonly byCause = new Int32Array(ORDER_CAUSES.length);
  /** Per message: 1 once a redrive brought it back from the dead-letter queue; 2 if it was stored after a later
   * message of its key (first copies only). */
  private readonly flags: Uint8Array;
  /** Per key: the highest message id stored, -1 if none. */
  private readonly newestStored: Int32Array;
  /** Per key: when the newest message that ran was due (its send time plus its delay). */
  private readonly newestDueMs: Float64Array;
  /** More than one delivery can be processed at once (consumers × concurrency). */
  private readonly parallel: boolean;

  constructor(
    private readonly messages: MessageTable,
    /** The run's counters (world.ts), whose outOfOrder this counts. */
    private readonly counters: { outOfOrder: number },
    private readonly keys: MessageKeys,
    private readonly delays: MessageDelays | undefined,
    consumers: ConsumersConfig,
  ) {
    this.newest = new Int32Array(keys.count).fill(-1);
    this.newestStored = new Int32Array(keys.count).fill(-1);
    this.newestDueMs = new Float64Array(keys.count);
    this.flags = new Uint8Array(messages.count);
    this.parallel = consumers.count * consumers.concurrency > 1;
  }

  hashState(h: StateHasher): void {
    for (const column of [this.newest, this.byCause, this.newestStored, this.newestDueMs]) h.column(column);
  }

  /** Message `m` was redriven from the dead-letter queue. */
  noteRedrive(m: number): void {
    this.flags[m]! |= REDRIVEN;
  }

  /** The first copy of message `m` was stored. */
  stored(m: number): void {
    const key = this.keys.keyOf(m);
    if (m < this.newestStored[key]!) this.flags[m]! |= STORED_LATE;
    else this.newestStored[key] = m;
  }

  /** The first effect of message `m` (slot `s`) ran, from its delivery `k`. */
  firstEffect(m: number, s: number, k: number): void {
    const key = this.keys.keyOf(m);
    if (this.newest[key]! < m) {
      this.newest[key] = m;
      this.newestDueMs[key] = this.dueMs(m, s);
      return;
    }
    this.counters.outOfOrder++;
    this.byCause[this.causeOf(m, s, k)]!++;
  }

  /** When message `m` (slot `s`) was due: its send time, plus its delay. */
  private dueMs(m: number, s: number): number {
    return this.messages.sentAtMs[s]! + (this.delays?.delayOf(m) ?? 0);
  }

  /** Why `m` came late, from its own history: what held it back first, else what let the later one ahead. */
  private causeOf(m: number, s: number, k: number): number {
    const messages = this.messages;
    const flags = this.flags[m]!;
    const key = this.keys.keyOf(m);
    let cause: OrderCause;
    if (flags & REDRIVEN) cause = 'redrive';
    else if (k > 0) cause = messages.deliveryHint[s] === Hint.failed ? 'nack' : 'redelivery';
    else if (flags & STORED_LATE) cause = messages.lastStoredAttempt[s]! > 0 ? 'publishRetry' : 'publishReordered';
    else if (this.dueMs(m, s) > this.newestDueMs[key]!) cause = 'delay';
    else cause = this.parallel ? 'parallelConsumers' : 'deliveryReordered';
    return ORDER_CAUSES.indexOf(cause);
  }
}
