// A log broker in the style of Kafka: a topic of partitions, each an append-only log of records with
// offsets. Nothing is acked per message: a consumer group shares the partitions, each consumer polls
// batches (maxPollRecords) from its position, processes them and commits offsets: before processing,
// after it, or automatically every autoCommitIntervalMs (the position of the last poll). When the group
// changes (a crash noticed after sessionTimeoutMs, a restart, a poll loop slower than maxPollIntervalMs)
// it rebalances eagerly: every member rejoins at its next poll, then the partitions are dealt again and
// every new position is the committed offset, so records processed but not committed run again.
//
// A transactional consumer (consume-transform-produce) writes a batch's effects and its offsets in one
// transaction: the commit makes both visible; a crash aborts them, and so does a zombie's commit after
// it left the group (fenced by the group generation, KIP-447). A read_committed reader of the sink never
// sees aborted effects; a read_uncommitted one sees them as they are written.
//
// The parts: partition-log.ts (the logs, replication, failover, offsets), group-coordinator.ts
// (membership, sessions, rebalances), log-consumer.ts (poll loops, workers, commits), transactions.ts.
//
// Not modelled: the deliver and ack links' losses (fetches and commits ride TCP and are retried by the
// client; their latencies apply), retention, broker crashes of the log.
import type { StateHasher } from '../sim/state-hash.js';
import type { Broker } from './broker.js';
import { countOnes } from './columns.js';
import type { DedupeStore } from './dedupe-store.js';
import { GroupCoordinator } from './group-coordinator.js';
import type { Ledger } from './ledger.js';
import { LogConsumers } from './log-consumer.js';
import type { Network } from './network.js';
import { PartitionLog } from './partition-log.js';
import type { SequenceBook } from './sequence-book.js';
import { Transactions } from './transactions.js';
import { Ev, type World } from './world.js';

/** The log broker and the consumer group that reads it. */
export class LogBroker implements Broker {
  private readonly log: PartitionLog;
  private readonly group: GroupCoordinator;
  private readonly transactions: Transactions;
  private readonly consumers: LogConsumers;

  constructor(
    private readonly world: World,
    network: Network,
    ledger: Ledger,
    dedupe: DedupeStore | undefined,
    sequences: SequenceBook | undefined,
  ) {
    this.log = new PartitionLog(world, network, ledger, sequences);
    this.group = new GroupCoordinator(world, ledger, this.log, world.config.consumers.transactional);
    this.transactions = new Transactions(world, ledger, dedupe, this.group);
    this.consumers = new LogConsumers(world, network, ledger, dedupe, this.log, this.group, this.transactions);
    // A consumer polls every fetchWaitMs and each poll supersedes the deadline before it: hundreds wait out
    // max.poll.interval.ms at once, and explore hashes each by its time alone (hashing them whole: 76 % of its time).
    world.kernel.staleWhen(Ev.logPollDeadline, this.consumers.superseded);
  }

  /** Starts every consumer's poll loop and schedules the scheduled faults. */
  start(): void {
    const { kernel, config } = this.world;
    this.consumers.start();
    config.faults.forEach((fault, index) => {
      if (fault.type === 'consumer-crash') kernel.at(fault.atMs, Ev.consumerCrashFault, fault.consumer, index);
      if (fault.type === 'leader-failover') kernel.at(fault.atMs, Ev.leaderFailover, index);
      if (fault.type === 'broker-crash') kernel.at(fault.atMs, Ev.brokerCrashFault, index);
    });
  }

  /** Hashes the parts in the order the single class did (explored states keep their hashes). */
  /** Time-series levels (SeriesProbe): no queue; consumers running, and records past the committed offsets. */
  levels(): number[] {
    const log = this.log;
    let lag = 0;
    for (let p = 0; p < log.partitions; p++) lag += log.logMessage[p]!.length - log.committed[p]!;
    return [0, 0, 0, 0, countOnes(this.consumers.running), lag];
  }

  hashState(h: StateHasher): void {
    const { log, group, consumers } = this;
    for (const value of [
      ...log.hashNumbers(),
      group.rebalancing ? 1 : 0,
      group.generation,
      log.leaderDownUntilMs,
      group.epochs,
    ])
      h.num(value);
    log.hashLogs(h);
    for (const column of [
      log.committed,
      log.position,
      group.owner,
      group.rewindCause,
      consumers.running,
      consumers.incarnation,
      group.member,
    ])
      h.column(column);
    for (const column of [
      group.memberIncarnation,
      group.joined,
      consumers.pollToken,
      consumers.lastAutoCommitMs,
      consumers.downUntilMs,
    ])
      h.column(column);
    for (const column of [
      consumers.workOffset,
      consumers.workPartition,
      consumers.workMessage,
      consumers.workOrdinal,
      consumers.workDelivery,
    ])
      h.column(column);
    for (const queue of consumers.queue) queue.hashState(h);
    for (const tx of this.transactions.transaction) tx.hashState(h);
    h.column(group.memberEpoch);
    h.column(consumers.workEpoch);
  }
}
