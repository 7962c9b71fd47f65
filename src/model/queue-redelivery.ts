// What becomes of a copy the queue broker delivered: an ack removes it; a nack, a visibility timeout, a
// closed channel, a lost consumer or a broker restart puts it back in line (after a backoff for nacks
// and timeouts), until maxDeliveries dead-letters or drops it.
import { Dup } from './causes.js';
import { EXTEND, NACK, type ConsumerPool } from './broker.js';
import type { Ledger } from './ledger.js';
import { Leases } from './leases.js';
import { lastRedriveMs } from './config.js';
import { EntryState } from './entry-table.js';
import { Forgot } from './state.js';
import { Ev, type World } from './world.js';

/** What redelivery needs from the rest of the queue broker. */
export interface RedeliveryQueue {
  /** False while the broker is down. */
  readonly isUp: boolean;
  /** A new queue token (a copy in line, or backing off, is current while its token is). */
  newToken(): number;
  /** Puts stored copy `e` in line. */
  enqueue(e: number): void;
  /** Takes stored copy `e` out of the queue for good. */
  remove(e: number): void;
  /** Copy `e` stops being outstanding (frees its consumer's slot where prefetch counts unacked deliveries). */
  leaveFlight(e: number): void;
  /** Hands queued messages to consumers that have room. */
  pump(): void;
  /** Copy `e` stays stored in the dead-letter queue (a redrive is to come): its slot and its group are free. */
  holdDeadLettered(e: number): void;
  /** Copy `e`'s delivery failed (a nack, a timeout) and goes back in line: its message group stays held, blocked. */
  deliveryFailed(e: number): void;
}

/** How the trace names an ack payload flag. */
const ACK_WORDS = ['ack', 'nack', 'extension'];

/** Acks, visibility timeouts, channel closes, requeues with backoff, dead-lettering. */
export class Redelivery {
  private consumers!: ConsumerPool;
  /** Where consumers extend their leases (consumers.leaseExtension, acked after the effect): the deadlines. */
  readonly leases: Leases | undefined;
  /** When the last redrive of the dead-letter queue (faults: dlq-redrive) happens; -Infinity if none does. */
  private readonly lastRedriveMs: number;

  constructor(
    private readonly world: World,
    private readonly ledger: Ledger,
    private readonly queue: RedeliveryQueue,
  ) {
    const { consumers, mode } = world.config;
    this.lastRedriveMs = lastRedriveMs(world.config);
    this.leases =
      consumers.leaseExtension.intervalMs > 0 && mode.ack === 'after-effect' ? new Leases(world) : undefined;
    const kernel = world.kernel;
    kernel.on(Ev.ackArrive, (e, m, k, nack) => this.onAck(e, m, k, nack));
    kernel.on(Ev.visibilityExpire, (e, m, k) => this.onVisibilityExpire(e, m, k));
    kernel.on(Ev.redeliverReady, (e, m, token) => this.onRedeliverReady(e, m, token));
    kernel.on(Ev.dlqRedrive, () => this.redrive());
  }

  /** Connects the consumer group. */
  attach(consumers: ConsumerPool): void {
    this.consumers = consumers;
  }

  private isCurrent(e: number, m: number, k: number): boolean {
    const entries = this.world.entries;
    return entries.message[e] === m && entries.lastDelivery[e] === k;
  }

  private onAck(e: number, m: number, k: number, nack: number): void {
    const { messages, faults, config } = this.world;
    const s = messages.slot(m);
    if (s < 0) return;
    if (!this.queue.isUp) {
      faults.droppedAtDownBroker++;
      this.world.tracer?.brokerDelivery('drop', m, k, `${ACK_WORDS[nack]}: broker down`);
      if (nack === 0) this.ledger.noteBreak(s, k, Dup.ackLost);
      return;
    }
    if (nack === EXTEND) {
      this.onExtension(e, m, k);
      return;
    }
    // Only the latest delivery's ack counts (SQS receipt handles), unless the broker settles a message by an older
    // one too (broker.lateAcks: Redis XACK, JetStream). A channel the broker closed takes its deliveries' acks with it
    // (RabbitMQ delivery tags).
    const closed =
      config.broker.visibilityTimeoutScope === 'channel' && this.world.entries.state[e] !== EntryState.inFlight;
    if (!this.isCurrent(e, m, k) || closed) {
      if (closed || nack !== 0 || !this.settlesLate(e, m, k)) {
        this.world.tracer?.brokerDelivery('ignore ack', m, k, 'not the latest delivery');
        return;
      }
      this.world.tracer?.brokerDelivery('late ack', m, k, 'an older delivery’s ack settles the message');
    }
    // A message in the dead-letter queue (kept there for a redrive) is no longer the consumer's to settle.
    if (this.world.entries.state[e] === EntryState.deadLettered) {
      this.world.tracer?.brokerDelivery('ignore ack', m, k, 'dead-lettered');
      return;
    }
    if (nack === NACK) {
      this.world.tracer?.brokerDelivery('nack', m, k);
      this.queue.deliveryFailed(e);
      this.requeue(e, true, true);
      return;
    }
    this.world.tracer?.brokerDelivery('acked', m, k);
    if (config.mode.ack === 'before-effect' && messages.effects[m] === 0) messages.forgot[s] = Forgot.earlyAck;
    this.queue.remove(e);
    // Where prefetch counts unacked deliveries, the ack freed a slot.
    if (config.broker.prefetchCountsUnacked) this.queue.pump();
  }

