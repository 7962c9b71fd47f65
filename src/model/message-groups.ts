// Message groups (broker.messageGroups: SQS FIFO's MessageGroupId, Service Bus sessions, Pub/Sub ordering keys):
// a message's key is its group, and while one message of a group is out (delivered, or back in line after a
// failed delivery) the group's next message waits. A message that keeps failing holds its group until it is
// acked or dead-lettered; groupBlockedMs is how long groups waited so, from the holder's first failure to its
// release, where a message of the group was waiting behind it.
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import { IntRing } from './int-ring.js';
import type { MessageKeys } from './keys.js';
import { EntryState } from './entry-table.js';
import type { World } from './world.js';

/** Which copy holds each group, and the copies waiting behind it. */
export class MessageGroups implements HashesState {
  /** Per group: the entry that holds it, -1 if none. */
  private readonly holder: Int32Array;
  /** Per group: when its holder first failed (NaN if it has not). */
  private readonly failedSince: Float64Array;
  /** Per group: [entry, queue token] of the copies that reached the head of the line while it was held. */
  private readonly waiting: IntRing[];

  constructor(
    private readonly world: World,
    private readonly keys: MessageKeys,
  ) {
    this.holder = new Int32Array(keys.count).fill(-1);
    this.failedSince = new Float64Array(keys.count).fill(NaN);
    this.waiting = IntRing.many(keys.count, 2, 4);
  }

  hashState(h: StateHasher): void {
    h.column(this.holder);
    h.column(this.failedSince);
    for (const ring of this.waiting) ring.hashState(h);
  }

  private groupOf(e: number): number {
    return this.keys.keyOf(this.world.entries.message[e]!);
  }

  /** Whether copy `e` may be delivered now: its group is free, or it holds it itself. */
  mayDeliver(e: number): boolean {
    const holder = this.holder[this.groupOf(e)]!;
    return holder < 0 || holder === e;
  }

  /** Copy `e` (queue token `token`) reached the head of the line while its group was held: it waits for the group. */
  park(e: number, token: number): void {
    this.waiting[this.groupOf(e)]!.push(e, token);
  }

  /** Copy `e` was delivered: it holds its group. */
  delivered(e: number): void {
    this.holder[this.groupOf(e)] = e;
  }

  /** Copy `e`'s delivery failed (a nack, a timeout, a lost consumer): its group stays held, now blocked. */
  failed(e: number): void {
    const g = this.groupOf(e);
    if (this.holder[g] === e && Number.isNaN(this.failedSince[g])) this.failedSince[g] = this.world.kernel.now;
  }

  /**
   * Copy `e` left the queue (acked, dead-lettered, expired): the group passes to its oldest waiting copy, which is
   * returned to be put back in line (-1: none, the group is free).
   */
  release(e: number): number {
    const g = this.groupOf(e);
    if (this.holder[g] !== e) return -1;
    this.holder[g] = -1;
    const { entries, counters, kernel } = this.world;
    const waiting = this.waiting[g]!;
    if (!Number.isNaN(this.failedSince[g]) && waiting.length > 0)
      counters.groupBlockedMs += kernel.now - this.failedSince[g]!;
    this.failedSince[g] = NaN;
    // A waiting copy that expired or was lost since is skipped.
    while (waiting.length > 0) {
      const next = waiting.peek(0);
      const current = entries.state[next] === EntryState.queued && entries.queueToken[next] === waiting.peek(1);
      waiting.shift();
      if (!current) continue;
      // The group is the waiter's now: a later copy of the group that reaches the head first must not take it.
      this.holder[g] = next;
      return next;
    }
    return -1;
  }

  /** A broker that lost everything it held (a crash, not durable): no group is held or waited for. */
  clear(): void {
    this.holder.fill(-1);
    this.failedSince.fill(NaN);
    for (const ring of this.waiting) ring.clear();
  }
}
