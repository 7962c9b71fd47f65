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
// Not modelled: the deliver and ack links' losses (fetches and commits ride TCP and are retried by the
// client; their latencies apply), retention, broker crashes of the log.
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import { Dup } from './causes.js';
import type { DedupeStore } from './dedupe-store.js';
import { IntRing } from './int-ring.js';
import type { Ledger } from './ledger.js';
import { Link, type Network } from './network.js';
import { PublishEndpoint } from './publish-endpoint.js';
import type { SequenceBook } from './sequence-book.js';
import { Delivery, DeliveryProcessing, Processed } from './processing.js';
import { Forgot } from './state.js';
import { Ev, type World } from './world.js';

/** A growable list of numbers in a typed array. */
class NumberList<T extends Int32Array | Float64Array> {
  length = 0;

  constructor(public data: T) {}

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new (this.data.constructor as new (n: number) => T)(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}
const ints = () => new NumberList(new Int32Array(16));

// Fields of a fetched record in a consumer's queue.
const PARTITION = 0;
const OFFSET = 1;
const MESSAGE = 2;
const ORDINAL = 3;
const DELIVERY = 4;
/** The consumer's membership epoch when it fetched the record (a transaction must commit in it). */
const EPOCH = 5;
const NO_OWNER = -1;
// Fields of an effect in a consumer's open transaction.
const TX_MESSAGE = 0;
const TX_ORDINAL = 1;
const TX_DELIVERY = 2;
const TX_EPOCH = 3;

/** The commit policy in effect. */
type Commit = 'auto' | 'before-processing' | 'after-processing';

/** The log broker and the consumer group that reads it. */
export class LogBroker extends PublishEndpoint implements HashesState {
  private readonly partitions: number;
  private readonly logMessage: NumberList<Int32Array>[];
  private readonly logOrdinal: NumberList<Int32Array>[];
  private readonly fetched: NumberList<Int32Array>[];
  private readonly storedAt: NumberList<Float64Array>[];
  /** Records written this long ago are on every replica (0 with a single copy). */
  private readonly lagMs: number;
  private downUntilLeaderMs = -Infinity;
  private readonly committed: Int32Array;
  private readonly position: Int32Array;
  private readonly owner: Int32Array;
  /** Why the partition's uncommitted records may run again, noted when its owner lost it. */
  private readonly rewindCause: Uint8Array;
  private readonly consumers: number;
  /** Per consumer: 1 while it runs (0 while crashed). */
  private readonly running: Uint8Array;
  private readonly incarnation: Int32Array;
  private readonly member: Uint8Array;
  private readonly memberIncarnation: Int32Array;
  private readonly joined: Uint8Array;
  private readonly pollToken: Int32Array;
  private readonly lastAutoCommitMs: Float64Array;
  private readonly downUntilMs: Float64Array;
  /** Records fetched and not yet processed, per consumer: [partition, offset, message, ordinal, delivery]. */
  private readonly queue: IntRing[];
  /** Records being processed, per worker slot (`concurrency` per consumer); -1 = idle. */
  private readonly workOffset: Int32Array;
  private readonly workPartition: Int32Array;
  private readonly workMessage: Int32Array;
  private readonly workOrdinal: Int32Array;
  private readonly workDelivery: Int32Array;
  private readonly workers: number;
  private readonly commitPolicy: Commit;
  private readonly pipeline: DeliveryProcessing;
  /** The one record the pipeline processes (reused). */
  private readonly delivery = new Delivery();
  private rebalancing = false;
  private generation = 0;
  private readonly transactional: boolean;
  /** The poll loop hands records to workers and polls on (pollLoop: async). */
  private readonly async: boolean;
  private readonly readCommitted: boolean;
  /** Per consumer: effects written in its open transaction: [message, ordinal, delivery]. */
  private readonly transaction: IntRing[];
  /** Per consumer: its membership epoch, new at each join and each completed rebalance. */
  private readonly memberEpoch: Int32Array;
  private epochs = 0;
  private readonly workEpoch: Int32Array;

