// What a real system's log says happened to each message, in compact per-id columns: memory grows
// with the number of distinct ids, not of lines. Lines may come in any order (several files, clocks
// of several hosts): only counts, first times and, for ids with more than one effect, every effect's
// time are kept, so the result does not depend on the order.
import { zeroFaults } from '../model/world.js';
import { histogramOf, latencyOf } from '../run/latency.js';
import type { Measured, Metrics } from '../run/metrics.js';
import { EventCode, type AuditEvent } from './event.js';

/** What only a real log shows, beside the metrics a simulated run also has. */
export interface AuditFacts {
  /** Lines read (blank lines not counted), and those that were bad (skipped). */
  lines: number;
  badLines: number;
  /** Published messages whose publish was confirmed. */
  confirmed: number;
  /** Published, never confirmed, never delivered, no effect: the producer cannot know (Jepsen's indeterminate); not lost. */
  indeterminate: number;
  /** Published, never confirmed, yet processed: an indeterminate publish that made it (not an error). */
  recovered: number;
  /** Messages with an effect whose publish is not in the log. */
  unexpected: number;
  /** With a dedupe window: extra effects within the window of the first (a dedupe store catches them), and after it. */
  dedupeWindowMs?: number;
  caughtByDedupeWindow?: number;
  missedByDedupeWindow?: number;
  /** Earliest and latest time in the log, ms. */
  firstTs: number;
  lastTs: number;
}

/** A measured audit: the metrics of a run plus the log's own facts. */
export interface AuditMeasured extends Measured {
  audit: AuditFacts;
}

/** Growable typed columns, one row per distinct id. */
class Columns {
  size = 0;
  publishes = new Uint32Array(1024);
  deliveries = new Uint32Array(1024);
  effects = new Uint32Array(1024);
  flags = new Uint8Array(1024);
  firstPublishTs = new Float64Array(1024);
  firstEffectTs = new Float64Array(1024);

  add(): number {
    if (this.size === this.publishes.length) {
      const grow = <T extends Uint32Array | Uint8Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.publishes = grow(this.publishes);
      this.deliveries = grow(this.deliveries);
      this.effects = grow(this.effects);
      this.flags = grow(this.flags);
      this.firstPublishTs = grow(this.firstPublishTs);
      this.firstEffectTs = grow(this.firstEffectTs);
    }
    this.firstPublishTs[this.size] = Infinity;
    this.firstEffectTs[this.size] = Infinity;
    return this.size++;
  }
}

const CONFIRMED = 1;
const DEAD_LETTERED = 2;

/** Counts a log's events per message id. */
export class AuditTally {
  /** Ids to rows, in 64 maps: one JavaScript Map holds at most 2^24 entries. */
  private readonly index = Array.from({ length: 64 }, () => new Map<string, number>());
  private readonly rows = new Columns();
  /** Every effect time of ids with more than one effect (the rest need only the first). */
  private readonly effectTimes = new Map<number, number[]>();
  private lines = 0;
  private badLines = 0;
  private firstTs = Infinity;
  private lastTs = -Infinity;

  /** Counts one event. */
  add(event: AuditEvent): void {
    this.lines++;
    const id = event.id;
    const map = this.index[(id.charCodeAt(id.length - 1) * 31 + id.charCodeAt(id.length >> 1) * 7 + id.length) & 63]!;
    let row = map.get(id);
    if (row === undefined) {
      row = this.rows.add();
      map.set(id, row);
    }
    const r = this.rows;
    if (event.ts < this.firstTs) this.firstTs = event.ts;
    if (event.ts > this.lastTs) this.lastTs = event.ts;
    switch (event.type) {
      case EventCode.publish:
        r.publishes[row]!++;
        if (event.ts < r.firstPublishTs[row]!) r.firstPublishTs[row] = event.ts;
        break;
      case EventCode.confirm:
        r.flags[row]! |= CONFIRMED;
        break;
      case EventCode.deliver:
        r.deliveries[row]!++;
        break;
      case EventCode.effect: {
        const previous = r.effects[row]!++;
        if (previous === 1) this.effectTimes.set(row, [r.firstEffectTs[row]!, event.ts]);
        else if (previous > 1) this.effectTimes.get(row)!.push(event.ts);
        if (event.ts < r.firstEffectTs[row]!) r.firstEffectTs[row] = event.ts;
        break;
      }
      case EventCode.ack:
        // An ack settles nothing an effect does not: counted as a line only.
        break;
      default:
        r.flags[row]! |= DEAD_LETTERED;
    }
  }

  /** Counts a bad line that was skipped. */
  skip(): void {
    this.lines++;
    this.badLines++;
  }

  /** Distinct message ids so far. */
  get ids(): number {
    return this.rows.size;
  }

