// A queue broker in the style of SQS, RabbitMQ, Pub/Sub and Redis Streams: stores published messages,
// hands them to consumers (pushed, or when they ask), hides a delivered message for the visibility
// timeout, redelivers it unless it is acked, dead-letters it after `maxDeliveries`, expires it after
// `retentionMs`, and may crash.
import type { StateHasher } from '../sim/state-hash.js';
import { Dup } from './causes.js';
import { NACK, packDelivery, type Broker, type ConsumerPool, type QueueSide } from './broker.js';
import { IntRing } from './int-ring.js';
import type { Ledger } from './ledger.js';
import type { Network } from './network.js';
import { PublishEndpoint } from './publish-endpoint.js';
import { EntryState, Forgot, Hint } from './state.js';
import { Ev, type World } from './world.js';

/** The queue broker. */
export class QueueBroker extends PublishEndpoint implements Broker, QueueSide {
  private readonly ready = new IntRing(2, 1024);
  /** Pull delivery: copies delivered before and back in line, which an asking consumer takes first (XAUTOCLAIM). */
  private readonly claimable = new IntRing(2, 64);
  private readonly pull: boolean;
  /** Pull delivery: the pending claim tick (a waiting consumer asks again), by token and time. */
  private claimTickToken = 0;
  private claimTickAtMs = Infinity;
  private nextToken = 1;
  private downUntilMs = -Infinity;
  private consumers!: ConsumerPool;

  constructor(world: World, network: Network, ledger: Ledger) {
    super(world, network, ledger);
    this.pull = world.config.broker.delivery === 'pull';
    const kernel = world.kernel;
    kernel.on(Ev.claimTick, (c, token) => this.onClaimTick(c, token));
    kernel.on(Ev.ackArrive, (e, m, k, nack) => this.onAck(e, m, k, nack));
    kernel.on(Ev.visibilityExpire, (e, m, k) => this.onVisibilityExpire(e, m, k));
    kernel.on(Ev.retentionExpire, (e, m, ordinal) => this.onRetentionExpire(e, m, ordinal));
    kernel.on(Ev.brokerCrashFault, (fault) => this.crash(this.durationOf(fault)));
    kernel.on(Ev.brokerRestart, () => this.restart());
    kernel.on(Ev.redeliverReady, (e, m, token) => this.onRedeliverReady(e, m, token));
  }

  /** Connects the consumer group (the two point at each other). */
  attach(consumers: ConsumerPool): void {
    this.consumers = consumers;
  }

  hashState(h: StateHasher): void {
    for (const value of [
      this.nextToken,
      this.downUntilMs,
      this.claimTickToken,
      this.claimTickAtMs,
      ...this.hashPublishState(),
    ])
      h.num(value);
    this.ready.hashState(h);
    this.claimable.hashState(h);
  }

  start(): void {
    for (const fault of this.world.config.faults) {
      if (fault.type === 'broker-crash')
        this.world.kernel.at(fault.atMs, Ev.brokerCrashFault, this.world.config.faults.indexOf(fault));
    }
  }

  private durationOf(fault: number): number {
    return this.world.config.faults[fault]!.durationMs;
  }

  protected store(m: number, s: number, attempt: number): void {
    const { entries, counters, kernel, config } = this.world;
    const ordinal = this.noteStored(m, s, attempt);
    const e = entries.allocate(m, ordinal, kernel.now);
    if (entries.stored > counters.maxQueueDepth) counters.maxQueueDepth = entries.stored;
    if (config.broker.retentionMs > 0) kernel.after(config.broker.retentionMs, Ev.retentionExpire, e, m, ordinal);
    this.enqueue(e);
  }

  private enqueue(e: number): void {
    const entries = this.world.entries;
    const token = this.nextToken++;
    entries.state[e] = EntryState.queued;
    entries.queueToken[e] = token;
    // Pulled, a copy delivered before waits to be claimed by a consumer that asks; a new one wakes a waiting reader.
    if (this.pull && entries.deliveries[e]! > 0) {
      this.claimable.push(e, token);
      this.scheduleClaim();
    } else this.ready.push(e, token);
  }