  constructor(
    world: World,
    network: Network,
    ledger: Ledger,
    private readonly dedupe: DedupeStore | undefined,
    private readonly sequences: SequenceBook | undefined,
  ) {
    super(world, network, ledger);
    const { broker, consumers, mode } = world.config;
    this.partitions = broker.partitions;
    const lists = () => Array.from({ length: this.partitions }, ints);
    this.logMessage = lists();
    this.logOrdinal = lists();
    this.fetched = lists();
    this.storedAt = Array.from({ length: this.partitions }, () => new NumberList(new Float64Array(16)));
    this.lagMs = broker.replicas > 1 ? broker.replicationLagMs : 0;
    this.committed = new Int32Array(this.partitions);
    this.position = new Int32Array(this.partitions);
    this.owner = new Int32Array(this.partitions).fill(NO_OWNER);
    this.rewindCause = new Uint8Array(this.partitions);
    const n = (this.consumers = consumers.count);

    this.incarnation = new Int32Array(n);
    this.member = new Uint8Array(n);
    this.memberIncarnation = new Int32Array(n);
    this.joined = new Uint8Array(n);
    this.pollToken = new Int32Array(n);
    this.lastAutoCommitMs = new Float64Array(n);
    this.queue = Array.from({ length: n }, () => new IntRing(6, 64));
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
    this.readCommitted = world.config.sink.isolation === 'read_committed';
    this.transaction = Array.from({ length: n }, () => new IntRing(4, 64));
    this.memberEpoch = new Int32Array(n);
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
    kernel.on(Ev.logSessionExpire, (c, inc) => this.onSessionExpire(c, inc));
    kernel.on(Ev.consumerCrashFault, (c, fault) => this.crash(c, world.config.faults[fault]!.durationMs, true));
    kernel.on(Ev.consumerRestart, (c) => this.restart(c));
    kernel.on(Ev.leaderFailover, (fault) => this.failover(fault));
    kernel.on(Ev.brokerCrashFault, (fault) => this.failover(fault));
    kernel.on(Ev.leaderElected, () => this.elected());
    kernel.on(Ev.confirmReady, (m, attempt, copy, p, offset) => this.onConfirmReady(m, attempt, copy, p, offset));
  }

  private processingPipeline(dedupe: DedupeStore | undefined): DeliveryProcessing {
    const transaction = {
      holds: (c: number, m: number) => this.inTransaction(c, m),
      write: (d: Delivery) => this.writeInTransaction(d.consumer, d.message, d.slot, d.ordinal, d.delivery, d.epoch),
    };
    return new DeliveryProcessing(this.world, this.ledger, dedupe, {
      // Exploration: a record's processing may outlast max.poll.interval (a zombie).
      stallMs: this.commitPolicy === 'after-processing' ? this.world.config.consumers.maxPollIntervalMs : undefined,
      stallDetail: 'outlasts max.poll.interval.ms',
      cachePoison: false,
      poisonDetail: 'poison: skipped',
      checksBeforeProcessing: false,
      hintsCrashAfterEffect: false,
      ...(this.transactional ? { transaction } : {}),
    });
  }

  /** Starts every consumer's poll loop and schedules the scheduled consumer crashes. */
  start(): void {
    const { kernel, config } = this.world;
    for (let c = 0; c < this.consumers; c++) kernel.after(0, Ev.logPoll, c, 0);
    config.faults.forEach((fault, index) => {
      if (fault.type === 'consumer-crash') kernel.at(fault.atMs, Ev.consumerCrashFault, fault.consumer, index);
      if (fault.type === 'leader-failover') kernel.at(fault.atMs, Ev.leaderFailover, index);
      if (fault.type === 'broker-crash') kernel.at(fault.atMs, Ev.brokerCrashFault, index);
    });
  }

  hashState(h: StateHasher): void {
    for (const value of [
      ...this.hashPublishState(),
      this.rebalancing ? 1 : 0,
      this.generation,
      this.downUntilLeaderMs,
      this.epochs,
    ])
      h.num(value);
    for (let p = 0; p < this.partitions; p++) {
      h.column(this.storedAt[p]!.data, this.storedAt[p]!.length);
      h.column(this.logMessage[p]!.data, this.logMessage[p]!.length);
      h.column(this.logOrdinal[p]!.data, this.logOrdinal[p]!.length);
      h.column(this.fetched[p]!.data, this.fetched[p]!.length);
    }
    for (const column of [
      this.committed,
      this.position,
      this.owner,
      this.rewindCause,
      this.running,
      this.incarnation,
      this.member,
    ])
      h.column(column);
    for (const column of [this.memberIncarnation, this.joined, this.pollToken, this.lastAutoCommitMs, this.downUntilMs])
      h.column(column);
    for (const column of [this.workOffset, this.workPartition, this.workMessage, this.workOrdinal, this.workDelivery])
      h.column(column);
    for (const queue of this.queue) queue.hashState(h);
    for (const tx of this.transaction) tx.hashState(h);
    h.column(this.memberEpoch);
    h.column(this.workEpoch);
  }

