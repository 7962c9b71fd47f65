// A lane of the event queue (event-queue.ts): the events of one timer kind, which arrive in time order, first in
// first out.

/**
 * A first-in first-out run of one kind's events, each no earlier than the one before: a ring of slots.
 * Timers of a fixed delay (a confirm timeout, a visibility timeout) are pushed in time order, and at
 * 5,000 messages a second and a 30 s timeout some 150,000 of them wait at once: in a lane, a push and a
 * pop cost a few steps instead of a climb through a heap 17 levels deep.
 */
export class Lane {
  ring = new Int32Array(16);
  head = 0;
  count = 0;
  /** Time of the last event pushed: a later push at an earlier time goes to the heap instead. */
  lastTime = -Infinity;

  push(slot: number, time: number): void {
    if (this.count === this.ring.length) {
      const grown = new Int32Array(this.ring.length * 2);
      for (let i = 0; i < this.count; i++) grown[i] = this.ring[(this.head + i) & (this.ring.length - 1)]!;
      this.ring = grown;
      this.head = 0;
    }
    this.ring[(this.head + this.count++) & (this.ring.length - 1)] = slot;
    this.lastTime = time;
  }

  /** The first slot (the lane must not be empty). */
  first(): number {
    return this.ring[this.head]!;
  }

  shift(): void {
    this.head = (this.head + 1) & (this.ring.length - 1);
    this.count--;
  }
}
