// The consumer group's coordinator at a log broker: membership, sessions and eager rebalances. When the
// group changes every member rejoins at its next poll, then the partitions are dealt again and every new
// position is the committed offset, so records processed but not committed run again.
import { Dup } from './causes.js';
import type { Ledger } from './ledger.js';
import type { PartitionLog } from './partition-log.js';
import { Ev, type World } from './world.js';

/** A partition no member owns. */
export const NO_OWNER = -1;

/** Membership, sessions, rebalances and who owns which partition. */
export class GroupCoordinator {
  /** Per partition: its owner, or NO_OWNER. */
  readonly owner: Int32Array;
  /** Why the partition's uncommitted records may run again, noted when its owner lost it. */
  readonly rewindCause: Uint8Array;
  /** Per consumer: 1 while a member; the incarnation that joined; 1 once it rejoined the current rebalance. */
  readonly member: Uint8Array;
  readonly memberIncarnation: Int32Array;
  readonly joined: Uint8Array;
  /** Per consumer: its membership epoch, new at each join and each completed rebalance. */
  readonly memberEpoch: Int32Array;
  epochs = 0;
  rebalancing = false;
  generation = 0;
  private readonly consumers: number;

  constructor(
    private readonly world: World,
    private readonly ledger: Ledger,
    private readonly log: PartitionLog,
    /** In a transaction a rewound effect was never committed: only a read_uncommitted reader sees it twice. */
    private readonly transactional: boolean,
  ) {
    const n = (this.consumers = world.config.consumers.count);
    this.owner = new Int32Array(log.partitions).fill(NO_OWNER);
    this.rewindCause = new Uint8Array(log.partitions);
    this.member = new Uint8Array(n);
    this.memberIncarnation = new Int32Array(n);
    this.joined = new Uint8Array(n);
    this.memberEpoch = new Int32Array(n);
    world.kernel.on(Ev.logSessionExpire, (c, inc) => this.onSessionExpire(c, inc));
  }

  /** Consumer c (incarnation `incarnation`) joins the group: a rebalance starts. */
  join(c: number, incarnation: number): void {
    this.member[c] = 1;
    this.memberEpoch[c] = ++this.epochs;
    this.memberIncarnation[c] = incarnation;
    this.world.tracer?.consumer('join', c);
    this.startRebalance();
  }

  /** Takes consumer c out of the group; its partitions wait for the rebalance. */
  leave(c: number, cause: number, detail: string): void {
    if (this.member[c] === 0) return;
    this.member[c] = 0;
    this.joined[c] = 0;
    this.world.tracer?.consumer('leave', c, detail);
    for (let p = 0; p < this.log.partitions; p++) {
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
  completeRebalance(): void {
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
    const messages = this.world.messages;
    const { committed, position } = this.log;
    for (let p = 0; p < this.log.partitions; p++) {
      // Records past the committed offset that already had their effect will run again. In a
      // transaction that effect was never committed: only a read_uncommitted reader sees it twice.
      const cause = this.transactional ? Dup.readUncommitted : this.rewindCause[p] || Dup.rebalance;
      const log = this.log.logMessage[p]!;
      for (let o = committed[p]!; o < position[p]!; o++) {
        const s = messages.slot(log.data[o]!);
        if (s < 0) continue;
        if (messages.lastEffectDelivery[s]! >= 0) this.ledger.noteBreak(s, messages.lastEffectDelivery[s]!, cause);
        // A copy still being processed reaches its effect after the rewind: like a visibility timeout.
        this.ledger.noteExpiry(s, messages.deliveryCount[s]! - 1, cause);
      }
      position[p] = committed[p]!;
      this.rewindCause[p] = 0;
      this.owner[p] = members.length === 0 ? NO_OWNER : members[p % members.length]!;
    }
    this.world.tracer?.broker('rebalance', `generation ${this.generation}: ${members.length} member(s)`);
  }

  private onSessionExpire(c: number, inc: number): void {
    // The coordinator stops hearing from the crashed instance.
    if (this.member[c] === 1 && this.memberIncarnation[c] === inc)
      this.leave(c, Dup.crashAfterEffect, 'session timeout');
  }
}
