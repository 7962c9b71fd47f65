// The broker seam. The queue broker (acks, visibility timeouts, redelivery, dead-letter queue) is the
// one implementation today; a log broker (partitions, offsets, commits) will sit beside it.

/** What the consumer group needs from a broker. */
export interface Broker {
  /** Schedules the broker's own scheduled faults. */
  start(): void;
  /** Hands queued messages to consumers that have room, until either runs out. */
  pump(): void;
  /** Consumer `c` crashed: its connection is gone (a broker may requeue its unacked deliveries). */
  consumerLost(c: number): void;
  /** Pull delivery: consumer `c` holds nothing and asks for up to `prefetch` messages. */
  poll(c: number): void;
}

/** What a broker needs from the consumer group. */
export interface ConsumerPool {
  /** A consumer that is up and has room for a delivery (round robin; pull: the one waiting longest), or -1. */
  available(): number;
  /** Pull: consumer `c` asked and found nothing; it waits for a new message, asking again every fetchWaitMs. */
  startWaiting(c: number): void;
  /** Pull: consumer `c`'s ask is answered (it got its batch). */
  answered(c: number): void;
  /** Pull: when waiting consumer `c` asks again (its read's block time ends), at `now` or later; Infinity if it is not
   * waiting. */
  nextAskMs(c: number): number;
  /** Counts a delivery dispatched to consumer `c`. */
  reserve(c: number): void;
  /** Current incarnation of consumer `c`'s channel (it changes at every crash and every channel close). */
  incarnation(c: number): number;
  /** The broker closed consumer `c`'s channel: it drops what it holds unstarted and takes nothing until channelOpened.
   * */
  channelClosed(c: number): void;
  /** A delivery to consumer `c` is no longer outstanding (acked, nacked, timed out): with prefetchCountsUnacked, that
   * frees its slot. */
  acked(c: number): void;
  /** Consumer `c`'s new channel is open: it takes deliveries again. */
  channelOpened(c: number): void;
}
