// Why a message was lost or duplicated. Codes index the name arrays; names appear in reports.

/** Causes of loss, in report order. Code 0 is reserved for "not lost". */
export const LOSS_CAUSES = [
  'none',
  'publishLost',
  'publishRejected',
  'brokerDown',
  'deliverLostAfterAutoAck',
  'crashAfterAutoAck',
  'crashAfterEarlyAck',
  'failedAfterAck',
  'brokerCrash',
  'expired',
  'deliveryLimit',
  'committedBeforeProcessing',
  'autoCommittedAhead',
  'poisonSkipped',
  'unreplicatedOnFailover',
  'crashBeforePublish',
  'handlerNoEffect',
  'unknown',
] as const;
/** Name of a cause of loss. */
export type LossCause = Exclude<(typeof LOSS_CAUSES)[number], 'none'>;

/** Causes of duplicates, in report order. Code 0 is reserved for "no cause yet". */
export const DUPLICATE_CAUSES = [
  'none',
  'ackLost',
  'ackLate',
  'visibilityTimeout',
  'crashAfterEffect',
  'brokerRestart',
  'consumerDisconnect',
  'rebalance',
  'pollIntervalExceeded',
  'readUncommitted',
  'outboxRepublish',
  'deliverDuplicated',
  'publishDuplicated',
  'confirmLost',
  'confirmTimeout',
  'publishDedupeWindowExpired',
  'dedupeWindowExpired',
  'dedupeEvicted',
  'nonAtomicDedupe',
  'leaseExtensionLost',
  'consumerStall',
  'redrive',
  'unknown',
] as const;
/** Name of a cause of duplicates. */
export type DuplicateCause = Exclude<(typeof DUPLICATE_CAUSES)[number], 'none'>;

function codes<T extends readonly string[]>(names: T): { [K in T[number]]: number } {
  const out: Record<string, number> = {};
  names.forEach((name, index) => (out[name] = index));
  return out as { [K in T[number]]: number };
}

/** Loss cause codes by name. */
export const Loss = codes(LOSS_CAUSES);
/** Duplicate cause codes by name. */
export const Dup = codes(DUPLICATE_CAUSES);

/** One-line explanation of each cause, for reports and docs. */
export const CAUSE_DESCRIPTIONS: Record<LossCause | DuplicateCause, string> = {
  publishLost: 'every publish attempt was dropped by the network and no retry was left',
  publishRejected:
    'the broker rejected the publish (throttled, or out of sequence for an idempotent producer) and no retry was left',
  brokerDown: 'the publish reached a broker that was down and no retry was left',
  deliverLostAfterAutoAck:
    'the broker forgot the message when it sent it (auto-ack), and the delivery never reached a consumer',
  crashAfterAutoAck:
    'the broker forgot the message when it sent it (auto-ack), and the consumer crashed before the effect',
  crashAfterEarlyAck: 'the consumer acked on receipt, then crashed before the effect',
  failedAfterAck: 'processing failed after the broker had forgotten the message, so nothing could redeliver it',
  brokerCrash: 'a non-durable broker crashed while holding the message',
  expired: 'the message outlived the broker retention before it was processed',
  deliveryLimit:
    'the message reached broker.maxDeliveries and the broker dropped it (no dead-letter queue: RabbitMQ quorum delivery-limit without a DLX, NATS MaxDeliver)',
  committedBeforeProcessing:
    'the consumer committed the offset before processing the record (commit before), then crashed: the next owner of the partition starts after it',
  autoCommittedAhead:
    'auto-commit committed the poll position while the record still waited for an asynchronous worker, then the consumer crashed',
  unreplicatedOnFailover:
    'the leader had written the record (and with acks=1 confirmed it) but failed before a follower copied it; the new leader never had it',
  handlerNoEffect:
    'your handler (--handler) returned without an effect: it counted none (ctx.effect()), or wrote nothing to its store, and the delivery was settled',
  crashBeforePublish:
    'the application crashed after committing its own state and before publishing (no outbox): the change happened, the message never left',
  outboxRepublish:
    'the outbox relay crashed after publishing and before marking the row sent, so it published the row again',
  poisonSkipped:
    'processing failed and the consumer moved past the record: a log has no nack, so nothing delivers it again',
  rebalance:
    'the group rebalanced and the new owner of the partition started from the last committed offset, before records already processed',
  pollIntervalExceeded:
    'the poll loop took longer than max.poll.interval.ms: the consumer left the group, its commit was refused, and its records were processed again',
  readUncommitted:
    'the transaction that wrote the effect was aborted (a crash, or a fenced zombie) and its records ran again, but the sink is read with read_uncommitted, which sees aborted effects too',
  ackLost: 'the ack never reached the broker (dropped, partitioned, or the broker was down), so it redelivered',
  ackLate: 'the visibility timeout expired while the ack was still on its way',
  visibilityTimeout: 'the visibility timeout expired while an earlier delivery was still waiting or being processed',
  crashAfterEffect: 'the consumer crashed after the effect and before the ack',
  brokerRestart: 'the broker restarted and requeued a delivery whose effect had already happened',
  consumerDisconnect:
    "the consumer's connection closed with the delivery's ack not yet in, so the broker requeued it at once (RabbitMQ) though the effect had happened",
  deliverDuplicated: 'the network duplicated a delivery and both copies were processed',
  publishDuplicated: 'the network duplicated a publish and the broker stored both copies',
  confirmLost: 'the publish confirm was lost, the producer retried and the broker stored it again',
  confirmTimeout:
    'no confirm arrived within confirmTimeoutMs (the publish or its confirm was slow), the producer retried and the broker stored it again',
  publishDedupeWindowExpired: 'the producer retried after the broker publish-dedupe window had passed',
  dedupeWindowExpired: 'the dedupe store had forgotten the id (window passed) when it was redelivered',
  dedupeEvicted: 'the dedupe store had evicted the id (capacity) when it was redelivered',
  nonAtomicDedupe: 'the consumer crashed between the effect and recording the id in a non-atomic dedupe store',
  leaseExtensionLost:
    'a lease extension (heartbeat) of the delivery was lost or arrived too late, so its visibility timeout ran out while the consumer still held it',
  redrive:
    'the message went to the dead-letter queue after its effect had run (a lease that ran out after the work), and a redrive moved it back to the queue, where it ran again',
  consumerStall:
    'the visibility timeout ran out while the consumer was stalled (a GC pause, a blocked event loop): it could neither finish nor extend the lease',
  unknown: 'no cause could be attributed (a bug in acksim: please report it with the seed)',
};
