// The broker seams. Every broker (queue-broker.ts with its parts: acks, visibility timeouts, redelivery,
// dead-letter queue; log-broker.ts: partitions, offsets, commits) takes publishes and is started and hashed
// alike. A queue broker and its consumer group (consumers.ts) talk through QueueSide and ConsumerPool.
import type { HashesState } from '../sim/state-hash.js';
import type { Leases } from './leases.js';

/** What a simulation needs from a broker, queue or log (it takes publishes through its PublishEndpoint). */
export interface Broker extends HashesState {
  /** Schedules the broker's own scheduled faults (a log broker also starts its consumers' poll loops). */
  start(): void;
}

/** Ack payload flag: the consumer rejects the delivery (processing failed). */
export const NACK = 1;
/** Ack payload flag: a lease extension of the delivery (consumers.leaseExtension), not its end. */
export const EXTEND = 2;

/** Largest entry ordinal a delivery payload carries; later copies of one message share it. */
const MAX_ORDINAL = 2 ** 17 - 1;

/** Packs an entry ordinal and a consumer index (below 16,384) into one delivery payload field. */
export function packDelivery(ordinal: number, consumer: number): number {
  return Math.min(ordinal, MAX_ORDINAL) * 16384 + consumer;
}

/** The consumer index of a packed delivery. */
export function packedConsumer(packed: number): number {
  return packed % 16384;
}

/** The entry ordinal of a packed delivery. */
export function packedOrdinal(packed: number): number {
  return Math.floor(packed / 16384);
}

/** What the queue consumers need from the queue broker. */
export interface QueueSide {
  /** Hands queued messages to consumers that have room, until either runs out. */
  pump(): void;
  /** Consumer `c` crashed: its connection is gone (a broker may requeue its unacked deliveries). */
  consumerLost(c: number): void;
  /** Pull delivery: consumer `c` holds nothing and asks for up to `prefetch` messages. */
  poll(c: number): void;
  /** The deliveries' visibility deadlines where consumers extend them (consumers.leaseExtension), else undefined. */
  readonly leases: Leases | undefined;
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
  /** Whether consumer `c` is frozen by a stall (consumers.stall) now. */
  stalled(c: number): boolean;
}
