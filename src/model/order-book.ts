// Per-key order (producer.keys): a message is out of order when its first effect runs after the first effect of a
// later message of its key (a higher id: ids are sent in order). Each such message gets the reason it came late,
// from its own history. The log's own order of storing is `reordered` (publish-endpoint.ts), not this.
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import type { MessageKeys } from './keys.js';
import { Hint, type MessageTable } from './state.js';

/** Why a message came after a later one of its key, in report order. */
export const ORDER_CAUSES = ['publishRetry', 'redelivery', 'nack', 'redrive', 'parallelConsumers'] as const;
/** Name of a cause of an order violation. */
export type OrderCause = (typeof ORDER_CAUSES)[number];

/** One-line meaning of each cause of an order violation, for docs and `explain`. */
export const ORDER_CAUSE_DESCRIPTIONS: Record<OrderCause, string> = {
  publishRetry:
    'the message was stored from a retry (its first publish or its confirm was lost) while later messages of its key went ahead (several in flight)',
  redelivery:
    'an earlier delivery of the message did not end in its effect (its lease ran out, the delivery was lost, or the consumer crashed), and a later message of its key ran while it waited to be delivered again',
  nack: 'an earlier attempt failed and was nacked, and a later message of its key ran while it waited to be delivered again',
  redrive: 'the message came back from the dead-letter queue after later messages of its key had run',
  parallelConsumers:
    'no fault: two consumers (or two slots of one) processed messages of the key at once, and the later one finished first',
};

/** The newest message of each key that ran, and the messages that came after a newer one. */
export class OrderBook implements HashesState {
  /** Per key: the highest message id whose first effect ran, -1 if none. */
  private readonly newest: Int32Array;
  /** Messages out of order, by cause (ORDER_CAUSES). */
  readonly byCause = new Int32Array(ORDER_CAUSES.length);
  /** Per message: 1 once a redrive brought it back from the dead-letter queue. */
  private readonly redriven: Uint8Array;

  constructor(
    private readonly messages: MessageTable,
    /** The run's counters (world.ts), whose outOfOrder this counts. */
    private readonly counters: { outOfOrder: number },
    private readonly keys: MessageKeys,
  ) {
    this.newest = new Int32Array(keys.count).fill(-1);
    this.redriven = new Uint8Array(messages.count);
  }

  hashState(h: StateHasher): void {
    h.column(this.newest);
    h.column(this.byCause);
  }

  /** Message `m` (active slot `s`) was redriven from the dead-letter queue. */
  noteRedrive(m: number): void {
    this.redriven[m] = 1;
  }

  /** The first effect of message `m` (slot `s`) ran, from its delivery `k`. */
  firstEffect(m: number, s: number, k: number): void {
    const key = this.keys.keyOf(m);
    if (this.newest[key]! < m) {
      this.newest[key] = m;
      return;
    }
    this.counters.outOfOrder++;
    this.byCause[this.causeOf(m, s, k)]!++;
  }

  private causeOf(m: number, s: number, k: number): number {
    const messages = this.messages;
    if (this.redriven[m] === 1) return ORDER_CAUSES.indexOf('redrive');
    if (k > 0) return ORDER_CAUSES.indexOf(messages.deliveryHint[s] === Hint.failed ? 'nack' : 'redelivery');
    if (messages.lastStoredAttempt[s]! > 0) return ORDER_CAUSES.indexOf('publishRetry');
    return ORDER_CAUSES.indexOf('parallelConsumers');
  }
}
