// What a real system's log says happened to each message, in compact per-id columns: memory grows
// with the number of distinct ids, not of lines. Lines may come in any order (several files, clocks
// of several hosts): only counts, first times and, for ids with more than one effect, every effect's
// time are kept, so the result does not depend on the order.
import { zeroFaults } from '../model/world.js';
import { countedLatencyOf } from '../run/latency.js';
import type { Measured } from '../run/metrics.js';
import { EventCode, type AuditEvent } from './event.js';
import { Columns } from './columns.js';
import { IdIndex } from './id-index.js';
import { AuditBounds } from './bounds.js';
import { KeyOrder } from './key-order.js';
import { OffsetLog } from './offset-log.js';
import { confirmRule, type AuditFacts, type ConfirmsSetting } from './facts.js';
import { metricsOf } from './outcomes.js';
import { idOutcomes, Kind, valueOutcomes } from './identity.js';

export type { AuditFacts } from './facts.js';

/** A measured audit: the metrics of a run plus the log's own facts. */
export interface AuditMeasured extends Measured {
  audit: AuditFacts;
}

/** How to measure: the dedupe window to split duplicates by, and how to read confirms (auto by default). */
export interface MeasureOptions {
  dedupeWindowMs?: number;
  confirms?: ConfirmsSetting;
  /** What a message is: an id (a repeated publish is a retry), or a value, Jepsen's way (every publish is one). */
  identity?: 'id' | 'value';
}

import { CONFIRMED, DEAD_LETTERED } from './columns.js';

/** Counts a log's events per message id. */
export class AuditTally {
  /** Ids to rows (one JavaScript Map would hold at most 2^24 of them). */
  private readonly index = new IdIndex();
  private readonly rows = new Columns();
  /** Every effect time of ids with more than one effect (the rest need only the first). */
  private readonly effectTimes = new Map<number, number[]>();
  /** How many times effectTimes holds in all. */
  private effectTimesHeld = 0;
  /** Messages' keys, where events carry them (per-key order). */
  private readonly keyOrder: KeyOrder;
  /** Where the broker's log holds messages, where events say so (Jepsen's Kafka anomalies). */
  private readonly offsets: OffsetLog;
  private lines = 0;
  /** Events beyond one per line (a trace's line holds many spans' events; one with none, -1). */
  private moreEvents = 0;
  private badLines = 0;
  /** The id of the last event added and its row: events of one message often come one after another. */
  private lastId = '';
  private lastRow = -1;
  private firstTs = Infinity;
  private lastTs = -Infinity;

  /** `bounds`: how much the tally holds at most (bounds.ts; a test's smaller bounds). */
  constructor(private readonly bounds = new AuditBounds()) {
    this.keyOrder = new KeyOrder(bounds);
    this.offsets = new OffsetLog(bounds);
  }

  /** The row of an id, a new one for an id not seen before; remembered as the last id's. */
  private rowOf(id: string): number {
    const row = this.index.rowOf(id);
    if (row === this.rows.size) {
      this.bounds.room(row, 'distinct message ids', id.length);
      this.rows.add();
    }
    this.lastId = id;
    this.lastRow = row;
    return row;
  }

