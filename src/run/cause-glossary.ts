// The glossary of every cause a report can name: of a loss, of a duplicate, of a part of the sink's
// state error, and the coarser causes an audit of a real log reports. One short gloss each (for the
// legend under a table) and the full meaning (for `acksim explain --cause`).
import { CAUSE_DESCRIPTIONS, DUPLICATE_CAUSES, LOSS_CAUSES } from '../model/causes.js';
import { ORDER_CAUSE_DESCRIPTIONS, ORDER_CAUSES } from '../model/order-book.js';
import { AUDIT_DUPLICATE_CAUSES, AUDIT_LOSS_CAUSES, STATE_ERROR_CAUSES } from '../scenario/metric-catalog.js';

/** Where a cause is reported. */
export type CauseKind =
  'loss' | 'duplicate' | 'loss or duplicate' | 'state error' | 'audit loss' | 'audit duplicate' | 'order violation';

/** One cause in the glossary. */
export interface CauseEntry {
  name: string;
  kind: CauseKind;
  /** At most 50 characters: what a legend line shows. */
  gloss: string;
  /** The full meaning, one sentence. */
  meaning: string;
  /** True when the cause needs no injected fault: a timer or a retention ran out (timing alone). */
  timing: boolean;
}

const GLOSSES: Record<string, string> = {
  publishLost: 'every publish attempt was lost; no retry left',
  publishRejected: 'the broker refused the publish; no retry left',
  brokerDown: 'the publish met a down broker; no retry left',
  deliverLostAfterAutoAck: 'auto-ack: forgotten when sent, the delivery lost',
  crashAfterAutoAck: 'auto-ack: forgotten when sent, then a crash',
  crashAfterEarlyAck: 'acked on receipt, crashed before the effect',
  failedAfterAck: 'processing failed after the ack: no redelivery',
  brokerCrash: 'a non-durable broker crashed while holding it',
  expired: 'outlived the broker retention, never processed',
  deliveryLimit: 'hit maxDeliveries and dropped (no dead-letter)',
  committedBeforeProcessing: 'offset committed before processing, then a crash',
  autoCommittedAhead: 'auto-committed while a worker held it; a crash',
  poisonSkipped: 'processing failed; the log consumer moved past it',
  unreplicatedOnFailover: 'the leader failed before a follower copied it',
  crashBeforePublish: 'the app crashed after its commit, before publish',
  handlerNoEffect: 'your handler returned without an effect',
  unknown: 'not attributed: a bug in acksim, please report it',
  ackLost: 'the ack never reached the broker: redelivered',
  ackLate: 'the visibility timeout expired, the ack on its way',
  visibilityTimeout: 'the visibility timeout expired before processing',
  crashAfterEffect: 'the consumer crashed after the effect, before ack',
  brokerRestart: 'a broker restart requeued a delivery already done',
  consumerDisconnect: 'the connection closed before the ack: requeued',
  rebalance: 'the partition restarted from the last commit',
  pollIntervalExceeded: 'a poll took over max.poll.interval.ms: reprocessed',
  readUncommitted: "an aborted transaction's effect, read uncommitted",
  outboxRepublish: 'the outbox relay crashed before marking it sent',
  deliverDuplicated: 'the network duplicated a delivery',
  publishDuplicated: 'the network duplicated a publish; both stored',
  confirmLost: 'the confirm was lost; the retry was stored again',
  confirmTimeout: 'no confirm in confirmTimeoutMs; retry stored again',
  publishDedupeWindowExpired: "the retry came after the broker's dedupe window",
  dedupeWindowExpired: 'the dedupe store forgot the id (window passed)',
  dedupeEvicted: 'the dedupe store evicted the id (capacity)',
  nonAtomicDedupe: 'a crash between the effect and recording its id',
  leaseExtensionLost: 'a lease extension was lost or late: it expired',
  consumerStall: 'the lease ran out while the consumer was stalled',
  redrive: 'dead-lettered after its effect, then redriven',
  deadLettered: 'dead-lettered before its effect ran',
  unresolved: 'still on its way when the run stopped',
  reordered: 'a set key kept an older value: effects reordered',
  neverDelivered: 'published, never delivered, no effect (a log)',
  deliveredNotProcessed: 'delivered, but no effect (a log)',
  redelivered: 'more deliveries than publishes (a log)',
  republished: 'published more than once, delivered once (a log)',
  sameDelivery: 'processed twice in one delivery (a log)',
  publishRetry: 'stored from a retry after later ones of its key',
  redelivery: 'redelivered after later ones of its key ran',
  nack: 'nacked, then ran after later ones of its key',
  parallelConsumers: 'no fault: two consumers ran its key at once',
  publishReordered: 'stored after a later one of its key, no retry',
  delay: 'due later than a later one of its key (delayMs)',
  deliveryReordered: 'no fault: the later one reached the consumer first',
};

