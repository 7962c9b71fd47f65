// The fault kinds a run counts (`faultsInjected`): what each counts, and when a configuration makes it
// possible in a mode. The counters, the coverage rule of checks (a configured fault that never fired
// leaves a pass inconclusive), the metric catalog and docs/metrics.md all derive from this one table.
import type { LinkName, ModeKnobs, SimulationConfig } from './config.js';

/** What a fault kind needs to know of a configuration to say whether it can happen. */
type Configured = Omit<SimulationConfig, 'mode'>;

interface FaultKind {
  /** What the counter counts, as docs/metrics.md and `acksim explain` say it. */
  readonly counts: string;
  /** Whether the configuration makes this fault possible in the mode; absent: never configured directly. */
  readonly possible?: (config: Configured, mode: ModeKnobs) => boolean;
}

/** Whether a link carries traffic a fault can hit in the mode. */
function faultable(config: Configured, mode: ModeKnobs, link: LinkName): boolean {
  // A log broker's fetches and commits ride TCP: the model has no deliver or ack link faults there.
  const log = config.broker.kind === 'log';
  if (link === 'ack') return mode.ack !== 'auto' && !log; // under auto-ack no ack is ever sent
  if (link === 'deliver') return !log;
  if (link === 'confirm') return config.producer.acks !== 0; // with acks=0 no confirm
  return true;
}

/** The three fault kinds of a link: its losses, its duplicates and its partitions. */
function linkKinds<L extends LinkName>(link: L, what: { lost: string; duplicated: string; partitioned: string }) {
  const on = (config: Configured, mode: ModeKnobs) => faultable(config, mode, link);
  const kinds: Record<string, FaultKind> = {
    [`${link}Lost`]: { counts: what.lost, possible: (c, m) => on(c, m) && c.network[link].loss > 0 },
    [`${link}Duplicated`]: { counts: what.duplicated, possible: (c, m) => on(c, m) && c.network[link].duplicate > 0 },
    [`${link}Partitioned`]: {
      counts: what.partitioned,
      possible: (c, m) => on(c, m) && c.faults.some((f) => f.type === 'partition' && f.link === link),
    },
  };
  return kinds as Record<`${L}${'Lost' | 'Duplicated' | 'Partitioned'}`, FaultKind>;
}

const scheduled = (config: Configured, ...types: string[]) => config.faults.some((f) => types.includes(f.type));

/** Every fault kind, in the order reports list `faultsInjected`. */
export const FAULT_KINDS = {
  ...linkKinds('publish', {
    lost: 'publish transmissions dropped by the network (loss)',
    duplicated: 'publish transmissions the network delivered twice',
    partitioned: 'publish transmissions dropped by a partition of the publish link',
  }),
  ...linkKinds('confirm', {
    lost: 'confirms dropped by the network',
    duplicated: 'confirms delivered twice',
    partitioned: 'confirms dropped by a partition',
  }),
  ...linkKinds('deliver', {
    lost: 'deliveries dropped by the network',
    duplicated: 'deliveries the network delivered twice',
    partitioned: 'deliveries dropped by a partition',
  }),
  ...linkKinds('ack', {
    lost: 'acks, nacks and lease extensions dropped by the network',
    duplicated: 'acks, nacks and lease extensions delivered twice',
    partitioned: 'acks, nacks and lease extensions dropped by a partition',
  }),
  consumerCrashes: {
    counts: 'random consumer crashes (consumers.crash)',
    possible: (c) => c.consumers.crash.probability > 0,
  },
  producerCrashes: {
    counts: 'crashes of the producing application or its outbox relay (producer.crash)',
    possible: (c) => c.producer.crash.probability > 0,
  },
  scheduledConsumerCrashes: {
    counts: 'consumer crashes from faults:',
    possible: (c) => scheduled(c, 'consumer-crash'),
  },
  brokerCrashes: {
    counts: 'broker crashes from faults:',
    possible: (c) => scheduled(c, 'broker-crash', 'leader-failover'),
  },
  poisonFailures: {
    counts: 'processings of a poison message that failed',
    possible: (c) => c.consumers.poisonRate > 0,
  },
  transientFailures: {
    counts: 'processing attempts that failed transiently and were nacked (consumers.failure)',
    possible: (c) => c.consumers.failure.probability > 0,
  },
  consumerStalls: {
    counts: 'consumer stalls (consumers.stall): the consumer froze at the start of a processing',
    possible: (c) => c.consumers.stall.probability > 0,
  },
  dlqRedrives: {
    counts: 'redrives of the dead-letter queue from faults: (each moves every message in it back to the queue)',
    possible: (c) => scheduled(c, 'dlq-redrive'),
  },
  publishRejected: { counts: 'publishes the broker rejected because of maxPublishPerSec' },
  outOfSequence: {
    counts:
      'publishes of an idempotent producer the log rejected because an earlier message of the partition was not stored yet (OUT_OF_ORDER_SEQUENCE_NUMBER); the producer retries them',
  },
  abortedTransactions: {
    counts: 'transactions of a transactional consumer aborted by its crash or fenced because it had left the group',
  },
  droppedAtDownBroker: { counts: 'publishes and acks that reached the broker while it was down' },
  droppedAtDownConsumer: { counts: 'deliveries that reached a consumer that was down or had restarted since' },
} satisfies Record<string, FaultKind>;

/** A fault kind's name, as `faultsInjected` reports it. */
export type FaultName = keyof typeof FAULT_KINDS;

/** How often each kind of fault happened in a run. */
export type FaultCounters = Record<FaultName, number>;

/** The names of every fault kind, in report order. */
export const FAULT_NAMES = Object.keys(FAULT_KINDS) as readonly FaultName[];

/** Creates zeroed fault counters, in report order. */
export function zeroFaults(): FaultCounters {
  return { ...ZERO_FAULTS };
}

/** The zeroed counters copied for each simulation (a copy is a fast object; fromEntries per run cost explore 5 %). */
const ZERO_FAULTS = Object.fromEntries(FAULT_NAMES.map((name) => [name, 0])) as FaultCounters;

/**
 * The order reports list the faults a configuration makes possible (`configuredFaults`): the links'
 * faults, then the rest as they were first listed. Every kind with `possible` must be here (a test says so).
 */
export const CONFIGURED_ORDER: readonly FaultName[] = [
  ...FAULT_NAMES.filter((name) => /^(publish|confirm|deliver|ack)(Lost|Duplicated|Partitioned)$/.test(name)),
  'consumerCrashes',
  'poisonFailures',
  'transientFailures',
  'consumerStalls',
  'scheduledConsumerCrashes',
  'brokerCrashes',
  'dlqRedrives',
  'producerCrashes',
];

/** The faults a configuration makes possible in a mode, by the names of `faultsInjected`. */
export function configuredFaults(config: Configured, mode: ModeKnobs): FaultName[] {
  const kinds: Record<string, FaultKind> = FAULT_KINDS;
  return CONFIGURED_ORDER.filter((name) => kinds[name]!.possible?.(config, mode) === true);
}