  /** Whether the copy at the head of `ring` is still the one queued there. */
  private headIsCurrent(ring: IntRing): boolean {
    const entries = this.world.entries;
    const e = ring.peek(0);
    return entries.state[e] === EntryState.queued && entries.queueToken[e] === ring.peek(1);
  }

  override pump(): void {
    while (this.up && this.ready.length > 0) {
      if (!this.headIsCurrent(this.ready)) {
        this.ready.shift();
        continue;
      }
      const c = this.consumers.available();
      if (c < 0) return;
      if (this.pull) {
        // A waiting reader gets every new message there is, up to its prefetch, in one answer.
        this.consumers.answered(c);
        this.take(this.ready, c);
        continue;
      }
      const e = this.ready.peek(0);
      this.ready.shift();
      this.dispatch(e, c);
    }
  }

  /** Pull: dispatches up to `prefetch` current copies from `ring` to consumer `c` (one answer); returns how many. */
  private take(ring: IntRing, c: number): number {
    const prefetch = this.world.config.consumers.prefetch;
    let taken = 0;
    while (taken < prefetch && ring.length > 0) {
      const current = this.headIsCurrent(ring);
      const e = ring.peek(0);
      ring.shift();
      if (!current) continue;
      this.dispatch(e, c);
      taken++;
    }
    return taken;
  }

  /**
   * Pull: consumer `c` holds nothing and asks. It claims copies back in line first (XAUTOCLAIM), and
   * only without any reads new ones (XREADGROUP COUNT prefetch); with none, it waits for the next.
   */
  poll(c: number): void {
    if (this.up && this.take(this.claimable, c) > 0) return;
    this.consumers.startWaiting(c);
    this.pump();
  }

  /**
   * Pull: a copy back in line is claimed when a waiting consumer's read times out and it asks again
   * (a new message wakes a reader; a redelivery does not). Schedules the first such ask, unless an
   * earlier one is pending (a consumer only starts waiting when nothing is claimable, so the pending
   * tick is never later than the first ask of the consumers still waiting).
   */
  private scheduleClaim(): void {
    if (!this.up || this.claimable.length === 0) return;
    let first = -1;
    let atMs = Infinity;
    for (let c = 0; c < this.world.config.consumers.count; c++) {
      const ask = this.consumers.nextAskMs(c);
      if (ask < atMs) [first, atMs] = [c, ask];
    }
    if (first < 0 || atMs >= this.claimTickAtMs) return;
    this.claimTickAtMs = atMs;
    this.world.kernel.at(atMs, Ev.claimTick, first, ++this.claimTickToken);
  }

  private onClaimTick(c: number, token: number): void {
    if (token !== this.claimTickToken) return;
    this.claimTickAtMs = Infinity;
    // The consumer's read timed out: it asks again, claiming first. Nothing to claim: it reads on.
    if (this.up && Number.isFinite(this.consumers.nextAskMs(c)) && this.take(this.claimable, c) > 0)
      this.consumers.answered(c);
    this.scheduleClaim();
  }

  private dispatch(e: number, c: number): void {
    const { messages, entries, counters, kernel, config } = this.world;
    const m = entries.message[e]!;
    const s = messages.slot(m);
    const k = messages.deliveryCount[s]!;
    messages.deliveryCount[s] = k + 1;
    counters.deliveries++;
    if (entries.deliveries[e]! > 0) {
      counters.redeliveries++;
      if (messages.processing[s]! > 0) counters.visibilityTimeoutBreaches++;
    }
    entries.deliveries[e]!++;
    entries.lastDelivery[e] = k;
    entries.consumer[e] = c;
    entries.state[e] = EntryState.inFlight;
    this.consumers.reserve(c);
    this.world.tracer?.deliver(
      entries.deliveries[e]! > 1 ? 'redeliver' : 'deliver',
      m,
      k,
      c,
      config.mode.ack === 'auto' ? 'auto-ack: forgotten' : undefined,
    );
    const packed = packDelivery(entries.ordinal[e]!, c);
    const incarnation = this.consumers.incarnation(c);
    const copies = this.network.deliver(e, m, k, packed, incarnation);
    for (let i = 0; i < copies; i++) this.ledger.hold(m, s);
    if (copies === 0) this.ledger.deliveryHint(s, Hint.deliverLost);
    if (config.mode.ack === 'auto') {
      messages.forgot[s] = Forgot.autoAck;
      this.remove(e);
    } else {
      kernel.after(config.broker.visibilityTimeoutMs, Ev.visibilityExpire, e, m, k);
    }
  }