  /** Whether old delivery `k`'s ack settles copy `e` (lateAcks, no closed channel, unsettled, `k` since stored). */
  private settlesLate(e: number, m: number, k: number): boolean {
    const { entries, config } = this.world;
    const state = entries.state[e];
    const unsettled = state === EntryState.queued || state === EntryState.inFlight || state === EntryState.backingOff;
    const accepts = config.broker.lateAcks === 'accepted' && config.broker.visibilityTimeoutScope === 'delivery';
    const ofThisCopy = k >= entries.firstDelivery[e]! && k < entries.lastDelivery[e]!;
    return accepts && entries.message[e] === m && unsettled && ofThisCopy;
  }

  /** A lease extension arrived: the latest delivery, still out, stays invisible for longer. */
  private onExtension(e: number, m: number, k: number): void {
    if (!this.isCurrent(e, m, k) || this.world.entries.state[e] !== EntryState.inFlight) {
      this.world.tracer?.brokerDelivery('ignore extension', m, k, 'not out: acked, or timed out already');
      return;
    }
    this.world.tracer?.brokerDelivery('extended', m, k);
    this.leases!.extend(e, m, k);
  }

  private onVisibilityExpire(e: number, m: number, k: number): void {
    const entries = this.world.entries;
    if (!this.isCurrent(e, m, k) || entries.state[e] !== EntryState.inFlight) return;
    // An extension moved the deadline: a later timer is the current one.
    if (this.leases !== undefined && !this.leases.due(e)) return;
    this.world.tracer?.brokerDelivery('visibility timeout', m, k);
    if (this.world.config.broker.visibilityTimeoutScope === 'channel') {
      this.closeChannel(entries.consumer[e]!);
      return;
    }
    this.noteTimeout(e);
    this.queue.deliveryFailed(e);
    this.requeue(e, true, true);
  }

  /** A delivery that timed out: a duplicate if its effect already ran, a late ack; otherwise a breach to come. */
  private noteTimeout(e: number): void {
    const { entries, messages } = this.world;
    const s = messages.slot(entries.message[e]!);
    const k = entries.lastDelivery[e]!;
    if (messages.lastEffectDelivery[s] === k) this.ledger.noteBreak(s, k, Dup.ackLate);
    // A delivery its consumer crashed with can no longer run its effect: its timeout duplicates nothing.
    else if (this.consumers.incarnation(entries.consumer[e]!) === entries.channel[e])
      this.ledger.noteExpiry(s, k, this.expiryCause(e));
  }

  /** Why delivery `e` timed out before its effect: its consumer stalled, an extension went missing, or it was slow. */
  private expiryCause(e: number): number {
    if (this.consumers.stalled(this.world.entries.consumer[e]!)) return Dup.consumerStall;
    if (this.leases?.missedOne(e) === true) return Dup.leaseExtensionLost;
    return Dup.visibilityTimeout;
  }

  /**
   * RabbitMQ's consumer_timeout: the broker closes the consumer's channel and requeues every delivery
   * it had not acked, the ones still being processed included; the consumer opens a new channel.
   */
  private closeChannel(c: number): void {
    const unacked = this.unackedOf(c);
    this.world.tracer?.brokerConsumer('close channel', c, `${unacked.length} unacked requeued`);
    for (const e of unacked) {
      this.noteTimeout(e);
      this.queue.deliveryFailed(e);
      this.requeue(e, false);
    }
    this.consumers.channelClosed(c);
    // The consumer's new channel takes a round trip to open: the other consumers get the requeued deliveries first.
    this.queue.pump();
    this.consumers.channelOpened(c);
    this.queue.pump();
  }

  /** The copies in flight to consumer `c`, or to any consumer with `c` = -1. */
  private unackedOf(c: number): number[] {
    const entries = this.world.entries;
    const unacked: number[] = [];
    for (let e = 0; e < entries.message.length; e++) {
      if (entries.state[e] === EntryState.inFlight && (c < 0 || entries.consumer[e] === c)) unacked.push(e);
    }
    return unacked;
  }

  /** Consumer `c` crashed: its connection is gone (the broker may requeue its unacked deliveries). */
  consumerLost(c: number): void {
    if (!this.world.config.broker.requeueOnDisconnect || !this.queue.isUp) return;
    this.requeueUnacked(c, Dup.consumerDisconnect, true);
    this.queue.pump();
  }