  /** The metrics of everything counted; `dedupeWindowMs` also splits duplicates by that window. */
  measure(dedupeWindowMs?: number): AuditMeasured {
    const r = this.rows;
    let anyConfirm = false;
    for (let i = 0; i < r.size && !anyConfirm; i++) anyConfirm = (r.flags[i]! & CONFIRMED) !== 0;
    const c = {
      produced: 0,
      processed: 0,
      lost: 0,
      deadLettered: 0,
      deadLetteredProcessed: 0,
      duplicates: 0,
      duplicateEffects: 0,
      attempts: 0,
      deliveries: 0,
    };
    const f = { confirmed: 0, indeterminate: 0, recovered: 0, unexpected: 0, redeliveries: 0 };
    const loss = { neverDelivered: 0, deliveredNotProcessed: 0 };
    const dup = { redelivered: 0, republished: 0, sameDelivery: 0 };
    const latencies = new Float64Array(r.size);
    for (let i = 0; i < r.size; i++) {
      const publishes = r.publishes[i]!;
      const effects = r.effects[i]!;
      const deliveries = r.deliveries[i]!;
      const confirmed = (r.flags[i]! & CONFIRMED) !== 0;
      if (publishes === 0) {
        if (effects > 0) f.unexpected++;
        continue;
      }
      c.produced++;
      c.attempts += publishes;
      c.deliveries += deliveries;
      if (deliveries > 1) f.redeliveries += deliveries - 1;
      if (confirmed) f.confirmed++;
      const deadLettered = (r.flags[i]! & DEAD_LETTERED) !== 0;
      if (deadLettered) c.deadLettered++;
      if (effects > 0) {
        if (deadLettered) c.deadLetteredProcessed++;
        latencies[c.processed++] = r.firstEffectTs[i]! - r.firstPublishTs[i]!;
        if (anyConfirm && !confirmed) f.recovered++;
        if (effects > 1) {
          c.duplicates++;
          c.duplicateEffects += effects - 1;
          // More deliveries than stored copies could explain: a copy was delivered again.
          if (deliveries > publishes) dup.redelivered++;
          else if (publishes > 1) dup.republished++;
          else dup.sameDelivery++;
        }
      } else if (deadLettered) {
        // Counted above: in the dead-letter queue, neither lost nor indeterminate.
      } else if (anyConfirm && !confirmed && deliveries === 0) {
        // Never confirmed and never delivered: the producer cannot know whether the broker has it.
        f.indeterminate++;
      } else {
        c.lost++;
        if (deliveries === 0) loss.neverDelivered++;
        else loss.deliveredNotProcessed++;
      }
    }
    const histogram = histogramOf(latencies.subarray(0, c.processed));
    const latencyMs = latencyOf(histogram);
    histogram.destroy();
    const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
    const metrics: Metrics = {
      produced: c.produced,
      processed: c.processed,
      lost: c.lost,
      deadLettered: c.deadLettered,
      deadLetteredProcessed: c.deadLetteredProcessed,
      expired: 0,
      unresolved: 0,
      duplicates: c.duplicates,
      duplicateEffects: c.duplicateEffects,
      lossRate: ratio(c.lost, c.produced),
      duplicateRate: ratio(c.duplicates, c.processed),
      retryRate: ratio(c.attempts - c.produced + f.redeliveries, c.produced),
      publishAttempts: c.attempts,
      publishRetries: c.attempts - c.produced,
      deliveries: c.deliveries,
      redeliveries: f.redeliveries,
      suppressedDuplicates: 0,
      visibilityTimeoutBreaches: 0,
      maxQueueDepth: 0,
      peakPublishPerSec: 0,
      reordered: 0,
      // A log does not say what an effect does to the sink.
      stateError: 0,
      stateErrorAbs: 0,
      latencyMs,
      simulatedMs: r.size === 0 ? 0 : this.lastTs - this.firstTs,
      events: this.lines - this.badLines,
    };
    const audit: AuditFacts = {
      lines: this.lines,
      badLines: this.badLines,
      confirmed: f.confirmed,
      indeterminate: f.indeterminate,
      recovered: f.recovered,
      unexpected: f.unexpected,
      firstTs: r.size === 0 ? 0 : this.firstTs,
      lastTs: r.size === 0 ? 0 : this.lastTs,
      ...(dedupeWindowMs === undefined ? {} : { dedupeWindowMs, ...this.dedupeSplit(dedupeWindowMs) }),
    };
    return {
      endedBy: 'resolved',
      metrics,
      lossByCause: loss,
      duplicatesByCause: dup,
      stateErrorByCause: {},
      faultsInjected: zeroFaults(),
      audit,
    };
  }

  /** Extra effects of published messages within `windowMs` of the first effect, and after it. */
  private dedupeSplit(windowMs: number): { caughtByDedupeWindow: number; missedByDedupeWindow: number } {
    let caught = 0;
    let missed = 0;
    for (const [row, times] of this.effectTimes) {
      if (this.rows.publishes[row] === 0) continue;
      const first = this.rows.firstEffectTs[row]!;
      // The first effect is the one recorded; a window of 0 remembers forever.
      const within = times.filter((t) => windowMs === 0 || t - first < windowMs).length - 1;
      caught += within;
      missed += times.length - 1 - within;
    }
    return { caughtByDedupeWindow: caught, missedByDedupeWindow: missed };
  }
}
