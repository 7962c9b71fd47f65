// The partition log of a Kafka-style broker: a topic of partitions, each an append-only log of records
// with offsets, replicated to followers that lag replicationLagMs; a leader failover truncates what they
// lack. It holds the group's committed offset and position per partition (a failover moves positions).
import { listOf } from './columns.js';
import { faultDuration } from './config.js';
import { partitionOf } from './keys.js';
import type { StateHasher } from '../sim/state-hash.js';
import type { IntRing } from './int-ring.js';
import type { Ledger } from './ledger.js';
import type { Network } from './network.js';
import { PublishEndpoint } from './publish-endpoint.js';
import type { SequenceBook } from './sequence-book.js';
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
/** A new list of ints. */
const ints = () => new NumberList(new Int32Array(16));

/** The partitions' logs, their replication and failover, and the group's offsets in them. */
export class PartitionLog extends PublishEndpoint {
  readonly partitions: number;
  /** Per partition, per offset: the message of the record, its stored copy's ordinal, times fetched, when stored. */
  readonly logMessage: NumberList<Int32Array>[];
  readonly logOrdinal: NumberList<Int32Array>[];
  readonly fetched: NumberList<Int32Array>[];
  readonly storedAt: NumberList<Float64Array>[];
  /** Records written this long ago are on every replica (0 with a single copy). */
  readonly lagMs: number;
  private downUntilLeaderMs = -Infinity;
  /** Per partition: the group's committed offset, and the position its owner reads from. */
  readonly committed: Int32Array;
  readonly position: Int32Array;

  constructor(
    world: World,
    network: Network,
    ledger: Ledger,
    private readonly sequences: SequenceBook | undefined,
  ) {
    super(world, network, ledger);
    const { broker } = world.config;
    this.partitions = broker.partitions;
    const lists = () => listOf(this.partitions, ints);
    this.logMessage = lists();
    this.logOrdinal = lists();
    this.fetched = lists();
    this.storedAt = listOf(this.partitions, () => new NumberList(new Float64Array(16)));
    this.lagMs = broker.replicas > 1 ? broker.replicationLagMs : 0;
    this.committed = new Int32Array(this.partitions);
    this.position = new Int32Array(this.partitions);
    const kernel = world.kernel;
    kernel.on(Ev.leaderFailover, (fault) => this.failover(fault));
    kernel.on(Ev.brokerCrashFault, (fault) => this.failover(fault));
    kernel.on(Ev.leaderElected, () => this.elected());
    kernel.on(Ev.confirmReady, (m, attempt, copy, p, offset) => this.onConfirmReady(m, attempt, copy, p, offset));
  }

  /** False while the leaders are unavailable. */
  get available(): boolean {
    return this.up;
  }

  /** The publish side's state and the leaders' downtime, for the state hash. */
  hashNumbers(): number[] {
    return this.hashPublishState();
  }

  get leaderDownUntilMs(): number {
    return this.downUntilLeaderMs;
  }

  /** Hashes every partition's log. */
  hashLogs(h: StateHasher): void {
    for (let p = 0; p < this.partitions; p++) {
      h.column(this.storedAt[p]!.data, this.storedAt[p]!.length);
      h.column(this.logMessage[p]!.data, this.logMessage[p]!.length);
      h.column(this.logOrdinal[p]!.data, this.logOrdinal[p]!.length);
      h.column(this.fetched[p]!.data, this.fetched[p]!.length);
    }
  }

  protected override inSequence(m: number): boolean {
    return this.sequences === undefined || this.sequences.inSequence(m);
  }

  protected override orderKey(m: number): number {
    return partitionOf(this.world.keys, m, this.partitions);
  }

  /** Consumers fetch by polling: nothing to push. */
  override pump(): void {}

