// The consumers of a log broker: each polls batches (maxPollRecords) of its partitions from its position,
// hands them to worker slots (one, or `concurrency` with an async poll loop), and commits offsets: before
// processing, after it (or with its transaction), or automatically every autoCommitIntervalMs.
import { faultDuration } from './config.js';
import type { DedupeStore } from './dedupe-store.js';
import { Dup } from './causes.js';
import type { GroupCoordinator } from './group-coordinator.js';
import { IntRing } from './int-ring.js';
import type { Ledger } from './ledger.js';
import { Link, type Network } from './network.js';
import type { PartitionLog } from './partition-log.js';
import { Delivery, DeliveryProcessing, Processed } from './processing.js';
import type { Transactions } from './transactions.js';
import { Ev, type World } from './world.js';

// Fields of a fetched record in a consumer's queue.
const PARTITION = 0;
const OFFSET = 1;
const MESSAGE = 2;
const ORDINAL = 3;
const DELIVERY = 4;
const EPOCH = 5; // The consumer's membership epoch when it fetched the record (a transaction must commit in it).

/** The commit policy in effect. */
type Commit = 'auto' | 'before-processing' | 'after-processing';

/** The log's consumer group: poll loops, worker slots, offsets and commits. */
export class LogConsumers {
  private readonly consumers: number;
  /** Per consumer: 1 while it runs (0 while crashed). */
  readonly running: Uint8Array;
  readonly incarnation: Int32Array;
  readonly pollToken: Int32Array;
  readonly lastAutoCommitMs: Float64Array;
  readonly downUntilMs: Float64Array;
  /** Records fetched and not yet processed, per consumer: [partition, offset, message, ordinal, delivery, epoch]. */
  readonly queue: IntRing[];
  /** Records being processed, per worker slot (`concurrency` per consumer); offset -1 = idle. */
  readonly workOffset: Int32Array;
  readonly workPartition: Int32Array;
  readonly workMessage: Int32Array;
  readonly workOrdinal: Int32Array;
  readonly workDelivery: Int32Array;
  readonly workEpoch: Int32Array;
  private readonly workers: number;
  private readonly commitPolicy: Commit;
  private readonly transactional: boolean;
  /** The poll loop hands records to workers and polls on (pollLoop: async). */
  private readonly async: boolean;
  private readonly pipeline: DeliveryProcessing;
  /** The one record the pipeline processes (reused). */
  private readonly delivery = new Delivery();

  constructor(
    private readonly world: World,
    private readonly network: Network,
    private readonly ledger: Ledger,
    dedupe: DedupeStore | undefined,
    private readonly log: PartitionLog,
    private readonly group: GroupCoordinator,
    private readonly transactions: Transactions,
  ) {
    const { consumers, mode } = world.config;
    const n = (this.consumers = consumers.count);
    this.incarnation = new Int32Array(n);
    this.pollToken = new Int32Array(n);
    this.lastAutoCommitMs = new Float64Array(n);
    this.queue = IntRing.many(n, 6, 64);
    this.transactional = consumers.transactional;
    // A transaction spans one poll's batch, processed before the next poll (validation requires sync).
    this.async = consumers.pollLoop === 'async' && !this.transactional;
    this.workers = this.async ? consumers.concurrency : 1;
    const slots = n * this.workers;
    this.workOffset = new Int32Array(slots).fill(-1);
    this.workPartition = new Int32Array(slots);
    this.workMessage = new Int32Array(slots);
    this.workOrdinal = new Int32Array(slots);
    this.workDelivery = new Int32Array(slots);
    this.workEpoch = new Int32Array(slots);
    // A transaction carries its offsets: they commit with the batch's effects.
    this.commitPolicy = this.transactional
      ? 'after-processing'
      : consumers.commit !== 'by-mode'
        ? consumers.commit
        : mode.ack === 'after-effect'
          ? 'after-processing'
          : 'before-processing';
    this.pipeline = this.processingPipeline(dedupe);
    this.running = this.pipeline.up;
    this.downUntilMs = this.pipeline.downUntilMs;
    const kernel = world.kernel;
    kernel.on(Ev.logPoll, (c, inc) => this.onPoll(c, inc));
    kernel.on(Ev.logBatchArrive, (c, inc) => this.onBatchArrive(c, inc));
    kernel.on(Ev.logProcessed, (c, slot, inc) => this.onProcessed(c, slot, inc));
    kernel.on(Ev.logPollDeadline, (c, inc, token) => this.onPollDeadline(c, inc, token));
    kernel.on(Ev.consumerCrashFault, (c, fault) => this.crash(c, faultDuration(world.config.faults[fault]!), true));
    kernel.on(Ev.consumerRestart, (c) => this.restart(c));
  }