  /** The broker is back: a durable one requeues every delivery that was not acked before the crash. */
  brokerRestarted(): void {
    this.requeueUnacked(-1, Dup.brokerRestart, false);
  }

  /** Puts back in line what consumer `c` (or, with -1, anyone) had not acked when the connection ended. */
  private requeueUnacked(c: number, cause: number, traced: boolean): void {
    const { entries, messages } = this.world;
    for (const e of this.unackedOf(c)) {
      const m = entries.message[e]!;
      const s = messages.slot(m);
      const k = entries.lastDelivery[e]!;
      if (traced) this.world.tracer?.brokerDelivery('requeue', m, k, 'consumer gone');
      if (messages.lastEffectDelivery[s] === k) this.ledger.noteBreak(s, k, cause);
      else this.ledger.noteExpiry(s, k, cause);
      this.requeue(e, false);
    }
  }

  /**
   * Puts a stored copy back in line after a delivery that did not end in an ack, or takes it out
   * when it reached maxDeliveries (dead-letter queue, or dropped without one). With `backoff`, it
   * waits broker.redeliveryBackoff first (nacks and expiries; not restarts or disconnects).
   */
  private requeue(e: number, pump = true, backoff = false): void {
    const { entries, messages, config, kernel } = this.world;
    const limit = config.broker.maxDeliveries;
    const m = entries.message[e]!;
    if (limit > 0 && entries.deliveries[e]! >= limit) {
      const s = messages.slot(m);
      if (config.broker.deadLetter) messages.deadLettered[s] = 1;
      else messages.forgot[s] = Forgot.deliveryLimit;
      this.world.tracer?.brokerMessage(
        config.broker.deadLetter ? 'dead-letter' : 'drop',
        m,
        `after ${entries.deliveries[e]!} deliveries${config.broker.deadLetter ? '' : ' (delivery limit, no DLQ)'}`,
      );
      // A redrive still to come keeps the copy, in the dead-letter queue; otherwise it leaves the run here.
      if (config.broker.deadLetter && kernel.now < this.lastRedriveMs) this.queue.holdDeadLettered(e);
      else this.queue.remove(e);
      if (pump) this.queue.pump();
      return;
    }
    // remove() frees the consumer's slot on the way out above; a delivery that goes back in line does here.
    this.queue.leaveFlight(e);
    const { minMs, maxMs } = config.broker.redeliveryBackoff;
    if (backoff && minMs > 0) {
      const delay = Math.min(maxMs, minMs * 2 ** Math.max(0, entries.deliveries[e]! - 1));
      const token = this.queue.newToken();
      entries.state[e] = EntryState.backingOff;
      entries.queueToken[e] = token;
      kernel.after(delay, Ev.redeliverReady, e, m, token);
      // The slot the delivery held may be free now (prefetchCountsUnacked).
      if (pump) this.queue.pump();
      return;
    }
    this.queue.enqueue(e);
    if (pump) this.queue.pump();
  }

  private onRedeliverReady(e: number, m: number, token: number): void {
    const entries = this.world.entries;
    if (entries.message[e] !== m || entries.state[e] !== EntryState.backingOff || entries.queueToken[e] !== token)
      return;
    this.queue.enqueue(e);
    this.queue.pump();
  }

  /**
   * faults: dlq-redrive: every copy in the dead-letter queue goes back in line as a new message (its delivery count
   * from zero, as SQS's move task resets the receive count); one whose effect ran will run again (cause redrive).
   */
  private redrive(): void {
    const { entries, messages, faults, tracer, counters, kernel } = this.world;
    faults.dlqRedrives++;
    let moved = 0;
    for (let e = 0; e < entries.state.length; e++) {
      if (entries.state[e] !== EntryState.deadLettered) continue;
      const m = entries.message[e]!;
      const s = messages.slot(m);
      messages.deadLettered[s] = 0;
      // Its effect ran, or a delivery still being processed may run it: the redriven copy runs it again.
      if (messages.effects[m]! > 0 || messages.processing[s]! > 0) messages.breakCause[s] = Dup.redrive;
      this.world.order?.noteRedrive(m);
      entries.deliveries[e] = 0;
      // A new message: an ack or nack of a delivery before the dead-letter queue no longer settles it.
      entries.lastDelivery[e] = -1;
      entries.redriven[e] = 1;
      tracer?.brokerMessage('redrive', m, messages.effects[m]! > 0 ? 'its effect ran: it will run again' : undefined);
      this.queue.enqueue(e);
      moved++;
    }
    tracer?.broker('redrive', `${moved} back from the dead-letter queue`);
    this.queue.pump();
    // Every message was resolved before the last redrive, which kept the run going (ledger.ts).
    if (counters.resolved === messages.count && kernel.now >= this.lastRedriveMs) kernel.stop();
  }
}
