// One delivery as the consumers' processing sees it (processing.ts), what became of it, and how a broker family's
// consumers ask for it to be processed.

/** What became of a processed delivery; the caller settles it (ack, nack, release, crash). */
export const Processed = {
  /** The effect ran, or dedupe suppressed it: settle it as done. */
  done: 0,
  /** Poison: processing failed. */
  failed: 1,
  /** The consumer crashed (before or after the effect); the delivery is already given up. */
  crashed: 2,
  /** The effect waits in the consumer's open transaction, which holds the delivery. */
  inTransaction: 3,
  /** The user's handler returned a promise: the delivery is settled later, by ProcessingOptions.settle. */
  pending: 4,
} as const;

/** A consumer's open transaction, where the effects of a consume-transform-produce wait for the commit. */
export interface OpenTransaction {
  /** Whether consumer `c`'s open transaction already holds an effect of message `m`. */
  holds(c: number, m: number): boolean;
  /** Writes the effect of `delivery` in its consumer's open transaction. */
  write(delivery: Delivery): void;
}

/** How a broker family's consumers process (see the file header for why they differ). */
export interface ProcessingOptions {
  /** Exploration may stall processing past this many ms more (a timeout's length); undefined: never stalls. */
  stallMs: number | undefined;
  /** The trace's detail for a stall. */
  stallDetail: string;
  /** Draw a message's poison once and remember it (queue consumers). */
  cachePoison: boolean;
  /** The trace's detail for a poison failure. */
  poisonDetail: string;
  /** Dedupe is checked before processing too (queue consumers): at the end only an atomic commit checks. */
  checksBeforeProcessing: boolean;
  /** A crash after the effect leaves the crashed hint on the delivery (queue consumers). */
  hintsCrashAfterEffect: boolean;
  /** Consume-transform-produce: effects go into this transaction. */
  transaction?: OpenTransaction;
  /** Settles a delivery whose processing ended later (`Processed.pending`): what the caller does with the outcome. */
  settle: (d: Delivery, outcome: number) => void;
}

/**
 * The delivery being processed, one record reused for every delivery (no allocation on the hot path):
 * fill it, then call `process`.
 */
export class Delivery {
  consumer = 0;
  message = 0;
  /** The message's active slot in the message table. */
  slot = 0;
  /** Delivery number of the message (0 for its first delivery). */
  delivery = 0;
  /** The stored copy's ordinal. */
  ordinal = 0;
  /** 1 for the network's duplicate of the delivery, else 0. */
  copy = 0;
  /** The log consumer's membership epoch when it fetched the record. */
  epoch = 0;
  /** Queue consumers: the broker's entry it came from, and the channel (incarnation) it came on. */
  entry = 0;
  channel = 0;
  /** An ack is still to come for it (ack after the effect, on an open channel): a crash prevents it. */
  ackPending = false;
}