  private isCurrent(e: number, m: number, k: number): boolean {
    const entries = this.world.entries;
    return entries.message[e] === m && entries.lastDelivery[e] === k;
  }

  private onAck(e: number, m: number, k: number, nack: number): void {
    const { messages, faults, config } = this.world;
    const s = messages.slot(m);
    if (s < 0) return;
    if (!this.up) {
      faults.droppedAtDownBroker++;
      this.world.tracer?.brokerDelivery('drop', m, k, `${nack === NACK ? 'nack' : 'ack'}: broker down`);
      if (nack !== NACK) this.ledger.noteBreak(s, k, Dup.ackLost);
      return;
    }
    // Only the latest delivery's ack counts (SQS receipt handles); an older one is ignored. A channel
    // the broker closed takes its deliveries' acks with it (RabbitMQ delivery tags).
    const closed =
      config.broker.visibilityTimeoutScope === 'channel' && this.world.entries.state[e] !== EntryState.inFlight;
    if (!this.isCurrent(e, m, k) || closed) {
      this.world.tracer?.brokerDelivery('ignore ack', m, k, 'not the latest delivery');
      return;
    }
    if (nack === NACK) {
      this.world.tracer?.brokerDelivery('nack', m, k);
      this.requeue(e, true, true);
      return;
    }
    this.world.tracer?.brokerDelivery('acked', m, k);
    if (config.mode.ack === 'before-effect' && messages.effects[m] === 0) messages.forgot[s] = Forgot.earlyAck;
    this.remove(e);
    // Where prefetch counts unacked deliveries, the ack freed a slot.
    if (config.broker.prefetchCountsUnacked) this.pump();
  }

  private onVisibilityExpire(e: number, m: number, k: number): void {
    const entries = this.world.entries;
    if (!this.isCurrent(e, m, k) || entries.state[e] !== EntryState.inFlight) return;
    this.world.tracer?.brokerDelivery('visibility timeout', m, k);
    if (this.world.config.broker.visibilityTimeoutScope === 'channel') {
      this.closeChannel(entries.consumer[e]!);
      return;
    }
    this.noteTimeout(e);
    this.requeue(e, true, true);
  }