  /** The processing pipeline as the log consumers use it (see processing.ts). */
  private processingPipeline(dedupe: DedupeStore | undefined): DeliveryProcessing {
    return new DeliveryProcessing(this.world, this.ledger, dedupe, {
      // Exploration: a record's processing may outlast max.poll.interval (a zombie).
      stallMs: this.commitPolicy === 'after-processing' ? this.world.config.consumers.maxPollIntervalMs : undefined,
      stallDetail: 'outlasts max.poll.interval.ms',
      cachePoison: false,
      poisonDetail: 'poison: skipped',
      checksBeforeProcessing: false,
      hintsCrashAfterEffect: false,
      ...(this.transactional ? { transaction: this.transactions } : {}),
      settle: (d, outcome) => this.settle(d, outcome),
    });
  }

  /** Starts every consumer's poll loop. */
  start(): void {
    for (let c = 0; c < this.consumers; c++) this.world.kernel.after(0, Ev.logPoll, c, 0);
  }

  private schedulePoll(c: number, delayMs: number): void {
    this.world.kernel.after(delayMs, Ev.logPoll, c, this.incarnation[c]!);
  }

  private onPoll(c: number, inc: number): void {
    const { kernel, config } = this.world;
    if (this.running[c] === 0 || inc !== this.incarnation[c]) return;
    // A poll restarts the max.poll.interval clock.
    const token = ++this.pollToken[c]!;
    kernel.after(config.consumers.maxPollIntervalMs, Ev.logPollDeadline, c, inc, token);
    if (
      this.commitPolicy === 'auto' &&
      kernel.now - this.lastAutoCommitMs[c]! >= config.consumers.autoCommitIntervalMs
    ) {
      this.lastAutoCommitMs[c] = kernel.now;
      this.commitOwned(c, false);
    }
    if (this.group.member[c] === 0) this.group.join(c, this.incarnation[c]);
    if (this.group.rebalancing) {
      // Eager rebalance: revoke (auto-commit commits first, as the Kafka client does), rejoin, wait.
      if (this.group.joined[c] === 0 && this.commitPolicy === 'auto') this.commitOwned(c, false);
      this.group.joined[c] = 1;
      this.group.completeRebalance();
      if (this.group.rebalancing) {
        this.schedulePoll(c, config.consumers.fetchWaitMs);
        return;
      }
    }
    if (this.queue[c]!.length >= config.consumers.maxPollRecords) {
      // Async workers are behind: keep polling (liveness, auto-commit) without fetching more.
      this.schedulePoll(c, config.consumers.fetchWaitMs);
      return;
    }
    const fetched = this.fetch(c);
    if (fetched === 0) {
      this.schedulePoll(c, config.consumers.fetchWaitMs);
      return;
    }
    if (this.commitPolicy === 'before-processing') this.commitOwned(c, false);
    const latency = this.network.latency(Link.deliver, c, this.pollToken[c]!, 0, 0);
    kernel.after(latency, Ev.logBatchArrive, c, inc);
  }

  /** Takes up to maxPollRecords records from the consumer's partitions, advancing its positions. */
  private fetch(c: number): number {
    const log = this.log;
    if (!log.available) return 0;
    const limit = this.world.config.consumers.maxPollRecords;
    let taken = 0;
    for (let p = 0; p < log.partitions && taken < limit; p++)
      if (this.group.owner[p] === c) taken += log.read(p, c, limit - taken, this.queue[c]!, this.group.memberEpoch[c]!);
    return taken;
  }

  private onBatchArrive(c: number, inc: number): void {
    if (this.running[c] === 0 || inc !== this.incarnation[c]) return;
    this.startWork(c);
    // An asynchronous loop hands the batch to its workers and polls on at once.
    if (this.async) this.schedulePoll(c, 0);
  }

  private startWork(c: number): void {
    const { kernel, messages } = this.world;
    const queue = this.queue[c]!;
    for (let slot = c * this.workers; slot < (c + 1) * this.workers && queue.length > 0; slot++) {
      if (this.workOffset[slot] !== -1) continue;
      const m = queue.peek(MESSAGE);
      this.workPartition[slot] = queue.peek(PARTITION);
      this.workOffset[slot] = queue.peek(OFFSET);
      this.workMessage[slot] = m;
      this.workOrdinal[slot] = queue.peek(ORDINAL);
      this.workDelivery[slot] = queue.peek(DELIVERY);
      this.workEpoch[slot] = queue.peek(EPOCH);
      queue.shift();
      messages.processing[messages.slot(m)]!++;
      const duration = this.pipeline.durationMs(c, m, this.workDelivery[slot]!, 0);
      kernel.after(duration, Ev.logProcessed, c, slot, this.incarnation[c]!);
    }
  }

