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
}

/** What a broker needs from the consumer group. */
export interface ConsumerPool {
  /** A consumer that is up and has room for a delivery (round robin), or -1. */
  available(): number;
  /** Counts a delivery dispatched to consumer `c`. */
  reserve(c: number): void;
  /** Current incarnation of consumer `c`'s channel (it changes at every crash and every channel close). */
  incarnation(c: number): number;
  /** The broker closed consumer `c`'s channel: it drops what it holds unstarted and takes nothing until channelOpened. */
  channelClosed(c: number): void;
  /** A delivery to consumer `c` is no longer outstanding (acked, nacked, timed out): with prefetchCountsUnacked, that frees its slot. */
  acked(c: number): void;
  /** Consumer `c`'s new channel is open: it takes deliveries again. */
  channelOpened(c: number): void;
}