  /** Counts one event. */
  add(event: AuditEvent): void {
    this.lines++;
    const id = event.id;
    const row = id === this.lastId ? this.lastRow : this.rowOf(id);
    if (event.key !== undefined) this.keyOrder.note(row, event.key);
    // A failed publish wrote nothing, whatever offset the client was told (Jepsen's aborted sends).
    if (event.offset !== undefined && event.type !== EventCode['publish-failed'])
      this.offsets.note(row, event.offset, event.partition, event.type === EventCode.deliver ? event : undefined);
    const r = this.rows;
    const ts = event.ts;
    if (ts < this.firstTs) this.firstTs = ts;
    if (ts > this.lastTs) this.lastTs = ts;
    switch (event.type) {
      case EventCode.publish:
        r.publishes[row]!++;
        if (ts > r.lastPublishTs[row]!) r.lastPublishTs[row] = ts;
        if (ts < r.firstPublishTs[row]!) {
          r.firstPublishTs[row] = ts;
          r.atFirstPublish[row] = 1;
        } else if (ts === r.firstPublishTs[row]) r.atFirstPublish[row]!++;
        break;
      case EventCode['publish-failed']:
        r.failedPublishes[row]!++;
        if (ts > r.lastFailedTs[row]!) r.lastFailedTs[row] = ts;
        break;
      case EventCode.confirm:
        r.flags[row]! |= CONFIRMED;
        r.confirms[row]!++;
        break;
      case EventCode.deliver:
        r.deliveries[row]!++;
        break;
      case EventCode.effect: {
        const previous = r.effects[row]!;
        if (previous > 0) this.bounds.room(this.effectTimesHeld, 'effects of messages processed more than once');
        r.effects[row] = previous + 1;
        if (previous === 1) this.effectTimes.set(row, [r.firstEffectTs[row]!, ts]);
        else if (previous > 1) this.effectTimes.get(row)!.push(ts);
        if (previous > 0) this.effectTimesHeld += previous === 1 ? 2 : 1;
        if (ts < r.firstEffectTs[row]!) r.firstEffectTs[row] = ts;
        break;
      }
      case EventCode['dead-letter']:
        r.flags[row]! |= DEAD_LETTERED;
        r.deadLetters[row]!++;
        break;
      default:
      // An ack settles nothing an effect does not: it only makes its id known.
    }
  }

