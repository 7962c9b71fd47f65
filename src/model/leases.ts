// Lease extension (consumers.leaseExtension), the broker's side: each delivery's visibility deadline, which an
// extension pushes later when it arrives, and whether an extension sent since the last one that arrived was lost
// or late (then an expiry is the extension's fault: cause leaseExtensionLost). The consumers' side is
// lease-keeper.ts. Only a run with lease extension has these columns (and hashes them).
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import { grown } from './columns.js';
import { visibilityTimeoutOf } from './config.js';
import { EntryState } from './entry-table.js';
import { Ev, type World } from './world.js';

/** The visibility deadline of every delivery in flight, as its extensions move it. */
export class Leases implements HashesState {
  /** Per entry: when its latest delivery's visibility timeout runs out. */
  private until = new Float64Array(64);
  /** Per entry: 1 when an extension of its latest delivery was lost or late since the last one that arrived. */
  private missed = new Uint8Array(64);
  private readonly extendToMs: number;

  constructor(private readonly world: World) {
    this.extendToMs = world.config.consumers.leaseExtension.extendToMs;
  }

  /** Entry `e` was just delivered, visible again at `deadlineMs` unless extended. */
  delivered(e: number, deadlineMs: number): void {
    if (e >= this.until.length) {
      this.until = grown(this.until, Math.max(e + 1, this.until.length * 2));
      this.missed = grown(this.missed, this.until.length);
    }
    this.until[e] = deadlineMs;
    this.missed[e] = 0;
  }

  /** Whether entry `e`'s visibility timer firing now is its deadline (not one an extension moved). */
  due(e: number): boolean {
    return this.world.kernel.now >= this.until[e]!;
  }

  /** Whether an extension of entry `e`'s delivery was lost or late since the last one arrived. */
  missedOne(e: number): boolean {
    return this.missed[e] === 1;
  }

  /** An extension of delivery `k` of `m` (entry `e`) arrived while it was current: the lease runs on from now. */
  extend(e: number, m: number, k: number): void {
    const { kernel, config } = this.world;
    const to = this.extendToMs > 0 ? this.extendToMs : visibilityTimeoutOf(config.broker, k);
    const deadline = kernel.now + to;
    this.missed[e] = 0;
    if (deadline <= this.until[e]!) return;
    this.until[e] = deadline;
    kernel.at(deadline, Ev.visibilityExpire, e, m, k);
  }

  /** The consumer sent an extension of delivery `k` of `m` (entry `e`): `copies` arrive, the last at `arrivalMs`. */
  sent(e: number, m: number, k: number, copies: number, arrivalMs: number): void {
    const entries = this.world.entries;
    if (entries.message[e] !== m || entries.lastDelivery[e] !== k) return;
    if (copies === 0 || arrivalMs >= this.until[e]!) this.missed[e] = 1;
  }

  hashState(h: StateHasher): void {
    const entries = this.world.entries;
    for (let e = 0; e < entries.state.length; e++) {
      if (entries.state[e] !== EntryState.inFlight) continue;
      h.num(this.until[e]!);
      h.int(this.missed[e]!);
    }
  }
}
