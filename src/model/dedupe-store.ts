// The consumer's dedupe store: remembers processed ids for `windowMs` (0 = forever) and at most
// `capacity` ids (0 = unbounded), evicting the oldest record first.
import type { DedupeConfig } from './config.js';
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import { IntRing } from './int-ring.js';
import { DedupeFlag, type MessageTable } from './state.js';

/** Remembers which message ids were processed. */
export class DedupeStore implements HashesState {
  private readonly order: IntRing;
  private size = 0;
  private nextSeq = 0;

  constructor(
    private readonly config: DedupeConfig,
    private readonly messages: MessageTable,
  ) {
    this.order = new IntRing(2, config.capacity > 0 ? Math.min(config.capacity, 1 << 16) : 4);
  }

  hashState(h: StateHasher): void {
    h.int(this.size);
    h.int(this.nextSeq);
    this.order.hashState(h);
  }

  /** True when message `m` (active slot `s`) was recorded and is still remembered at `nowMs`. */
  has(s: number, nowMs: number): boolean {
    const recordedAt = this.messages.recordedAtMs[s]!;
    if (Number.isNaN(recordedAt)) return false;
    return this.config.windowMs === 0 || nowMs - recordedAt < this.config.windowMs;
  }

  /** Records message `m` (active slot `s`) as processed at `nowMs`. */
  record(m: number, s: number, nowMs: number): void {
    const messages = this.messages;
    if (this.has(s, nowMs)) return;
    messages.recordedAtMs[s] = nowMs;
    messages.dedupeFlags[s]! &= ~DedupeFlag.evicted;
    if (this.config.capacity === 0) return;
    const seq = this.nextSeq++;
    messages.recordSeq[s] = seq;
    this.order.push(m, seq);
    if (++this.size > this.config.capacity) this.evictOldest(nowMs);
  }

  private evictOldest(nowMs: number): void {
    const m = this.order.peek(0);
    const seq = this.order.peek(1);
    this.order.shift();
    this.size--;
    // Resolved messages never come back, so only an active message needs to forget its record.
    const s = this.messages.slot(m);
    if (s >= 0 && this.messages.recordSeq[s] === seq) {
      // A record whose window already passed was forgotten by the window, not by the eviction.
      if (this.has(s, nowMs)) {
        this.messages.recordedAtMs[s] = NaN;
        this.messages.dedupeFlags[s]! |= DedupeFlag.evicted;
      }
    }
  }
}
