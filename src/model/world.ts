// What every component of one simulation shares: the kernel, the choice source, the configuration,
// the state tables and the counters. Event kinds are numbered here so they stay unique.
import type { ChoiceSource } from '../sim/choice.js';
import type { Kernel } from '../sim/kernel.js';
import type { SimulationConfig } from './config.js';
import type { EntryTable, MessageTable } from './state.js';
import type { Tracer } from './tracer.js';
import type { FaultCounters } from './fault-kinds.js';

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
} as const;

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
  };
}

/** The shared context of one simulation. */
export interface World {
  readonly kernel: Kernel;
  readonly choices: ChoiceSource;
  readonly config: SimulationConfig;
  readonly messages: MessageTable;
  readonly entries: EntryTable;
  readonly counters: Counters;
  readonly faults: FaultCounters;
  /** Traces what happens, when tracing; undefined otherwise (a site costs one check). */
  readonly tracer?: Tracer;
}