  /** A delivery that timed out: a duplicate if its effect already ran, a late ack; otherwise a breach to come. */
  private noteTimeout(e: number): void {
    const { entries, messages } = this.world;
    const s = messages.slot(entries.message[e]!);
    const k = entries.lastDelivery[e]!;
    if (messages.lastEffectDelivery[s] === k) this.ledger.noteBreak(s, k, Dup.ackLate);
    else this.ledger.noteExpiry(s, k, Dup.visibilityTimeout);
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
      this.requeue(e, false);
    }
    this.consumers.channelClosed(c);
    // The consumer's new channel takes a round trip to open: the other consumers get the requeued deliveries first.
    this.pump();
    this.consumers.channelOpened(c);
    this.pump();
  }

  private unackedOf(c: number): number[] {
    const entries = this.world.entries;
    const unacked: number[] = [];
    for (let e = 0; e < entries.message.length; e++) {
      if (entries.state[e] === EntryState.inFlight && entries.consumer[e] === c) unacked.push(e);
    }
    return unacked;
  }

  consumerLost(c: number): void {
    const { entries, messages, config } = this.world;
    if (!config.broker.requeueOnDisconnect || !this.up) return;
    for (const e of this.unackedOf(c)) {
      const m = entries.message[e]!;
      const s = messages.slot(m);
      const k = entries.lastDelivery[e]!;
      this.world.tracer?.brokerDelivery('requeue', m, k, 'consumer gone');
      if (messages.lastEffectDelivery[s] === k) this.ledger.noteBreak(s, k, Dup.consumerDisconnect);
      else this.ledger.noteExpiry(s, k, Dup.consumerDisconnect);
      this.requeue(e, false);
    }
    this.pump();
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
      this.remove(e);
      if (pump) this.pump();
      return;
    }
    // remove() frees the consumer's slot on the way out above; a delivery that goes back in line does here.
    this.leaveFlight(e);
    const { minMs, maxMs } = config.broker.redeliveryBackoff;
    if (backoff && minMs > 0) {
      const delay = Math.min(maxMs, minMs * 2 ** Math.max(0, entries.deliveries[e]! - 1));
      const token = this.nextToken++;
      entries.state[e] = EntryState.backingOff;
      entries.queueToken[e] = token;
      kernel.after(delay, Ev.redeliverReady, e, m, token);
      // The slot the delivery held may be free now (prefetchCountsUnacked).
      if (pump) this.pump();
      return;
    }
    this.enqueue(e);
    if (pump) this.pump();
  }

  private onRedeliverReady(e: number, m: number, token: number): void {
    const entries = this.world.entries;
    if (entries.message[e] !== m || entries.state[e] !== EntryState.backingOff || entries.queueToken[e] !== token)
      return;
    this.enqueue(e);
    this.pump();
  }

  private onRetentionExpire(e: number, m: number, ordinal: number): void {
    const { entries, messages } = this.world;
    if (entries.message[e] !== m || entries.ordinal[e] !== ordinal) return;
    messages.forgot[messages.slot(m)] = Forgot.expired;
    this.world.tracer?.brokerMessage('expire', m, 'retention');
    this.remove(e);
    this.pump();
  }

  /** A delivery that stops being outstanding frees its consumer's slot, where prefetch counts unacked deliveries. */
  private leaveFlight(e: number): void {
    const entries = this.world.entries;
    if (entries.state[e] === EntryState.inFlight) this.consumers.acked(entries.consumer[e]!);
  }

  private remove(e: number): void {
    const { entries, messages } = this.world;
    this.leaveFlight(e);
    const m = entries.message[e]!;
    entries.release(e);
    this.ledger.release(m, messages.slot(m));
  }

  private crash(durationMs: number): void {
    const { entries, messages, faults, kernel, config } = this.world;
    faults.brokerCrashes++;
    this.up = false;
    this.world.tracer?.broker('crash', config.broker.durable ? 'durable' : 'not durable: loses what it holds');
    // Overlapping crashes extend the outage; only the last restart brings the broker back.
    this.downUntilMs = Math.max(this.downUntilMs, kernel.now + durationMs);
    kernel.at(this.downUntilMs, Ev.brokerRestart);
    if (config.broker.durable) return;
    this.lastWipeMs = kernel.now;
    this.ready.clear();
    this.claimable.clear();
    for (let e = 0; e < entries.message.length; e++) {
      const m = entries.message[e]!;
      if (m < 0) continue;
      messages.forgot[messages.slot(m)] = Forgot.brokerCrash;
      this.remove(e);
    }
  }

  private restart(): void {
    const { entries, messages, kernel } = this.world;
    if (this.up || kernel.now < this.downUntilMs) return;
    this.up = true;
    this.world.tracer?.broker('restart');
    // A durable broker requeues every delivery that was not acked before the crash.
    const unacked: number[] = [];
    for (let e = 0; e < entries.message.length; e++) {
      if (entries.state[e] === EntryState.inFlight) unacked.push(e);
    }
    for (const e of unacked) {
      const m = entries.message[e]!;
      const s = messages.slot(m);
      const k = entries.lastDelivery[e]!;
      if (messages.lastEffectDelivery[s] === k) this.ledger.noteBreak(s, k, Dup.brokerRestart);
      else this.ledger.noteExpiry(s, k, Dup.brokerRestart);
      this.requeue(e, false);
    }
    this.pump();
    // Pulled copies back in line wait for the next consumer that asks.
    this.scheduleClaim();
  }
}