  protected override inSequence(m: number): boolean {
    return this.sequences === undefined || this.sequences.inSequence(m);
  }

  protected override orderKey(m: number): number {
    return m % this.partitions;
  }

  /** Consumers fetch by polling: nothing to push. */
  override pump(): void {}

  protected store(m: number, s: number, attempt: number): void {
    const { counters } = this.world;
    const ordinal = this.noteStored(m, s, attempt);
    const p = m % this.partitions;
    this.logMessage[p]!.push(m);
    this.logOrdinal[p]!.push(ordinal);
    this.fetched[p]!.push(0);
    this.storedAt[p]!.push(this.world.kernel.now);
    const depth = this.logMessage[p]!.length - this.committed[p]!;
    if (depth > counters.maxQueueDepth) counters.maxQueueDepth = depth;
  }

  // ---- replication and leader failover ----------------------------------------------------------

  /** acks=all with followers: the confirm waits until the followers have the record. */
  protected override confirmStored(m: number, s: number, attempt: number, copy: number): void {
    if (this.world.config.producer.acks !== 'all' || this.lagMs === 0) {
      this.confirm(m, s, attempt, copy, 0);
      return;
    }
    const p = m % this.partitions;
    this.world.kernel.after(this.lagMs, Ev.confirmReady, m, attempt, copy, p, this.logMessage[p]!.length - 1);
  }

  /**
   * acks=all: a retry of a record the followers do not have yet is confirmed when they do, as the
   * record itself would be; a failover in between truncates it and the retry gets no confirm.
   */
  protected override confirmDuplicate(m: number, s: number, attempt: number, copy: number): void {
    const now = this.world.kernel.now;
    if (this.world.config.producer.acks === 'all' && this.lagMs > 0) {
      const p = m % this.partitions;
      const log = this.logMessage[p]!;
      const times = this.storedAt[p]!;
      for (let o = log.length - 1; o >= 0 && times.data[o]! > now - this.lagMs; o--) {
        if (log.data[o] !== m) continue;
        this.world.kernel.after(times.data[o]! + this.lagMs - now, Ev.confirmReady, m, attempt, copy, p, o);
        return;
      }
    }
    this.confirm(m, s, attempt, copy, 0);
  }

  private onConfirmReady(m: number, attempt: number, copy: number, p: number, offset: number): void {
    const s = this.world.messages.slot(m);
    // A failover in between truncated the record: no confirm, the producer will retry.
    if (s < 0 || offset >= this.logMessage[p]!.length || this.logMessage[p]!.data[offset] !== m) return;
    this.confirm(m, s, attempt, copy, 0);
  }

  /**
   * The leaders fail (leader-failover) or the broker goes down (broker-crash): unavailable for the
   * fault's duration. A failover elects followers, which lack the records written in the last
   * replicationLagMs: those are truncated (acks=1 had confirmed them already).
   */
  private failover(index: number): void {
    const { messages, faults, kernel, config } = this.world;
    const fault = config.faults[index]!;
    faults.brokerCrashes++;
    this.up = false;
    this.downUntilLeaderMs = Math.max(this.downUntilLeaderMs, kernel.now + fault.durationMs);
    kernel.at(this.downUntilLeaderMs, Ev.leaderElected);
    const truncates = fault.type === 'leader-failover' && this.lagMs > 0;
    this.world.trace?.({
      t: kernel.now,
      actor: 'broker',
      event: 'crash',
      detail: truncates ? 'leader failover' : 'down',
    });
    if (!truncates) return;
    const replicated = kernel.now - this.lagMs;
    for (let p = 0; p < this.partitions; p++) {
      const log = this.logMessage[p]!;
      const times = this.storedAt[p]!;
      let cut = log.length;
      while (cut > this.committed[p]! && times.data[cut - 1]! > replicated) cut--;
      for (let o = cut; o < log.length; o++) {
        const m = log.data[o]!;
        const s = messages.slot(m);
        messages.forgot[s] = Forgot.failover;
        // The new leaders' idempotence state (producer sequences) covers only what they have.
        messages.storedAtMs[s] = NaN;
        this.world.trace?.({
          t: kernel.now,
          actor: 'broker',
          event: 'truncate',
          message: m,
          detail: `p${p}@${o}: not replicated`,
        });
        this.ledger.release(m, s);
      }
      for (const list of [log, this.logOrdinal[p]!, this.fetched[p]!, times]) list.length = cut;
      this.position[p] = Math.min(this.position[p]!, cut);
    }
  }

