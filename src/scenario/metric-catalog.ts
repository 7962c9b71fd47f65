// Every metric a report carries and a check may name, with its meaning. One list serves the check
// parser, the docs and the reports; it lives in scenario/ because a scenario's `expect:` names these metrics.
import { DUPLICATE_CAUSES, LOSS_CAUSES } from '../model/causes.js';
import { FAULT_KINDS, FAULT_NAMES as FAULT_KINDS_IN_ORDER } from '../model/fault-kinds.js';
import { ORDER_CAUSES } from '../model/order-book.js';

/** A scalar metric of one run. */
export interface MetricInfo {
  name: string;
  description: string;
  /**
   * True when the value can only grow as a run goes on, so a failed upper-bound check on an unfinished
   * run is already a definite failure.
   */
  growsOnly: boolean;
  /** True when the value is a fraction, shown as a percentage. */
  rate?: boolean;
}

/** The top-level scalar metrics, in report order. */
export const METRICS: readonly MetricInfo[] = [
  { name: 'produced', description: 'messages the producer sent (ids 0..n-1)', growsOnly: true },
  { name: 'processed', description: 'distinct messages whose effect happened at least once', growsOnly: true },
  { name: 'lost', description: 'messages resolved without any effect and not dead-lettered', growsOnly: true },
  {
    name: 'deadLettered',
    description: 'messages that ended in the dead-letter queue, whether or not their effect had happened',
    growsOnly: true,
  },
  {
    name: 'deadLetteredProcessed',
    description: 'dead-lettered messages whose effect had happened anyway (a part of both processed and deadLettered)',
    growsOnly: true,
  },
  { name: 'expired', description: 'lost messages whose cause is retention expiry (a part of lost)', growsOnly: true },
  {
    name: 'unresolved',
    description: 'messages without any effect still in play when the run ended (horizon or event limit)',
    growsOnly: false,
  },
  { name: 'duplicates', description: 'messages whose effect happened more than once', growsOnly: true },
  {
    name: 'duplicateEffects',
    description: 'extra effects in total (effects beyond the first, over all messages)',
    growsOnly: true,
  },
  { name: 'lossRate', description: 'lost / produced', growsOnly: false, rate: true },
  {
    name: 'duplicateRate',
    description: 'duplicates / processed (0 when nothing was processed)',
    growsOnly: false,
    rate: true,
  },
  { name: 'retryRate', description: '(publishRetries + redeliveries) / produced', growsOnly: false, rate: true },
  {
    name: 'publishAttempts',
    description: 'publish transmissions by the producer, first attempts included',
    growsOnly: true,
  },
  { name: 'publishRetries', description: 'publish attempts after the first', growsOnly: true },
  { name: 'deliveries', description: 'broker-to-consumer sends (network duplicates not counted)', growsOnly: true },
  { name: 'redeliveries', description: 'deliveries of a stored copy that had been delivered before', growsOnly: true },
  {
    name: 'suppressedDuplicates',
    description: 'copies dropped by dedupe: the broker (idempotent publish) or the consumer store',
    growsOnly: true,
  },
  {
    name: 'visibilityTimeoutBreaches',
    description: 'redeliveries while an earlier delivery of the same message was still being processed',
    growsOnly: true,
  },
  {
    name: 'maxQueueDepth',
    description: 'most copies the broker held at once (waiting plus in flight)',
    growsOnly: true,
  },
  {
    name: 'peakPublishPerSec',
    description: 'most publishes that reached the broker within one second of virtual time',
    growsOnly: true,
  },
  {
    name: 'reordered',
    description:
      'messages stored after a message sent later (in the same partition, for a log): retries with more than one message in flight reorder',
    growsOnly: true,
  },
  {
    name: 'outOfOrder',
    description:
      'messages whose first effect ran after the first effect of a later message of the same key (producer.keys; 0 without keys); orderViolationsByCause says why each came late',
    growsOnly: true,
  },
  {
    name: 'groupBlockedMs',
    description:
      'time message groups spent blocked behind a message that had failed (broker.messageGroups): from its first failed delivery to its ack or dead-lettering, where a message of its group waited behind it',
    growsOnly: true,
  },
  {
    name: 'costUsd',
    description:
      "the run's requests at the broker's list prices (broker.pricing, or a profile's: SQS, Pub/Sub), in US dollars: sends and receives in chunks of the payload, deletes, visibility changes; or bytes published and delivered",
    growsOnly: true,
  },
  {
    name: 'costPerMillionDelivered',
    description:
      'costUsd per million messages whose effect ran (M8): what a retry policy, a timeout or a redelivery storm costs per useful message',
    growsOnly: false,
  },
  {
    name: 'stateError',
    description:
      'the sink state minus the state one effect per message gives (sink.effect increment: amount × (extra effects − messages without effect); append: rows; set: keys left wrong)',
    growsOnly: false,
  },
  {
    name: 'stateErrorAbs',
    description:
      'like stateError, but extra and missing effects add up instead of cancelling (|amount| × (extra + missing))',
    growsOnly: false,
  },
  { name: 'simulatedMs', description: 'virtual time when the run ended', growsOnly: true },
  { name: 'events', description: 'simulation events processed', growsOnly: true },
];

/** Latency percentiles, from first send to first effect, in ms. */
export const LATENCY_FIELDS = ['p50', 'p95', 'p99', 'max'] as const;

/** Names of loss causes as reported. */
export const LOSS_CAUSE_NAMES = LOSS_CAUSES.slice(1) as readonly string[];
/** Names of duplicate causes as reported. */
export const DUPLICATE_CAUSE_NAMES = DUPLICATE_CAUSES.slice(1) as readonly string[];
/** Names of fault counters as reported. */
export const FAULT_NAMES: readonly string[] = FAULT_KINDS_IN_ORDER;

