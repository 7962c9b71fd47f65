// The queue consumers' connections to the broker: each consumer's channel and process life, and how
// many deliveries it holds against its prefetch (which is how a pushing broker picks one with room).
import type { World } from './world.js';

/** Per consumer: its channel, its life and what it holds; the round robin over those with room. */
export class ConsumerChannels {
  private readonly count: number;
  private readonly prefetch: number;
  /** Prefetch frees a slot at the broker's ack, not at the end of processing (RabbitMQ). */
  readonly countsUnacked: boolean;
  /** The consumer's channel: deliveries and acks belong to one; a crash or a channel close opens the next. */
  readonly incarnations: Int32Array;
  /** The consumer's process: a crash ends work in progress, a channel close does not. */
  readonly lives: Int32Array;
  /** Deliveries each consumer holds against its prefetch (the whole prefetch while its channel reopens). */
  readonly inflight: Int32Array;
  /** Push delivery: where the round robin looks first. */
  nextConsumer = 0;

  /** The columns the consumers' state hash folds, in its order (it must not change). */
  get hashed(): readonly ArrayLike<number>[] {
    return [this.incarnations, this.lives, this.inflight];
  }

  constructor(
    world: World,
    /** Per consumer: 1 while it runs (the processing pipeline's). */
    private readonly up: Uint8Array,
  ) {
    const { consumers, broker, mode } = world.config;
    this.count = consumers.count;
    // Where prefetch counts unacked deliveries, auto-ack leaves none unacked: no limit (RabbitMQ no-ack consumers).
    this.prefetch = broker.prefetchCountsUnacked && mode.ack === 'auto' ? Infinity : consumers.prefetch;
    this.countsUnacked = broker.prefetchCountsUnacked && mode.ack !== 'auto';
    this.incarnations = new Int32Array(this.count);
    this.lives = new Int32Array(this.count);
    this.inflight = new Int32Array(this.count);
  }

  /** Push delivery: the next consumer in the round robin that is up and has room, or -1. */
  withRoom(): number {
    for (let i = 0; i < this.count; i++) {
      const c = (this.nextConsumer + i) % this.count;
      if (this.up[c] === 1 && this.inflight[c]! < this.prefetch) {
        this.nextConsumer = (c + 1) % this.count;
        return c;
      }
    }
    return -1;
  }

  /** Counts a delivery dispatched to consumer `c`. */
  reserve(c: number): void {
    this.inflight[c]!++;
  }

  /** Whether `channel` is consumer `c`'s current channel (what it receives and acks on belongs to it). */
  isOpen(c: number, channel: number): boolean {
    return channel === this.incarnations[c];
  }

  /** A network duplicate of a delivery takes a slot of its own, unless prefetch counts the broker's unacked ones. */
  receivedDuplicate(c: number): void {
    if (!this.countsUnacked) this.inflight[c]!++;
  }

  /** A delivery on consumer `c`'s open channel ended at the consumer; returns whether that freed a slot. */
  release(c: number): boolean {
    // Where prefetch counts unacked deliveries, the slot stays taken until the broker takes it back.
    if (this.countsUnacked) return false;
    this.inflight[c]!--;
    return true;
  }

  /** The broker no longer counts a delivery to `c` as outstanding (acked, nacked, timed out). */
  acked(c: number): void {
    if (this.countsUnacked && this.inflight[c]! > 0) this.inflight[c]!--;
  }

  /** The broker closed `c`'s channel: a new one, which takes no delivery until `open`. */
  close(c: number): void {
    this.incarnations[c]!++;
    this.inflight[c] = this.prefetch;
  }

  /** Consumer `c`'s new channel is open: it takes deliveries again. */
  open(c: number): void {
    this.inflight[c] = 0;
  }

  /** Consumer `c` crashed: a new life and a new channel, holding nothing. */
  crashed(c: number): void {
    this.incarnations[c]!++;
    this.lives[c]!++;
    this.inflight[c] = 0;
  }
}
