// Pull delivery at the queue broker: it answers a consumer's ask with a batch, copies back in line first.
// A copy back in line waits for a waiting consumer's next ask (Redis XAUTOCLAIM, broker.pullRedelivery
// on-ask), or goes at once to the consumer waiting longest (NATS JetStream's redelivery queue, at-once).
import type { ConsumerPool } from './broker.js';
import { IntRing } from './int-ring.js';
import { Ev, type World } from './world.js';

/** What the pull claims need from the rest of the queue broker. */
export interface ClaimsQueue {
  /** False while the broker is down. */
  readonly isUp: boolean;
  /** Whether the copy at the head of `ring` is still the one queued there. */
  headIsCurrent(ring: IntRing): boolean;
  /** Delivers stored copy `e` to consumer `c`. */
  dispatch(e: number, c: number): void;
  /** Hands queued messages to consumers that have room. */
  pump(): void;
  /** New copies in line, [entry, queue token]. */
  readonly ready: IntRing;
}

/** Pull answers and the copies back in line that a consumer claims (the claimable ring and its tick). */
export class PullClaims {
  /** Copies delivered before and back in line, [entry, queue token], which an asking consumer takes first. */
  readonly claimable = new IntRing(2, 64);
  /** The pending claim tick (a waiting consumer asks again), by token and time. */
  tickToken = 0;
  tickAtMs = Infinity;
  private consumers!: ConsumerPool;
  /** A copy back in line goes at once to a waiting consumer (broker.pullRedelivery at-once), not at its next ask. */
  private readonly atOnce: boolean;

  constructor(
    private readonly world: World,
    private readonly queue: ClaimsQueue,
  ) {
    this.atOnce = world.config.broker.pullRedelivery === 'at-once';
    world.kernel.on(Ev.claimTick, (c, token) => this.onClaimTick(c, token));
  }

  /** Connects the consumer group. */
  attach(consumers: ConsumerPool): void {
    this.consumers = consumers;
  }

  /** Puts stored copy `e` (queued under `token`) back in line to be claimed. */
  push(e: number, token: number): void {
    this.claimable.push(e, token);
    this.schedule();
  }

  /** Dispatches up to `limit` (prefetch) current copies from `ring` to consumer `c` (one answer); returns how many. */
  answer(ring: IntRing, c: number, limit = this.world.config.consumers.prefetch): number {
    let taken = 0;
    while (taken < limit && ring.length > 0) {
      const current = this.queue.headIsCurrent(ring);
      const e = ring.peek(0);
      ring.shift();
      if (!current) continue;
      this.queue.dispatch(e, c);
      taken++;
    }
    return taken;
  }

  /**
   * Consumer `c` holds nothing and asks. It claims copies back in line first (XAUTOCLAIM), and
   * only without any reads new ones (XREADGROUP COUNT prefetch); with none, it waits for the next.
   * At-once, the batch's rest is new copies (JetStream serves its redelivery queue first, then the stream).
   */
  poll(c: number): void {
    if (this.queue.isUp && this.claim(c) > 0) return;
    this.consumers.startWaiting(c);
    this.queue.pump();
  }

  /**
   * At once: the consumers that wait take the copies back in line first, each batch's rest new copies (a broker
   * restart requeues every copy out, before new ones go out to the waiting consumers).
   */
  serveWaiting(): void {
    if (!this.atOnce) return;
    for (let c = this.consumers.available(); c >= 0 && this.queue.isUp; c = this.consumers.available()) {
      if (this.claim(c) === 0) return;
      this.consumers.answered(c);
    }
  }

  /** One answer to consumer `c` from the copies back in line, filled up at once with new ones; how many it claimed. */
  private claim(c: number): number {
    const taken = this.answer(this.claimable, c);
    const prefetch = this.world.config.consumers.prefetch;
    if (taken > 0 && this.atOnce && taken < prefetch) this.answer(this.queue.ready, c, prefetch - taken);
    return taken;
  }

  /**
   * A copy back in line is claimed when a waiting consumer's read times out and it asks again
   * (a new message wakes a reader; a redelivery does not), or, at-once, by the consumer waiting
   * longest, now. Schedules the first such ask, unless an earlier one is pending (a consumer only
   * starts waiting when nothing is claimable, so the pending tick is never later than the first ask
   * of the consumers still waiting).
   */
  schedule(): void {
    if (!this.queue.isUp || this.claimable.length === 0) return;
    let first = -1;
    let atMs = Infinity;
    if (this.atOnce) {
      first = this.consumers.available();
      if (first >= 0) atMs = this.world.kernel.now;
    } else {
      for (let c = 0; c < this.world.config.consumers.count; c++) {
        const ask = this.consumers.nextAskMs(c);
        if (ask < atMs) [first, atMs] = [c, ask];
      }
    }
    if (first < 0 || atMs >= this.tickAtMs) return;
    this.tickAtMs = atMs;
    this.world.kernel.at(atMs, Ev.claimTick, first, ++this.tickToken);
  }

  private onClaimTick(c: number, token: number): void {
    if (token !== this.tickToken) return;
    this.tickAtMs = Infinity;
    // The consumer's read timed out: it asks again, claiming first. Nothing to claim: it reads on.
    if (this.queue.isUp && Number.isFinite(this.consumers.nextAskMs(c)) && this.answer(this.claimable, c) > 0)
      this.consumers.answered(c);
    this.schedule();
  }
}