import { AUDIT_FIELDS } from './audit-fields.js';

export { AUDIT_FIELDS };

/** What each fault counter counts. */
export const FAULT_DESCRIPTIONS: Record<string, string> = Object.fromEntries(
  FAULT_KINDS_IN_ORDER.map((name) => [name, FAULT_KINDS[name].counts]),
);

/** What a set of checks judges: a simulated run, or an audit of a real system's log. */
export type MetricSource = 'run' | 'audit';

/** Why a log's messages were lost: a log does not say why, only how far each got. */
export const AUDIT_LOSS_CAUSES = ['neverDelivered', 'deliveredNotProcessed'] as const;
/** Why a log's messages were duplicated, as far as its events tell. */
export const AUDIT_DUPLICATE_CAUSES = ['redelivered', 'republished', 'sameDelivery'] as const;

/**
 * Metrics a log cannot show (a log does not say what an effect did to the sink, nor what the broker
 * held or dropped): an audit reports them as 0, so a check on one could only ever pass.
 */
const NOT_IN_A_LOG: ReadonlySet<string> = new Set([
  'expired',
  'unresolved',
  'suppressedDuplicates',
  'visibilityTimeoutBreaches',
  'maxQueueDepth',
  'peakPublishPerSec',
  'reordered',
  'groupBlockedMs',
  'costUsd',
  'costPerMillionDelivered',
  'stateError',
  'stateErrorAbs',
]);

/**
 * Every path a check may name for `source`: what that source measures, and nothing it reports as a
 * placeholder 0. A run has the model's causes, faults and state error; an audit has the log's causes
 * and `audit.*`.
 */
export function metricPaths(source: MetricSource = 'run'): string[] {
  const latency = LATENCY_FIELDS.map((f) => `latencyMs.${f}`);
  if (source === 'audit') {
    return [
      ...METRICS.map((m) => m.name).filter((name) => !NOT_IN_A_LOG.has(name)),
      ...latency,
      ...AUDIT_LOSS_CAUSES.map((c) => `lossByCause.${c}`),
      ...AUDIT_DUPLICATE_CAUSES.map((c) => `duplicatesByCause.${c}`),
      ...Object.keys(AUDIT_FIELDS).map((f) => `audit.${f}`),
    ];
  }
  return [
    ...METRICS.map((m) => m.name),
    ...latency,
    ...LOSS_CAUSE_NAMES.map((c) => `lossByCause.${c}`),
    ...DUPLICATE_CAUSE_NAMES.map((c) => `duplicatesByCause.${c}`),
    ...FAULT_NAMES.map((f) => `faultsInjected.${f}`),
    ...STATE_ERROR_CAUSES.map((c) => `stateErrorByCause.${c}`),
    ...ORDER_CAUSES.map((c) => `orderViolationsByCause.${c}`),
  ];
}

/**
 * What a part of the sink's state error can be put down to: a cause of loss or duplicates, a message
 * dead-lettered or unresolved, or (a `set` sink) an older message's only effect landing after the newest's.
 */
export const STATE_ERROR_CAUSES: readonly string[] = [
  ...new Set([...LOSS_CAUSE_NAMES, ...DUPLICATE_CAUSE_NAMES, 'deadLettered', 'unresolved', 'reordered']),
];

/** The rates' names, for a message: "lossRate, duplicateRate, retryRate". */
export function rateNames(): string {
  return METRICS.filter((m) => m.rate === true)
    .map((m) => m.name)
    .join(', ');
}

/** True when the metric at `path` is a fraction (shown as a percentage). */
export function isRate(path: string): boolean {
  return METRICS.find((m) => m.name === path)?.rate === true;
}

/** True when the metric at `path` can only grow during a run. */
export function growsOnly(path: string): boolean {
  const counted = ['lossByCause.', 'duplicatesByCause.', 'faultsInjected.', 'orderViolationsByCause.'];
  if (counted.some((family) => path.startsWith(family))) return true;
  if (path === 'latencyMs.max') return true;
  return METRICS.find((m) => m.name === path)?.growsOnly ?? false;
}

/** The values a metric can take: what makes a check on it able to fail and to pass. */
export interface MetricRange {
  min: number;
  max: number;
  /** Whole numbers only (a count, for one run). */
  integer: boolean;
  /** The range in words: "a count, at least 0". */
  words: string;
}

/** Metrics that are neither counts nor fractions: amounts of time or state, at least 0 unless signed. */
const SIGNED = (path: string) => path === 'stateError' || path.startsWith('stateErrorByCause.');
const AMOUNTS = new Set(['stateErrorAbs', 'simulatedMs', 'retryRate']);

/**
 * The range of the metric at `path` (from its definition in metrics.ts): counts are whole and at least
 * 0, lossRate and duplicateRate fractions in [0, 1], retryRate, latencies and times at least 0, the
 * state error signed. `aggregated`: over runs (a mean or a bound need not be whole).
 */
export function metricRange(path: string, aggregated = false): MetricRange {
  if (SIGNED(path)) return { min: -Infinity, max: Infinity, integer: false, words: 'signed' };
  if (path === 'lossRate' || path === 'duplicateRate')
    return { min: 0, max: 1, integer: false, words: 'a fraction, between 0 and 100%' };
  if (AMOUNTS.has(path)) return { min: 0, max: Infinity, integer: false, words: 'a rate or amount, at least 0' };
  if (path.startsWith('latencyMs.')) return { min: 0, max: Infinity, integer: false, words: 'a latency, at least 0' };
  return { min: 0, max: Infinity, integer: !aggregated, words: integerWords(aggregated) };
}

function integerWords(aggregated: boolean): string {
  return aggregated ? 'a count, at least 0' : 'a count, a whole number at least 0';
}
