// What every component of one simulation shares: the kernel, the choice source, the configuration,
// the state tables and the counters. Event kinds are numbered here so they stay unique.
import type { HandlerRuntime } from './handler.js';
import type { ChoiceSource } from '../sim/choice.js';
import type { SimulationConfig } from './config.js';
import type { EntryTable } from './entry-table.js';
import type { MessageTable } from './state.js';
import type { Tracer } from './tracer.js';
import type { FaultCounters } from './fault-kinds.js';
import type { MessageDelays } from './delays.js';
import type { MessageKeys } from './keys.js';
import type { OrderBook } from './order-book.js';

/** Event kinds of the model. */
export const Ev = {
  produce: 0,
  publishArrive: 1,
  confirmArrive: 2,
  confirmTimeout: 3,
  retry: 4,
  deliverArrive: 5,
  deliverDropped: 6,
  processingDone: 7,
  ackArrive: 8,
  visibilityExpire: 9,
  retentionExpire: 10,
  consumerRestart: 11,
  consumerCrashFault: 12,
  brokerCrashFault: 13,
  brokerRestart: 14,
  redeliverReady: 15,
  logPoll: 16,
  logBatchArrive: 17,
  logProcessed: 18,
  logPollDeadline: 19,
  logSessionExpire: 20,
  leaderFailover: 21,
  leaderElected: 22,
  confirmReady: 23,
  outboxRelay: 24,
  claimTick: 25,
  consumerAsk: 26,
  leaseTick: 27,
  dlqRedrive: 28,
  deliveryDue: 29,
} as const;

/**
 * The kinds scheduled a fixed delay after now (a timeout of the configuration), so pushed in time order:
 * the kernel keeps each in a first-in first-out lane instead of its heap (same order, less work).
 */
export const TIMER_KINDS: readonly number[] = [
  Ev.confirmTimeout,
  Ev.visibilityExpire,
  Ev.retentionExpire,
  Ev.logPollDeadline,
  Ev.logSessionExpire,
];

/** An event kind's number. */
export type EventKind = (typeof Ev)[keyof typeof Ev];

/**
 * What each event kind carries: the kernel passes up to six numbers, and these labels say which, in
 * order. A schedule or a handler with the wrong fields for its kind fails to compile; at run time the
 * numbers travel unnamed, as before (no object per event). Fields not listed are 0.
 */
export interface EventPayloads {
  [Ev.produce]: [message: number];
  [Ev.publishArrive]: [
    message: number,
    attempt: number,
    unused2: number,
    unused3: number,
    unused4: number,
    copy: number,
  ];
  [Ev.confirmArrive]: [
    message: number,
    attempt: number,
    rejected: number,
    unused3: number,
    unused4: number,
    copy: number,
  ];
  [Ev.confirmTimeout]: [message: number, attempt: number];
  [Ev.retry]: [message: number, attempt: number];
  [Ev.deliverArrive]: [entry: number, message: number, delivery: number, packed: number, channel: number, copy: number];
  [Ev.deliverDropped]: [
    entry: number,
    message: number,
    delivery: number,
    packed: number,
    channel: number,
    copy: number,
  ];
  [Ev.processingDone]: [consumer: number, slot: number, life: number];
  [Ev.ackArrive]: [entry: number, message: number, delivery: number, nack: number, unused4: number, copy: number];
  [Ev.visibilityExpire]: [entry: number, message: number, delivery: number];
  [Ev.retentionExpire]: [entry: number, message: number, ordinal: number];
  [Ev.consumerRestart]: [consumer: number];
  [Ev.consumerCrashFault]: [consumer: number, fault: number];
  [Ev.brokerCrashFault]: [fault: number];
  [Ev.brokerRestart]: [];
  [Ev.redeliverReady]: [entry: number, message: number, token: number];
  [Ev.logPoll]: [consumer: number, incarnation: number];
  [Ev.logBatchArrive]: [consumer: number, incarnation: number];
  [Ev.logProcessed]: [consumer: number, slot: number, incarnation: number];
  [Ev.logPollDeadline]: [consumer: number, incarnation: number, token: number];
  [Ev.logSessionExpire]: [consumer: number, incarnation: number];
  [Ev.leaderFailover]: [fault: number];
  [Ev.leaderElected]: [];
  [Ev.confirmReady]: [message: number, attempt: number, copy: number, partition: number, offset: number];
  [Ev.outboxRelay]: [message: number, attempt: number];
  [Ev.claimTick]: [consumer: number, token: number];
  [Ev.consumerAsk]: [consumer: number, life: number];
  [Ev.dlqRedrive]: [];
  [Ev.deliveryDue]: [
    packed: number,
    channel: number,
    entry: number,
    message: number,
    delivery: number,
    ordinal: number,
  ];
  [Ev.leaseTick]: [consumer: number, channel: number, entry: number, message: number, delivery: number, tick: number];
}

