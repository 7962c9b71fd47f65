// A queue broker in the style of SQS, RabbitMQ, Pub/Sub and Redis Streams: stores published messages,
// hands them to consumers (pushed, or when they ask), hides a delivered message for the visibility
// timeout, expires it after `retentionMs`, and may crash. This file holds the stored queue, dispatch
// and crashes; queue-redelivery.ts what becomes of a delivered copy, pull-claims.ts pull delivery.
import { faultDuration, visibilityTimeoutOf } from './config.js';
import type { StateHasher } from '../sim/state-hash.js';
import { packDelivery, type Broker, type ConsumerPool, type QueueSide } from './broker.js';
import { IntRing } from './int-ring.js';
import type { Leases } from './leases.js';
import type { Ledger } from './ledger.js';
import type { Network } from './network.js';
import { PublishEndpoint } from './publish-endpoint.js';
import { PullClaims, type ClaimsQueue } from './pull-claims.js';
import { MessageGroups } from './message-groups.js';
import { Redelivery, type RedeliveryQueue } from './queue-redelivery.js';
import { EntryState } from './entry-table.js';
import { Forgot, Hint } from './state.js';
import { Ev, type World } from './world.js';

/** The queue broker. */
export class QueueBroker extends PublishEndpoint implements Broker, QueueSide, ClaimsQueue, RedeliveryQueue {
  /** Copies in line for a delivery, [entry, queue token]; a stale token means the copy moved on. */
  readonly ready = new IntRing(2, 1024);
  private readonly pull: boolean;
  private readonly claims: PullClaims;
  private readonly redelivery: Redelivery;
  private nextToken = 1;
  private downUntilMs = -Infinity;
  private consumers!: ConsumerPool;
  /** broker.messageGroups: which copy holds each group; undefined without groups. */
  private readonly groups: MessageGroups | undefined;
  /** True while pump runs (a group freed inside it is served by the same pass). */
  private pumping = false;
  /** Delayed messages wait in the broker until due (producer.delayHeldBy: broker). */
  private readonly delayedByBroker: boolean;

  constructor(world: World, network: Network, ledger: Ledger) {
    super(world, network, ledger);
    this.pull = world.config.broker.delivery === 'pull';
    this.claims = new PullClaims(world, this);
    this.redelivery = new Redelivery(world, ledger, this);
    this.delayedByBroker = world.delays !== undefined && world.config.producer.delayHeldBy === 'broker';
    if (world.config.broker.messageGroups && world.keys !== undefined)
      this.groups = new MessageGroups(world, world.keys);
    const kernel = world.kernel;
    kernel.on(Ev.retentionExpire, (e, m, ordinal) => this.onRetentionExpire(e, m, ordinal));
    kernel.on(Ev.brokerCrashFault, (fault) => this.crash(this.durationOf(fault)));
    kernel.on(Ev.brokerRestart, () => this.restart());
  }

  /** Connects the consumer group (the two point at each other). */
  attach(consumers: ConsumerPool): void {
    this.consumers = consumers;
    this.claims.attach(consumers);
    this.redelivery.attach(consumers);
  }

  get leases(): Leases | undefined {
    return this.redelivery.leases;
  }

  get isUp(): boolean {
    return this.up;
  }

  hashState(h: StateHasher): void {
    const claims = this.claims;
    // The fingerprint's order: it must not change.
    for (const value of [
      this.nextToken,
      this.downUntilMs,
      claims.tickToken,
      claims.tickAtMs,
      ...this.hashPublishState(),
    ])
      h.num(value);
    this.ready.hashState(h);
    claims.claimable.hashState(h);
    this.leases?.hashState(h);
    this.groups?.hashState(h);
  }

  start(): void {
    for (const fault of this.world.config.faults) {
      if (fault.type === 'broker-crash')
        this.world.kernel.at(fault.atMs, Ev.brokerCrashFault, this.world.config.faults.indexOf(fault));
      if (fault.type === 'dlq-redrive') this.world.kernel.at(fault.atMs, Ev.dlqRedrive);
    }
  }

  private durationOf(fault: number): number {
    return faultDuration(this.world.config.faults[fault]!);
  }

  protected store(m: number, s: number, attempt: number): void {
    const { entries, counters, kernel, config } = this.world;
    const ordinal = this.noteStored(m, s, attempt);
    const e = entries.allocate(m, ordinal, kernel.now);
    if (entries.stored > counters.maxQueueDepth) counters.maxQueueDepth = entries.stored;
    if (config.broker.retentionMs > 0) kernel.after(config.broker.retentionMs, Ev.retentionExpire, e, m, ordinal);
    // A delayed message the broker holds (SQS DelaySeconds) goes in line when due, from when it was stored.
    const delay = this.delayedByBroker ? this.world.delays!.delayOf(m) : 0;
    if (delay <= 0) return this.enqueue(e);
    const token = this.newToken();
    entries.state[e] = EntryState.backingOff;
    entries.queueToken[e] = token;
    kernel.after(delay, Ev.redeliverReady, e, m, token);
  }

  newToken(): number {
    return this.nextToken++;
  }

  enqueue(e: number): void {
    const entries = this.world.entries;
    const token = this.nextToken++;
    entries.state[e] = EntryState.queued;
    entries.queueToken[e] = token;
    // Pulled, a copy delivered before waits to be claimed by a consumer that asks; a new one wakes a waiting reader.
    if (this.pull && entries.deliveries[e]! > 0) this.claims.push(e, token);
    else this.ready.push(e, token);
  }

