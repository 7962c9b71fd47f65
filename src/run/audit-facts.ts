// The facts only a real system's log shows, as a report holds them: the run layer's type, filled in by
// src/audit/ (which reads the logs) and shown by src/report/.

/** What only a real log shows, beside the metrics a simulated run also has (the offsets' facts included). */
export interface AuditFacts extends OffsetFacts {
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

/** What the offsets of a log show. */
export interface OffsetFacts {
  /** Events that carried an offset. */
  offsetEvents: number;
  /** Confirmed messages with an offset written (on an event other than a delivery): what lostWrites looks at. */
  offsetWrites: number;
  /** Deliveries with an offset. */
  offsetReads: number;
  /** Pairs of one consumer's consecutive reads of one partition: what nonmonotonic and skipped compare. */
  offsetPairs: number;
  /** A consumer's read at or below its previous read of that partition (Jepsen's nonmonotonic). */
  nonmonotonic: number;
  /** A consumer's read past an offset between it and its previous read that holds a message (Jepsen's skip). */
  skipped: number;
  /** Messages found at two or more offsets (Jepsen's duplicate: stored twice). */
  loggedTwice: number;
  /** Offsets of a partition that two messages claim. */
  offsetConflicts: number;
  /** Confirmed messages written at an offset, never delivered, though a later offset of their partition (or theirs,
   * holding another message) was read: Jepsen's lost write. */
  lostWrites: number;
  /** Confirmed messages written at an offset, never delivered, with nothing past it read (Jepsen's unseen). */
  unseen: number;
}