  private onProcessed(c: number, slot: number, inc: number): void {
    const messages = this.world.messages;
    if (this.running[c] === 0 || inc !== this.incarnation[c] || this.workOffset[slot] === -1) return;
    const m = this.workMessage[slot]!;
    const s = messages.slot(m);
    this.workOffset[slot] = -1;
    messages.processing[s]!--;
    const d = this.delivery;
    d.consumer = c;
    d.message = m;
    d.slot = s;
    d.delivery = this.workDelivery[slot]!;
    d.ordinal = this.workOrdinal[slot]!;
    d.epoch = this.workEpoch[slot]!;
    const outcome = this.pipeline.process(d);
    if (outcome !== Processed.pending) this.settle(d, outcome);
  }

  /** Processing of `d` ended with `outcome` (a `Processed` value): the consumer crashed, or it goes on. */
  private settle(d: Delivery, outcome: number): void {
    const c = d.consumer;
    if (outcome === Processed.crashed) return this.crash(c, this.world.config.consumers.crash.restartMs, false);
    if (outcome !== Processed.inTransaction) this.ledger.release(d.message, d.slot);
    this.startWork(c);
    if (this.busy(c) || this.queue[c]!.length > 0) return;
    // The batch is done: commit it (commit after); a poll loop that is not async then polls again.
    this.commitProcessed(c);
    if (!this.async) this.schedulePoll(c, 0);
  }

  private busy(c: number): boolean {
    for (let slot = c * this.workers; slot < (c + 1) * this.workers; slot++)
      if (this.workOffset[slot] !== -1) return true;
    return false;
  }

  /** The consumer has processed everything it fetched: commit it (commit after, or its transaction). */
  private commitProcessed(c: number): void {
    if (this.transactional) {
      if (this.transactions.commit(c)) this.commitOwned(c, true);
    } else if (this.commitPolicy === 'after-processing') this.commitOwned(c, true);
  }

  /** Commits its partitions (none it lost: refused) up to its position, or (`processedOnly`) its first unprocessed. */
  private commitOwned(c: number, processedOnly: boolean): void {
    for (let p = 0; p < this.log.partitions; p++) {
      if (this.group.owner[p] !== c) continue;
      let offset = this.log.position[p]!;
      if (processedOnly) {
        const queue = this.queue[c]!;
        for (let i = 0; i < queue.length; i++)
          if (queue.at(i, PARTITION) === p) offset = Math.min(offset, queue.at(i, OFFSET));
        for (let slot = c * this.workers; slot < (c + 1) * this.workers; slot++) {
          if (this.workOffset[slot] !== -1 && this.workPartition[slot] === p)
            offset = Math.min(offset, this.workOffset[slot]!);
        }
      }
      this.log.commit(p, offset);
    }
  }

  /** A poll deadline a later poll or a crash superseded: both counts only grow, so it does nothing, ever. */
  readonly superseded = (c: number, inc: number, token: number): boolean =>
    inc !== this.incarnation[c] || token !== this.pollToken[c];

  private onPollDeadline(c: number, inc: number, token: number): void {
    if (this.superseded(c, inc, token) || this.running[c] === 0) return;
    this.group.leave(c, Dup.pollIntervalExceeded, 'max.poll.interval.ms exceeded');
  }

  private crash(c: number, durationMs: number, scheduled: boolean): void {
    const { messages, kernel, config } = this.world;
    if (!this.pipeline.crash(c, durationMs, scheduled)) return;
    const inc = this.incarnation[c]!;
    this.incarnation[c] = inc + 1;
    this.transactions.abort(c, 'the consumer crashed');
    for (let slot = c * this.workers; slot < (c + 1) * this.workers; slot++) {
      if (this.workOffset[slot] === -1) continue;
      const m = this.workMessage[slot]!;
      const s = messages.slot(m);
      messages.processing[s]!--;
      this.workOffset[slot] = -1;
      this.pipeline.abandon(m, s);
    }
    const queue = this.queue[c]!;
    while (queue.length > 0) {
      const m = queue.peek(MESSAGE);
      this.world.tracer?.atConsumer('consumer', 'abandon', c, m, queue.peek(DELIVERY), 'crashed');
      queue.shift();
      this.pipeline.abandon(m, messages.slot(m));
    }
    if (this.group.member[c] === 1) kernel.after(config.consumers.sessionTimeoutMs, Ev.logSessionExpire, c, inc);
  }

  private restart(c: number): void {
    if (!this.pipeline.restarts(c)) return;
    // A new instance: the old membership ends now rather than at its session timeout.
    this.group.leave(c, Dup.crashAfterEffect, 'restarted');
    this.schedulePoll(c, 0);
  }
}