/** The kernel as the model sees it: every event kind with its named fields (EventPayloads). */
export interface ModelKernel {
  readonly now: number;
  readonly events: number;
  readonly pending: number;
  on<K extends EventKind>(kind: K, handler: (...fields: EventPayloads[K]) => void): void;
  at<K extends EventKind>(timeMs: number, kind: K, ...fields: EventPayloads[K]): void;
  after<K extends EventKind>(delayMs: number, kind: K, ...fields: EventPayloads[K]): void;
  stop(): void;
  pause(): void;
  /** When an event of `kind` will do nothing (by its first three fields): explore compares states without it. */
  staleWhen(kind: EventKind, stale: (a: number, b: number, c: number) => boolean): void;
}

// Fault counters (how many of each fault actually happened) are defined by their table, fault-kinds.ts.
export { zeroFaults, type FaultCounters } from './fault-kinds.js';

/** Raw counters of a run, turned into metrics by the run layer. */
export interface Counters {
  produced: number;
  processed: number;
  lost: number;
  /** Messages that ended in the dead-letter queue, whether or not their effect happened. */
  deadLettered: number;
  /** Of those, messages whose effect had happened anyway (also counted as processed). */
  deadLetteredProcessed: number;
  duplicates: number;
  duplicateEffects: number;
  publishAttempts: number;
  publishRetries: number;
  deliveries: number;
  redeliveries: number;
  suppressedDuplicates: number;
  visibilityTimeoutBreaches: number;
  maxQueueDepth: number;
  peakPublishPerSec: number;
  resolved: number;
  reordered: number;
  /** Messages whose first effect ran after the first effect of a later message of their key (producer.keys). */
  outOfOrder: number;
  /** Time message groups spent blocked behind a message that had failed (broker.messageGroups). */
  groupBlockedMs: number;
}

/** Creates zeroed run counters. */
export function zeroCounters(): Counters {
  return {
    produced: 0,
    processed: 0,
    lost: 0,
    deadLettered: 0,
    deadLetteredProcessed: 0,
    duplicates: 0,
    duplicateEffects: 0,
    publishAttempts: 0,
    publishRetries: 0,
    deliveries: 0,
    redeliveries: 0,
    suppressedDuplicates: 0,
    visibilityTimeoutBreaches: 0,
    maxQueueDepth: 0,
    peakPublishPerSec: 0,
    resolved: 0,
    reordered: 0,
    outOfOrder: 0,
    groupBlockedMs: 0,
  };
}

/**
 * Requests a consumer makes after a delivery: deletes (acks), and visibility changes (nacks, lease extensions); and
 * the duplicates the consumers' dedupe store caught (the broker's publish dedupe is counted apart).
 */
export interface RequestCounts {
  deletes: number;
  visibilityChanges: number;
  dedupeHits: number;
}

/** The shared context of one simulation. */
export interface World {
  readonly kernel: ModelKernel;
  readonly choices: ChoiceSource;
  readonly config: SimulationConfig;
  readonly messages: MessageTable;
  readonly entries: EntryTable;
  readonly counters: Counters;
  readonly faults: FaultCounters;
  /** Traces what happens, when tracing; undefined otherwise (a site costs one check). */
  readonly tracer?: Tracer;
  /** The user's handler, where the consumers' effect runs (the library's `handler` option); undefined otherwise. */
  readonly handler?: HandlerRuntime;
  /** Messages' keys (producer.keys), and the per-key order of their effects; undefined without keys. */
  readonly keys?: MessageKeys;
  readonly order?: OrderBook;
  /** Messages' delays (producer.delayMs); undefined when there are none. */
  readonly delays?: MessageDelays;
  /** Consumers' requests beyond receiving, and dedupe hits: for cost and M7 (the run never reads them: not state). */
  readonly requests: RequestCounts;
  /** While sampling a time series (config.sampleMs): losses so far by cause code. */
  readonly lossTally?: Int32Array;
}