  private elected(): void {
    if (this.up || this.world.kernel.now < this.downUntilLeaderMs) return;
    this.up = true;
    this.world.trace?.({ t: this.world.kernel.now, actor: 'broker', event: 'restart', detail: 'leaders available' });
  }

  // ---- the poll loop ----------------------------------------------------------------------------

  private schedulePoll(c: number, delayMs: number): void {
    this.world.kernel.after(delayMs, Ev.logPoll, c, this.incarnation[c]);
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
    if (this.member[c] === 0) this.join(c);
    if (this.rebalancing) {
      // Eager rebalance: revoke (auto-commit commits first, as the Kafka client does), rejoin, wait.
      if (this.joined[c] === 0 && this.commitPolicy === 'auto') this.commitOwned(c, false);
      this.joined[c] = 1;
      this.completeRebalance();
      if (this.rebalancing) {
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
    const { messages, counters, kernel, config } = this.world;
    if (!this.up) return 0;
    const limit = config.consumers.maxPollRecords;
    let taken = 0;
    for (let p = 0; p < this.partitions && taken < limit; p++) {
      if (this.owner[p] !== c) continue;
      const log = this.logMessage[p]!;
      // Consumers read up to the high watermark: records every replica has.
      const replicated = this.world.kernel.now - this.lagMs;
      while (
        this.position[p]! < log.length &&
        taken < limit &&
        this.storedAt[p]!.data[this.position[p]!]! <= replicated
      ) {
        const offset = this.position[p]!++;
        const m = log.data[offset]!;
        const s = messages.slot(m);
        const k = messages.deliveryCount[s]!;
        messages.deliveryCount[s] = k + 1;
        counters.deliveries++;
        if (this.fetched[p]!.data[offset]! > 0) counters.redeliveries++;
        this.fetched[p]!.data[offset]!++;
        this.ledger.hold(m, s);
        this.queue[c]!.push(p, offset, m, this.logOrdinal[p]!.data[offset], k, this.memberEpoch[c]);
        this.world.trace?.({
          t: kernel.now,
          actor: 'broker',
          event: 'deliver',
          link: 'deliver',
          message: m,
          delivery: k,
          consumer: c,
          detail: `p${p}@${offset}`,
        });
        taken++;
      }
    }
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
      kernel.after(duration, Ev.logProcessed, c, slot, this.incarnation[c]);
    }
  }

  private onProcessed(c: number, slot: number, inc: number): void {
    const { messages, config } = this.world;
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
    if (outcome === Processed.crashed) {
      this.crash(c, config.consumers.crash.restartMs, false);
      return;
    }
    if (outcome !== Processed.inTransaction) this.ledger.release(m, s);
    this.startWork(c);
    if (this.busy(c) || this.queue[c]!.length > 0) return;
    if (!this.async) {
      // The batch is done: commit it (commit after), then poll again.
      this.commitProcessed(c);
      this.schedulePoll(c, 0);
    } else this.commitProcessed(c);
  }

  // ---- transactions -------------------------------------------------------------------------------

  /** Whether consumer c's open transaction already holds an effect of message m (its dedupe record commits with it). */
  private inTransaction(c: number, m: number): boolean {
    const tx = this.transaction[c]!;
    for (let i = 0; i < tx.length; i++) if (tx.at(i, TX_MESSAGE) === m) return true;
    return false;
  }

  /** Writes the effect of delivery k in consumer c's open transaction (visible now only to read_uncommitted). */
  private writeInTransaction(c: number, m: number, s: number, ordinal: number, k: number, epoch: number): void {
    this.transaction[c]!.push(m, ordinal, k, epoch);
    if (this.readCommitted) {
      this.traceRecord('sink', 'write', c, m, k, 'in the transaction, not yet visible');
      return;
    }
    this.ledger.effect(m, s, ordinal, k);
    this.traceRecord('sink', 'effect', c, m, k, `effect ${this.world.messages.effects[m]!} (uncommitted)`);
  }

  /**
   * Commits consumer c's transaction with its offsets, unless the group moved on since the consumer
   * fetched those records (it left, or a rebalance dealt the partitions again): then the coordinator
   * fences the commit (stale generation) and the transaction aborts.
   */
  private commitTransaction(c: number): void {
    const tx = this.transaction[c]!;
    let fenced = this.member[c] === 0;
    for (let i = 0; i < tx.length && !fenced; i++) fenced = tx.at(i, TX_EPOCH) !== this.memberEpoch[c];
    if (fenced) {
      this.abortTransaction(c, 'fenced: the group has moved on since these records were fetched');
      return;
    }
    const { messages, kernel } = this.world;
    this.world.trace?.({
      t: kernel.now,
      actor: 'consumer',
      event: 'commit',
      consumer: c,
      detail: `transaction of ${tx.length} effect(s)`,
    });
    while (tx.length > 0) {
      const m = tx.peek(TX_MESSAGE);
      const k = tx.peek(TX_DELIVERY);
      const s = messages.slot(m);
      if (this.readCommitted) {
        this.ledger.effect(m, s, tx.peek(TX_ORDINAL), k);
        this.traceRecord('sink', 'effect', c, m, k, `effect ${messages.effects[m]!} (committed)`);
      }
      this.dedupe?.record(m, s, kernel.now);
      tx.shift();
      this.ledger.release(m, s);
    }
    this.commitOwned(c, true);
  }

  /** Aborts consumer c's open transaction: its effects are discarded (a read_uncommitted reader saw them). */
  private abortTransaction(c: number, why: string): void {
    const tx = this.transaction[c]!;
    if (tx.length === 0) return;
    const { messages, faults, kernel } = this.world;
    faults.abortedTransactions++;
    this.world.trace?.({
      t: kernel.now,
      actor: 'consumer',
      event: 'abort',
      consumer: c,
      detail: `transaction of ${tx.length} effect(s): ${why}`,
    });
    while (tx.length > 0) {
      const m = tx.peek(TX_MESSAGE);
      const s = messages.slot(m);
      if (!this.readCommitted) this.ledger.noteBreak(s, tx.peek(TX_DELIVERY), Dup.readUncommitted);
      tx.shift();
      this.ledger.release(m, s);
    }
  }

  /** Traces what happened to delivery k of message m at consumer c. */
  private traceRecord(
    actor: 'consumer' | 'sink',
    event: string,
    c: number,
    m: number,
    k: number,
    detail: string,
  ): void {
    this.world.trace?.({ t: this.world.kernel.now, actor, event, message: m, delivery: k, consumer: c, detail });
  }

  private busy(c: number): boolean {
    for (let slot = c * this.workers; slot < (c + 1) * this.workers; slot++)
      if (this.workOffset[slot] !== -1) return true;
    return false;
  }

  // ---- commits ------------------------------------------------------------------------------------

  /** The consumer has processed everything it fetched: commit it (commit after, or its transaction). */
  private commitProcessed(c: number): void {
    if (this.transactional) this.commitTransaction(c);
    else if (this.commitPolicy === 'after-processing') this.commitOwned(c, true);
  }

  /**
   * Commits the consumer's partitions: up to its position, or (`processedOnly`) up to its first record
   * not yet processed. A consumer that no longer owns a partition has its commit refused.
   */
  private commitOwned(c: number, processedOnly: boolean): void {
    for (let p = 0; p < this.partitions; p++) {
      if (this.owner[p] !== c) continue;
      let offset = this.position[p]!;
      if (processedOnly) {
        const queue = this.queue[c]!;
        for (let i = 0; i < queue.length; i++)
          if (queue.at(i, PARTITION) === p) offset = Math.min(offset, queue.at(i, OFFSET));
        for (let slot = c * this.workers; slot < (c + 1) * this.workers; slot++) {
          if (this.workOffset[slot] !== -1 && this.workPartition[slot] === p)
            offset = Math.min(offset, this.workOffset[slot]!);
        }
      }
      this.commit(p, offset);
    }
  }

  /** Moves partition p's committed offset forward: the log forgets those records for good. */
  private commit(p: number, offset: number): void {
    const { messages, kernel } = this.world;
    const from = this.committed[p]!;
    if (offset <= from) return;
    this.committed[p] = offset;
    this.world.trace?.({ t: kernel.now, actor: 'broker', event: 'commit', detail: `p${p} → ${offset}` });
    const log = this.logMessage[p]!;
    for (let o = from; o < offset; o++) {
      const m = log.data[o]!;
      const s = messages.slot(m);
      messages.forgot[s] = Forgot.committed;
      this.ledger.release(m, s);
    }
  }

  // ---- the group ----------------------------------------------------------------------------------

  private join(c: number): void {
    this.member[c] = 1;
    this.memberEpoch[c] = ++this.epochs;
    this.memberIncarnation[c] = this.incarnation[c]!;
    this.world.trace?.({ t: this.world.kernel.now, actor: 'consumer', event: 'join', consumer: c });
    this.startRebalance();
  }

  /** Takes consumer c out of the group; its partitions wait for the rebalance. */
  private leave(c: number, cause: number, detail: string): void {
    if (this.member[c] === 0) return;
    this.member[c] = 0;
    this.joined[c] = 0;
    this.world.trace?.({ t: this.world.kernel.now, actor: 'consumer', event: 'leave', consumer: c, detail });
    for (let p = 0; p < this.partitions; p++) {
      if (this.owner[p] !== c) continue;
      this.owner[p] = NO_OWNER;
      this.rewindCause[p] = cause;
    }
    this.startRebalance();
    this.completeRebalance();
  }

  private startRebalance(): void {
    if (this.rebalancing) return;
    this.rebalancing = true;
    this.joined.fill(0);
  }

  /** Deals the partitions once every live member has rejoined; positions restart at the committed offsets. */
  private completeRebalance(): void {
    if (!this.rebalancing) return;
    const members: number[] = [];
    for (let c = 0; c < this.consumers; c++) {
      if (this.member[c] === 0) continue;
      if (this.joined[c] === 0) return;
      members.push(c);
    }
    this.rebalancing = false;
    this.generation++;
    for (const c of members) this.memberEpoch[c] = ++this.epochs;
    const { messages, kernel } = this.world;
    for (let p = 0; p < this.partitions; p++) {
      // Records past the committed offset that already had their effect will run again. In a
      // transaction that effect was never committed: only a read_uncommitted reader sees it twice.
      const cause = this.transactional ? Dup.readUncommitted : this.rewindCause[p] || Dup.rebalance;
      const log = this.logMessage[p]!;
      for (let o = this.committed[p]!; o < this.position[p]!; o++) {
        const s = messages.slot(log.data[o]!);
        if (s < 0) continue;
        if (messages.lastEffectDelivery[s]! >= 0) this.ledger.noteBreak(s, messages.lastEffectDelivery[s]!, cause);
        // A copy still being processed reaches its effect after the rewind: like a visibility timeout.
        this.ledger.noteExpiry(s, messages.deliveryCount[s]! - 1, cause);
      }
      this.position[p] = this.committed[p]!;
      this.rewindCause[p] = 0;
      this.owner[p] = members.length === 0 ? NO_OWNER : members[p % members.length]!;
    }
    this.world.trace?.({
      t: kernel.now,
      actor: 'broker',
      event: 'rebalance',
      detail: `generation ${this.generation}: ${members.length} member(s)`,
    });
  }

  private onPollDeadline(c: number, inc: number, token: number): void {
    if (inc !== this.incarnation[c] || token !== this.pollToken[c] || this.running[c] === 0) return;
    this.leave(c, Dup.pollIntervalExceeded, 'max.poll.interval.ms exceeded');
  }

  private onSessionExpire(c: number, inc: number): void {
    // The coordinator stops hearing from the crashed instance.
    if (this.member[c] === 1 && this.memberIncarnation[c] === inc)
      this.leave(c, Dup.crashAfterEffect, 'session timeout');
  }

  // ---- crashes ------------------------------------------------------------------------------------

  private crash(c: number, durationMs: number, scheduled: boolean): void {
    const { messages, kernel, config } = this.world;
    if (!this.pipeline.crash(c, durationMs, scheduled)) return;
    const inc = this.incarnation[c]!;
    this.incarnation[c] = inc + 1;
    this.abortTransaction(c, 'the consumer crashed');
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
      this.world.trace?.({
        t: kernel.now,
        actor: 'consumer',
        event: 'abandon',
        message: m,
        delivery: queue.peek(DELIVERY),
        consumer: c,
        detail: 'crashed',
      });
      queue.shift();
      this.pipeline.abandon(m, messages.slot(m));
    }
    if (this.member[c] === 1) kernel.after(config.consumers.sessionTimeoutMs, Ev.logSessionExpire, c, inc);
  }

  private restart(c: number): void {
    if (!this.pipeline.restarts(c)) return;
    // A new instance: the old membership ends now rather than at its session timeout.
    this.leave(c, Dup.crashAfterEffect, 'restarted');
    this.schedulePoll(c, 0);
  }
}