const MEANINGS: Record<string, string> = {
  ...ORDER_CAUSE_DESCRIPTIONS,
  ...CAUSE_DESCRIPTIONS,
  deadLettered:
    'the message ended in the dead-letter queue without its effect: the sink misses its amount (a part of stateErrorByCause)',
  unresolved:
    'the message was still in the producer, network, broker or a consumer when the run stopped (horizon or a limit): its effect is missing from the sink (a part of stateErrorByCause)',
  reordered:
    "a set sink's key holds an older message's value because the effects ran out of order (no duplicate needed): a part of stateErrorByCause",
  neverDelivered: 'an audited log shows the publish but no delivery and no effect',
  deliveredNotProcessed: 'an audited log shows at least one delivery but no effect',
  redelivered: 'an audited log shows more deliveries than publishes for a message that ran its effect twice or more',
  republished:
    'an audited log shows the message published more than once and delivered once, yet its effect ran twice or more',
  sameDelivery: 'an audited log shows two effects within a single delivery (the consumer processed it twice)',
};

/** Causes that need no injected fault: a timer or a retention ran out. */
const TIMING = new Set(['ackLate', 'visibilityTimeout', 'pollIntervalExceeded', 'confirmTimeout', 'expired']);

const LOSS = LOSS_CAUSES.slice(1) as readonly string[];
const DUPLICATE = DUPLICATE_CAUSES.slice(1) as readonly string[];

function kindOf(name: string): CauseKind {
  if (LOSS.includes(name) && DUPLICATE.includes(name)) return 'loss or duplicate';
  if (LOSS.includes(name)) return 'loss';
  if (DUPLICATE.includes(name)) return 'duplicate';
  if ((AUDIT_LOSS_CAUSES as readonly string[]).includes(name)) return 'audit loss';
  if ((AUDIT_DUPLICATE_CAUSES as readonly string[]).includes(name)) return 'audit duplicate';
  if ((ORDER_CAUSES as readonly string[]).includes(name)) return 'order violation';
  return 'state error';
}

/** Every cause name a report can show, loss causes first, then duplicates, state error, audit. */
export const CAUSE_NAMES: readonly string[] = [
  // Every state-error cause (the report's own list), so a new one cannot go without its gloss.
  ...new Set([
    ...LOSS,
    ...DUPLICATE,
    ...STATE_ERROR_CAUSES,
    ...AUDIT_LOSS_CAUSES,
    ...AUDIT_DUPLICATE_CAUSES,
    ...ORDER_CAUSES,
  ]),
];

/** The glossary, in the order of `CAUSE_NAMES`. */
export const CAUSE_GLOSSARY: readonly CauseEntry[] = CAUSE_NAMES.map((name) => ({
  name,
  kind: kindOf(name),
  gloss: GLOSSES[name] ?? '',
  meaning: MEANINGS[name] ?? '',
  timing: TIMING.has(name),
}));

/** The glossary entry of a cause, or undefined for a name that is none. */
export function causeEntry(name: string): CauseEntry | undefined {
  return CAUSE_GLOSSARY.find((entry) => entry.name === name);
}

/** Every cause's short gloss, for the page's legends and hovers. */
export function causeGlosses(): Record<string, string> {
  return Object.fromEntries(CAUSE_GLOSSARY.filter((e) => e.gloss !== '').map((e) => [e.name, e.gloss]));
}