  headIsCurrent(ring: IntRing): boolean {
    const entries = this.world.entries;
    const e = ring.peek(0);
    return entries.state[e] === EntryState.queued && entries.queueToken[e] === ring.peek(1);
  }

  override pump(): void {
    this.pumping = true;
    try {
      this.serve();
    } finally {
      this.pumping = false;
    }
  }

  private serve(): void {
    while (this.up && this.ready.length > 0) {
      if (!this.headIsCurrent(this.ready)) {
        this.ready.shift();
        continue;
      }
      // A copy whose group another copy holds waits for the group (message groups).
      if (this.groups !== undefined && !this.groups.mayDeliver(this.ready.peek(0))) {
        this.groups.park(this.ready.peek(0), this.ready.peek(1));
        this.ready.shift();
        continue;
      }
      const c = this.consumers.available();
      if (c < 0) return;
      if (this.pull) {
        // A waiting reader gets every new message there is, up to its prefetch, in one answer.
        this.consumers.answered(c);
        this.claims.answer(this.ready, c);
        continue;
      }
      const e = this.ready.peek(0);
      this.ready.shift();
      this.dispatch(e, c);
    }
  }

  poll(c: number): void {
    this.claims.poll(c);
  }

  dispatch(e: number, c: number): void {
    const { messages, entries, counters, kernel, config } = this.world;
    const m = entries.message[e]!;
    const s = messages.slot(m);
    const k = messages.deliveryCount[s]!;
    messages.deliveryCount[s] = k + 1;
    counters.deliveries++;
    if (entries.deliveries[e]! > 0 || entries.redriven[e] === 1) {
      counters.redeliveries++;
      if (messages.processing[s]! > 0) counters.visibilityTimeoutBreaches++;
    }
    entries.deliveries[e]!++;
    if (entries.lastDelivery[e] === -1) entries.firstDelivery[e] = k;
    entries.lastDelivery[e] = k;
    entries.consumer[e] = c;
    entries.state[e] = EntryState.inFlight;
    this.groups?.delivered(e);
    this.consumers.reserve(c);
    this.world.tracer?.deliver(
      entries.deliveries[e]! > 1 || entries.redriven[e] === 1 ? 'redeliver' : 'deliver',
      m,
      k,
      c,
      config.mode.ack === 'auto' ? 'auto-ack: forgotten' : undefined,
    );
    const packed = packDelivery(entries.ordinal[e]!, c);
    const incarnation = this.consumers.incarnation(c);
    entries.channel[e] = incarnation;
    const copies = this.network.deliver(e, m, k, packed, incarnation);
    for (let i = 0; i < copies; i++) this.ledger.hold(m, s);
    if (copies === 2) messages.duplicatedDelivery[s] = k;
    if (copies === 0) this.ledger.deliveryHint(s, Hint.deliverLost);
    if (config.mode.ack === 'auto') {
      messages.forgot[s] = Forgot.autoAck;
      this.remove(e);
    } else {
      const timeout = visibilityTimeoutOf(config.broker, k);
      this.leases?.delivered(e, kernel.now + timeout);
      kernel.after(timeout, Ev.visibilityExpire, e, m, k);
    }
  }

  consumerLost(c: number): void {
    this.redelivery.consumerLost(c);
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
  leaveFlight(e: number): void {
    const entries = this.world.entries;
    if (entries.state[e] === EntryState.inFlight) this.consumers.acked(entries.consumer[e]!);
  }

  remove(e: number): void {
    const { entries, messages } = this.world;
    this.leaveFlight(e);
    this.leaveGroup(e);
    const m = entries.message[e]!;
    entries.release(e);
    this.ledger.release(m, messages.slot(m));
  }

  /** Copy `e` stays in the dead-letter queue (a redrive is to come): no longer out, nor holding its group. */
  holdDeadLettered(e: number): void {
    this.leaveFlight(e);
    this.world.entries.state[e] = EntryState.deadLettered;
    this.leaveGroup(e);
  }

  /** Copy `e`'s delivery failed and it goes back in line: its group stays held by it (message groups). */
  deliveryFailed(e: number): void {
    this.groups?.failed(e);
  }

  /** Copy `e` no longer holds its group: the group's next waiting copy goes back in line. */
  private leaveGroup(e: number): void {
    const next = this.groups?.release(e) ?? -1;
    if (next < 0) return;
    this.enqueue(next);
    if (!this.pumping) this.pump();
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
    this.claims.claimable.clear();
    this.groups?.clear();
    for (let e = 0; e < entries.message.length; e++) {
      const m = entries.message[e]!;
      if (m < 0) continue;
      messages.forgot[messages.slot(m)] = Forgot.brokerCrash;
      this.remove(e);
    }
  }

  private restart(): void {
    if (this.up || this.world.kernel.now < this.downUntilMs) return;
    this.up = true;
    this.world.tracer?.broker('restart');
    this.redelivery.brokerRestarted();
    // JetStream's waiting pulls take its redelivery queue first; Redis's readers take new entries.
    this.claims.serveWaiting();
    this.pump();
    // Pulled copies back in line wait for the next consumer that asks (at once: for one that waits).
    this.claims.schedule();
  }
}
