// The facts only a real system's log shows, as a report holds them: the run layer's type, filled in by
// src/audit/ (which reads the logs) and shown by src/report/.

/** What only a real log shows, beside the metrics a simulated run also has. */
export interface AuditFacts {
  /** Lines read (blank lines not counted), and those that were bad (skipped). */
  lines: number;
  badLines: number;
  /** Published messages whose publish was confirmed. */
  confirmed: number;
  /** With confirms present: published, never confirmed, never delivered, no effect (Jepsen's indeterminate); not lost.
   * */
  indeterminate: number;
  /** With confirms present: published, never confirmed, yet processed (an indeterminate publish that made it). */
  recovered: number;
  /** Messages with events (of any type) but neither a publish nor a failed publish in the log. */
  unexpected: number;
  /** Of the unexpected messages, those with an effect (the meaning `unexpected` had before). */
  unexpectedProcessed: number;
  /** Messages whose every publish attempt failed (publish-failed): known failures, not produced, never lost. */
  failedPublishes: number;
  /** Of the failed publishes, those with an effect all the same: an anomaly. */
  failedButProcessed: number;
  /** Processed messages whose first effect is timed before their first publish (clock skew): left out of latencyMs. */
  effectBeforePublish: number;
  /** Publish lines with the same id and time as that message's first publish: one event logged twice, not a retry. */
  repeatedPublishes: number;
  /** Published messages whose events carried a key (outOfOrder is measured over them), those without, and ids seen
   * with two keys. */
  keyed: number;
  unkeyed: number;
  keyConflicts: number;
  /** Processed messages that share their key with another processed one: those outOfOrder compares. */
  orderCompared: number;
  /**
   * Offsets (Jepsen's Kafka anomalies), where events carry them: events with an offset, deliveries with an offset and
   * a consumer (the reads compared), reads at or below the same consumer's previous read of the partition, reads
   * past an offset that holds a message, messages at two offsets, offsets two messages claim, and confirmed messages
   * never delivered with a later offset of their partition read (lost writes) or none (unseen).
   */
  offsetEvents: number;
  offsetWrites: number;
  offsetReads: number;
  offsetPairs: number;
  nonmonotonic: number;
  skipped: number;
  loggedTwice: number;
  offsetConflicts: number;
  lostWrites: number;
  unseen: number;
  /** The confirm rule used: `present` (an unconfirmed publish may be indeterminate) or `absent` (it is lost). */
  confirms: 'present' | 'absent';
  /** Why that rule: the --confirms setting, or what auto found. */
  confirmsRule: string;
  /** With a dedupe window: extra effects within the window of the first (a dedupe store catches them), and after it. */
  dedupeWindowMs?: number;
  caughtByDedupeWindow?: number;
  missedByDedupeWindow?: number;
  /** Earliest and latest time in the log, ms. */
  firstTs: number;
  lastTs: number;
}