  protected store(m: number, s: number, attempt: number): void {
    const { counters } = this.world;
    const ordinal = this.noteStored(m, s, attempt);
    const p = partitionOf(this.world.keys, m, this.partitions);
    this.logMessage[p]!.push(m);
    this.logOrdinal[p]!.push(ordinal);
    this.fetched[p]!.push(0);
    this.storedAt[p]!.push(this.world.kernel.now);
    const depth = this.logMessage[p]!.length - this.committed[p]!;
    if (depth > counters.maxQueueDepth) counters.maxQueueDepth = depth;
  }

  /** acks=all with followers: the confirm waits until the followers have the record. */
  protected override confirmStored(m: number, s: number, attempt: number, copy: number): void {
    if (this.world.config.producer.acks !== 'all' || this.lagMs === 0) {
      this.confirm(m, s, attempt, copy, 0);
      return;
    }
    const p = partitionOf(this.world.keys, m, this.partitions);
    this.world.kernel.after(this.lagMs, Ev.confirmReady, m, attempt, copy, p, this.logMessage[p]!.length - 1);
  }

  /**
   * acks=all: a retry of a record the followers do not have yet is confirmed when they do, as the
   * record itself would be; a failover in between truncates it and the retry gets no confirm.
   */
  protected override confirmDuplicate(m: number, s: number, attempt: number, copy: number): void {
    const now = this.world.kernel.now;
    if (this.world.config.producer.acks === 'all' && this.lagMs > 0) {
      const p = partitionOf(this.world.keys, m, this.partitions);
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
    this.downUntilLeaderMs = Math.max(this.downUntilLeaderMs, kernel.now + faultDuration(fault));
    kernel.at(this.downUntilLeaderMs, Ev.leaderElected);
    const truncates = fault.type === 'leader-failover' && this.lagMs > 0;
    this.world.tracer?.broker('crash', truncates ? 'leader failover' : 'down');
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
        this.world.tracer?.brokerMessage('truncate', m, `p${p}@${o}: not replicated`);
        this.ledger.release(m, s);
      }
      for (const list of [log, this.logOrdinal[p]!, this.fetched[p]!, times]) list.length = cut;
      this.position[p] = Math.min(this.position[p]!, cut);
    }
  }

  private elected(): void {
    if (this.up || this.world.kernel.now < this.downUntilLeaderMs) return;
    this.up = true;
    this.world.tracer?.broker('restart', 'leaders available');
  }

  /** Moves partition p's committed offset forward: the log forgets those records for good. */
  commit(p: number, offset: number): void {
    const messages = this.world.messages;
    const from = this.committed[p]!;
    if (offset <= from) return;
    this.committed[p] = offset;
    this.world.tracer?.broker('commit', `p${p} → ${offset}`);
    const log = this.logMessage[p]!;
    for (let o = from; o < offset; o++) {
      const m = log.data[o]!;
      const s = messages.slot(m);
      messages.forgot[s] = Forgot.committed;
      this.ledger.release(m, s);
    }
  }

  /**
   * Consumer c fetches up to `limit` records of partition p from its position, up to the high watermark
   * (records every replica has), into `queue` as [partition, offset, message, ordinal, delivery, epoch].
   * Returns how many.
   */
  read(p: number, c: number, limit: number, queue: IntRing, epoch: number): number {
    const { messages, counters } = this.world;
    const records = this.logMessage[p]!;
    const replicated = this.world.kernel.now - this.lagMs;
    let taken = 0;
    while (
      this.position[p]! < records.length &&
      taken < limit &&
      this.storedAt[p]!.data[this.position[p]!]! <= replicated
    ) {
      const offset = this.position[p]!++;
      const m = records.data[offset]!;
      const s = messages.slot(m);
      const k = messages.deliveryCount[s]!;
      messages.deliveryCount[s] = k + 1;
      counters.deliveries++;
      if (this.fetched[p]!.data[offset]! > 0) counters.redeliveries++;
      this.fetched[p]!.data[offset]!++;
      this.ledger.hold(m, s);
      queue.push(p, offset, m, this.logOrdinal[p]!.data[offset], k, epoch);
      this.world.tracer?.deliver('deliver', m, k, c, `p${p}@${offset}`);
      taken++;
    }
    return taken;
  }
}