  /** Counts the events of one line that holds any number of them (a line of traces). */
  addLine(events: readonly AuditEvent[]): void {
    for (const event of events) this.add(event);
    this.lines -= events.length - 1;
    this.moreEvents += events.length - 1;
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

  /** Publish attempts of a row, a line repeated at the first publish time counted once. */
  private attempts(row: number): number {
    const publishes = this.rows.publishes[row]!;
    return publishes === 0 ? 0 : publishes - this.rows.atFirstPublish[row]! + 1;
  }

  /**
   * A message with neither publish nor publish-failed is unexpected; one whose publish attempts all
   * failed (no publish besides them and no confirm; a publish-failed line follows its attempt's publish) failed.
   * A publish after the latest failure is an attempt no failure followed, whatever the count of failure lines
   * (a failure line repeated by a log shipper counts twice): the message was produced.
   */
  private kind(row: number): Kind {
    const r = this.rows;
    const failed = r.failedPublishes[row]!;
    const attempts = this.attempts(row);
    if (attempts === 0) return failed === 0 ? Kind.Unexpected : Kind.Failed;
    const lastFailed = failed >= attempts && r.lastFailedTs[row]! >= r.lastPublishTs[row]!;
    return lastFailed && (r.flags[row]! & CONFIRMED) === 0 ? Kind.Failed : Kind.Produced;
  }

  /** The metrics of everything counted. */
  measure(options: MeasureOptions = {}): AuditMeasured {
    const kinds = this.kinds();
    const byValue = options.identity === 'value';
    // By value every publish line is a message (two at one instant too); by id a repeated line is one event, twice.
    const attempts = Uint32Array.from({ length: this.rows.size }, (_v, i) =>
      byValue ? this.rows.publishes[i]! : this.attempts(i),
    );
    const counts = this.confirmCounts(kinds, byValue ? attempts : undefined);
    const rule = confirmRule(options.confirms ?? 'auto', counts);
    const outcomesOf = byValue ? valueOutcomes : idOutcomes;
    const { outcomes: o, latencies } = outcomesOf(this.rows, kinds, attempts, rule.confirms === 'present');
    // The histogram's percentiles, counted without one (no library to load for an audit of any size).
    const latencyMs = countedLatencyOf(latencies);
    const empty = this.rows.size === 0;
    const r = this.rows;
    const order = this.keyOrder.outOfOrder(
      r.size,
      r.firstPublishTs,
      r.firstEffectTs,
      (row) => kinds[row] === Kind.Produced,
    );
    const metrics = metricsOf(o, {
      latencyMs,
      spanMs: empty ? 0 : this.lastTs - this.firstTs,
      events: this.lines - this.badLines + this.moreEvents,
      outOfOrder: order.late,
    });
    const windowMs = options.dedupeWindowMs;
    const audit: AuditFacts = {
      lines: this.lines,
      badLines: this.badLines,
      confirmed: counts.confirmed,
      indeterminate: o.indeterminate,
      recovered: o.recovered,
      unexpected: o.unexpected,
      unexpectedProcessed: o.unexpectedProcessed,
      failedPublishes: o.failed,
      failedButProcessed: o.failedButProcessed,
      effectBeforePublish: o.effectBeforePublish,
      repeatedPublishes: o.repeatedPublishes,
      ...this.keyOrder.keyed(r.size, (row) => kinds[row] === Kind.Produced),
      orderCompared: order.compared,
      keyConflicts: this.keyOrder.conflicts,
      ...this.offsets.measure({
        partitionOf: (row) => this.keyOrder.partitionOf(row),
        confirmed: (row) => (r.flags[row]! & CONFIRMED) !== 0 && kinds[row] === Kind.Produced,
        // A log may leave deliveries out: an effect or a dead-letter says the message reached a consumer too.
        delivered: (row) => r.deliveries[row]! > 0 || r.effects[row]! > 0 || (r.flags[row]! & DEAD_LETTERED) !== 0,
      }),
      ...rule,
      firstTs: empty ? 0 : this.firstTs,
      lastTs: empty ? 0 : this.lastTs,
      ...(windowMs === undefined ? {} : { dedupeWindowMs: windowMs, ...this.dedupeSplit(windowMs, kinds) }),
    };
    const faultsInjected = zeroFaults();
    return {
      endedBy: 'resolved',
      metrics,
      lossByCause: o.loss,
      duplicatesByCause: o.dup,
      stateErrorByCause: {},
      faultsInjected,
      audit,
    };
  }

  /** What each row is: unexpected, failed or produced. */
  private kinds(): Uint8Array {
    const kinds = new Uint8Array(this.rows.size);
    for (let i = 0; i < kinds.length; i++) kinds[i] = this.kind(i);
    return kinds;
  }

  /** Produced messages, those confirmed, and confirms of ids never published: what the confirm rule goes by. */
  private confirmCounts(
    kinds: Uint8Array,
    byValue?: Uint32Array,
  ): { produced: number; confirmed: number; strayConfirms: number } {
    const counts = { produced: 0, confirmed: 0, strayConfirms: 0 };
    const r = this.rows;
    for (let i = 0; i < kinds.length; i++) {
      const confirmed = (r.flags[i]! & CONFIRMED) !== 0;
      if (kinds[i] === Kind.Produced) {
        // By value (publish lines given): each publish is a message, each confirm confirms one of them.
        const messages = byValue === undefined ? 1 : byValue[i]! - Math.min(r.failedPublishes[i]!, byValue[i]! - 1);
        counts.produced += messages;
        counts.confirmed += byValue === undefined ? (confirmed ? 1 : 0) : Math.min(r.confirms[i]!, messages);
      } else if (kinds[i] === Kind.Unexpected && confirmed) counts.strayConfirms++;
    }
    return counts;
  }

  /** Extra effects of produced messages within `windowMs` of the first effect, and after it. */
  private dedupeSplit(
    windowMs: number,
    kinds: Uint8Array,
  ): { caughtByDedupeWindow: number; missedByDedupeWindow: number } {
    let caught = 0;
    let missed = 0;
    for (const [row, times] of this.effectTimes) {
      if (kinds[row] !== Kind.Produced) continue;
      const first = this.rows.firstEffectTs[row]!;
      // The first effect is the one recorded; a window of 0 remembers forever.
      const within = times.filter((t) => windowMs === 0 || t - first < windowMs).length - 1;
      caught += within;
      missed += times.length - 1 - within;
    }
    return { caughtByDedupeWindow: caught, missedByDedupeWindow: missed };
  }
}
