// docs/metrics.md's last section: Jepsen's queue checkers beside the audit's counts (issue 19 §2), written here so
// the page is generated whole by the build.

/** Jepsen's total-queue fields and Kafka anomalies, with the audit's counts and where the two differ. */
export function jepsenDoc(): string {
  return `
## Jepsen's checkers, side by side

Jepsen's \`total-queue\` checker reads a history of enqueue and dequeue operations; its Kafka checker
reads sends and polls with offsets. The audit reads the same facts from an event log or traces, and
agrees on every count Jepsen's own checker tests assert. By default it counts by message id: a value
enqueued twice is two messages to Jepsen (a multiset) and one message published twice (a retry) to
acksim. \`--identity value\` counts Jepsen's way: every publish of a value is a message of its own, its
effects and confirms count against them as a multiset's (effects beyond them are duplicate effects, and a
value with any is one duplicate), and a history where every value is published once gives the same
counts either way.

| Jepsen | acksim audit | where they differ |
|---|---|---|
| \`attempt-count\`: enqueues invoked, failed ones included | \`publishAttempts\` (publish lines of published messages) + the publishes of \`audit.failedPublishes\` | by id, a second enqueue of one value is a retry; by value (\`--identity value\`), a message |
| \`acknowledged-count\`: enqueues that returned ok | \`audit.confirmed\` | |
| \`ok-count\`: attempted values dequeued | \`processed\` + \`audit.failedButProcessed\` | acksim keeps a value whose every publish failed yet was processed apart (\`audit.failedButProcessed\`, an anomaly) |
| \`lost\`: acknowledged, never dequeued | \`lost\` | with confirms absent (the log records none), every published message without effect is lost; with confirms present, an unconfirmed one is \`audit.indeterminate\` instead |
| \`unexpected\`: dequeued, never attempted | \`audit.unexpected\` | any event of an id never published counts, not only a dequeue |
| \`duplicated\`: dequeued more often than enqueued | \`duplicates\` (values), \`duplicateEffects\` (dequeues too many) | by id, as above, unless \`--identity value\`; a value whose publishes all failed and that was processed twice is a duplicate to Jepsen and \`audit.failedButProcessed\` here |
| \`recovered\`: not acknowledged, dequeued all the same | \`audit.recovered\` (+ \`audit.failedButProcessed\`) | acksim reads recovered only with confirms present (a log without confirms acknowledges nothing); a failed-then-dequeued value is \`audit.failedButProcessed\` |
| Kafka \`lost-write\`: acknowledged, never read though a later offset was | \`audit.lostWrites\` (events with offsets); \`lost\` without them | without offsets, a message is lost when it has no effect by the end of the log, whatever was read after it |
| Kafka \`unseen\`: acknowledged, not read yet | \`audit.unseen\`; \`lost\` (or \`audit.indeterminate\`) without offsets | \`lost\` still counts them: the end of the log is the end |
| Kafka \`duplicate\`: one value at two offsets | \`audit.loggedTwice\`; without offsets, \`duplicatesByCause.republished\` and \`duplicates\` | an offset on a publish-failed event is no write (Jepsen's aborted send) |
| Kafka \`inconsistent-offsets\`: two values at one offset | \`audit.offsetConflicts\` | |
| Kafka \`nonmonotonic-poll\`, \`int-nonmonotonic-poll\`: a consumer's read at or below its previous one | \`audit.nonmonotonic\` (reads with an offset and a \`consumer\`) | one count over reads in time order, within a poll and across polls alike; a consumer that rewinds (a restart, a rebalance) must log under a new name, as Jepsen gives a crashed client a new process; subscribe and assign operations, which reset Jepsen's tracking, are not in an event log |
| Kafka \`poll-skip\`, \`int-poll-skip\`: a read past an offset known to hold a value | \`audit.skipped\` | as above; Jepsen's rewinds after aborted transactions are not modelled (no transactions) |
| Kafka \`nonmonotonic-send\`, \`int-send-skip\`, \`G1a\`, lost writes proven by a transaction's other reads | not measured | an event log names no producer process and no transaction; a read of a failed publish is \`audit.failedButProcessed\` once it has an effect |

Offsets come from an \`offset\` field (or a span's \`messaging.kafka.offset\`), on any event: a confirm
or publish says where the message was written, a deliver where it was read. Its partition is the one
its events name (a \`partition\` field, or a span's \`messaging.destination.partition.id\`, formerly
\`messaging.kafka.destination.partition\`); without one, its key stands for it (one log without keys
either), as Jepsen's Kafka test writes each key to one partition. A message named in two partitions
counts in \`audit.loggedTwice\`, as one at two offsets does. Reads are
compared per \`consumer\` (or a span's \`messaging.client.id\`) and partition, in time order, reads at one
time by offset (so lines in any order count the same; a disorder within one poll shows only where each
record has its own time). A lost write or an unseen message is a confirmed one, written at its lowest
offset, that reached no consumer (no delivery, effect or dead-letter), told apart by the highest offset
any delivery read. -1 is Kafka's "no offset"; any other value that is no whole number is ignored, or a
bad line under \`--map offset=...\`. A check on an offset fact is inconclusive while no event carries an
offset; one on \`audit.nonmonotonic\` or \`audit.skipped\` while no consumer read a partition twice
(\`audit.offsetPairs\`); one on \`audit.lostWrites\` or \`audit.unseen\` while no confirmed message has
the offset it was written at (\`audit.offsetWrites\`) or no delivery an offset. test/unit/audit/offsets.test.ts writes each case of Jepsen's Kafka checker tests that single
messages can express as events and expects its anomalies.

\`outOfOrder\` needs keys: events with a \`key\` field (or a span's \`messaging.kafka.message.key\`). A
message is out of order when its first effect came after the first effect of a message of its key
published later; two first effects at the same time are in no order the log can tell. A check on
\`outOfOrder\` over a log without keys is inconclusive (\`audit.keyed\` is 0).
`;
}
