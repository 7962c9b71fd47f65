// Kafka transactions for a consume-transform-produce consumer: a batch's effects and its offsets commit
// together; a crash aborts them, and so does a zombie's commit after it left the group (fenced by the
// group generation, KIP-447). A read_committed reader of the sink never sees aborted effects.
import { Dup } from './causes.js';
import type { DedupeStore } from './dedupe-store.js';
import type { GroupCoordinator } from './group-coordinator.js';
import { IntRing } from './int-ring.js';
import type { Ledger } from './ledger.js';
import type { Delivery, OpenTransaction } from './processing.js';
import type { World } from './world.js';

// Fields of an effect in a consumer's open transaction.
const TX_MESSAGE = 0;
const TX_ORDINAL = 1;
const TX_DELIVERY = 2;
/** The consumer's membership epoch when it fetched the record (the transaction must commit in it). */
const TX_EPOCH = 3;

/** Every consumer's open transaction. */
export class Transactions implements OpenTransaction {
  /** Per consumer: effects written in its open transaction: [message, ordinal, delivery, epoch]. */
  readonly transaction: IntRing[];
  private readonly readCommitted: boolean;

  constructor(
    private readonly world: World,
    private readonly ledger: Ledger,
    private readonly dedupe: DedupeStore | undefined,
    private readonly group: GroupCoordinator,
  ) {
    this.transaction = IntRing.many(world.config.consumers.count, 4, 64);
    this.readCommitted = world.config.sink.isolation === 'read_committed';
  }

  /** Whether consumer c's open transaction already holds an effect of message m (its dedupe record commits with it). */
  holds(c: number, m: number): boolean {
    const tx = this.transaction[c]!;
    for (let i = 0; i < tx.length; i++) if (tx.at(i, TX_MESSAGE) === m) return true;
    return false;
  }

  /** Writes the effect of delivery `d` in its consumer's open transaction (visible now only to read_uncommitted). */
  write(d: Delivery): void {
    const { consumer: c, message: m, slot: s, ordinal, delivery: k } = d;
    this.transaction[c]!.push(m, ordinal, k, d.epoch);
    if (this.readCommitted) {
      this.world.tracer?.atConsumer('sink', 'write', c, m, k, 'in the transaction, not yet visible');
      return;
    }
    this.ledger.effect(m, s, ordinal, k);
    this.world.tracer?.atConsumer('sink', 'effect', c, m, k, `effect ${this.world.messages.effects[m]!} (uncommitted)`);
  }

  /**
   * Commits consumer c's transaction with its offsets, unless the group moved on since the consumer
   * fetched those records (it left, or a rebalance dealt the partitions again): then the coordinator
   * fences the commit (stale generation) and the transaction aborts. Returns whether it committed (then
   * the caller commits the offsets).
   */
  commit(c: number): boolean {
    const tx = this.transaction[c]!;
    let fenced = this.group.member[c] === 0;
    for (let i = 0; i < tx.length && !fenced; i++) fenced = tx.at(i, TX_EPOCH) !== this.group.memberEpoch[c];
    if (fenced) {
      this.abort(c, 'fenced: the group has moved on since these records were fetched');
      return false;
    }
    const { messages, kernel } = this.world;
    this.world.tracer?.consumer('commit', c, `transaction of ${tx.length} effect(s)`);
    while (tx.length > 0) {
      const m = tx.peek(TX_MESSAGE);
      const k = tx.peek(TX_DELIVERY);
      const s = messages.slot(m);
      if (this.readCommitted) {
        this.ledger.effect(m, s, tx.peek(TX_ORDINAL), k);
        this.world.tracer?.atConsumer('sink', 'effect', c, m, k, `effect ${messages.effects[m]!} (committed)`);
      }
      this.dedupe?.record(m, s, kernel.now);
      tx.shift();
      this.ledger.release(m, s);
    }
    return true;
  }

  /** Aborts consumer c's open transaction: its effects are discarded (a read_uncommitted reader saw them). */
  abort(c: number, why: string): void {
    const tx = this.transaction[c]!;
    if (tx.length === 0) return;
    const { messages, faults } = this.world;
    faults.abortedTransactions++;
    this.world.tracer?.consumer('abort', c, `transaction of ${tx.length} effect(s): ${why}`);
    while (tx.length > 0) {
      const m = tx.peek(TX_MESSAGE);
      const s = messages.slot(m);
      if (!this.readCommitted) this.ledger.noteBreak(s, tx.peek(TX_DELIVERY), Dup.readUncommitted);
      tx.shift();
      this.ledger.release(m, s);
    }
  }
}
