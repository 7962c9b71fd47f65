// The facts only an audit of a real log reports (`audit.*`), with what each counts: the check parser, the docs and
// the reports read them from here.

/** What only an audit of a real log reports (`acksim audit`; 0 in a simulated run), and what it counts. */
export const AUDIT_FIELDS: Record<string, string> = {
  lines: 'lines read (blank lines not counted)',
  badLines: 'lines that could not be read as an event and were skipped (--on-bad-line skip or warn)',
  confirmed: 'published messages whose publish was confirmed',
  indeterminate:
    "with confirms present: published, never confirmed nor delivered, no effect, not dead-lettered: the producer cannot know whether the broker has it (Jepsen's indeterminate); not counted as lost",
  recovered:
    'with confirms present: published, never confirmed, yet processed: an indeterminate publish that made it (not an error)',
  unexpected:
    'messages with events (confirm, deliver, effect, ack or dead-letter) but neither a publish nor a publish-failed in the log: an anomaly (Jepsen\'s total-queue "unexpected"); not counted in produced, lost or indeterminate',
  unexpectedProcessed:
    'of the unexpected messages, those with an effect (what `audit.unexpected` counted before it covered every event type)',
  failedPublishes:
    "messages whose every publish attempt failed (publish-failed, as many as their publishes and no confirm; or publish-failed alone): known failures (Jepsen's :fail), not in produced and never lost",
  failedButProcessed: 'of the failed publishes, those with an effect all the same: an anomaly',
  effectBeforePublish:
    "processed messages whose first effect is timed before their first publish: the hosts' clocks disagree (clock skew) or an id was reused; counted in processed, left out of latencyMs",
  repeatedPublishes:
    "publish lines with the same id and time as that message's first publish: one event logged twice, not counted as an attempt",
  keyed:
    "published messages whose events carry a key (the `key` field, or a span's messaging.kafka.message.key): outOfOrder is measured over them, and a check on it needs some",
  unkeyed: 'published messages whose events carry no key: while any do, a check on outOfOrder is inconclusive',
  keyConflicts: 'messages whose events carry two different keys (the first is kept): an anomaly of the log',
  orderCompared:
    'processed messages that share their key with another processed message: the ones outOfOrder compares; a check on outOfOrder needs some',
  offsetEvents:
    "events that carry an offset (the `offset` field, or a span's messaging.kafka.offset): where the broker's log holds their message, in the partition they name (the `partition` field, or a span's messaging.destination.partition.id), else the one their key stands for; the offset checks need some",
  offsetWrites:
    'confirmed messages with an offset on an event other than a delivery (where they were written): the ones lostWrites and unseen look at; a check on either needs some, and a read with an offset',
  offsetReads: 'deliveries with an offset',
  offsetPairs:
    "pairs of one consumer's consecutive reads of one partition (the `consumer` field, or a span's messaging.client.id): what nonmonotonic and skipped compare; a check on either needs some",
  nonmonotonic:
    "reads at or below the same consumer's previous read of that partition, in time order (Jepsen's Kafka nonmonotonic): a consumer whose position went back; one that restarts from its committed offset must log under a new consumer name, as Jepsen's processes do",
  skipped:
    "reads that passed over an offset holding a message since the same consumer's previous read of that partition (Jepsen's skip)",
  loggedTwice:
    "messages found at two or more offsets of their partition, or in two partitions (Jepsen's Kafka duplicate: stored twice)",
  offsetConflicts: 'offsets that events place two different messages at: an anomaly of the log',
  lostWrites:
    "confirmed messages at a known offset never delivered, though a later offset of their partition was read (Jepsen's lost write)",
  unseen:
    "confirmed messages at a known offset never delivered, with nothing past it read (Jepsen's unseen): they may still be read",
  caughtByDedupeWindow:
    'with --dedupe-window: extra effects within the window of the first effect, which a dedupe store would have dropped',
  missedByDedupeWindow: 'with --dedupe-window: extra effects after the window, which it would not',
};
