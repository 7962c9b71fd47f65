// What a log's messages came to, counted, and the same metrics a simulated run reports, from those counts.
import type { Latency, Metrics } from '../run/metrics.js';

/** Counts over the messages of a log, by what each came to. */
export interface Outcomes {
  produced: number;
  processed: number;
  lost: number;
  deadLettered: number;
  deadLetteredProcessed: number;
  duplicates: number;
  duplicateEffects: number;
  attempts: number;
  deliveries: number;
  redeliveries: number;
  indeterminate: number;
  recovered: number;
  unexpected: number;
  unexpectedProcessed: number;
  failed: number;
  failedButProcessed: number;
  effectBeforePublish: number;
  repeatedPublishes: number;
  loss: { neverDelivered: number; deliveredNotProcessed: number };
  dup: { redelivered: number; republished: number; sameDelivery: number };
}

/** All counts at zero. */
export function noOutcomes(): Outcomes {
  return {
    produced: 0,
    processed: 0,
    lost: 0,
    deadLettered: 0,
    deadLetteredProcessed: 0,
    duplicates: 0,
    duplicateEffects: 0,
    attempts: 0,
    deliveries: 0,
    redeliveries: 0,
    indeterminate: 0,
    recovered: 0,
    unexpected: 0,
    unexpectedProcessed: 0,
    failed: 0,
    failedButProcessed: 0,
    effectBeforePublish: 0,
    repeatedPublishes: 0,
    loss: { neverDelivered: 0, deliveredNotProcessed: 0 },
    dup: { redelivered: 0, republished: 0, sameDelivery: 0 },
  };
}

/** The metrics of a run, for a log: what a log cannot show is 0. */
export function metricsOf(
  o: Outcomes,
  log: { latencyMs: Latency; spanMs: number; events: number; outOfOrder: number },
): Metrics {
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    produced: o.produced,
    processed: o.processed,
    lost: o.lost,
    deadLettered: o.deadLettered,
    deadLetteredProcessed: o.deadLetteredProcessed,
    expired: 0,
    unresolved: 0,
    duplicates: o.duplicates,
    duplicateEffects: o.duplicateEffects,
    lossRate: ratio(o.lost, o.produced),
    duplicateRate: ratio(o.duplicates, o.processed),
    retryRate: ratio(o.attempts - o.produced + o.redeliveries, o.produced),
    publishAttempts: o.attempts,
    publishRetries: o.attempts - o.produced,
    deliveries: o.deliveries,
    redeliveries: o.redeliveries,
    suppressedDuplicates: 0,
    visibilityTimeoutBreaches: 0,
    maxQueueDepth: 0,
    peakPublishPerSec: 0,
    reordered: 0,
    // Per-key order, where events carry keys (key-order.ts); message groups are not read from a log.
    outOfOrder: log.outOfOrder,
    groupBlockedMs: 0,
    costUsd: 0,
    costPerMillionDelivered: 0,
    // A log does not say what an effect does to the sink.
    stateError: 0,
    stateErrorAbs: 0,
    latencyMs: log.latencyMs,
    simulatedMs: log.spanMs,
    events: log.events,
  };
}
