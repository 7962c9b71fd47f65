// The queue consumers: each holds at most `prefetch` deliveries, processes `concurrency` at a time (processing.ts),
// acks by the mode (on receipt, or after the effect), and may crash (its deliveries abandoned) or have its channel
// closed (RabbitMQ's consumer_timeout: work goes on, but cannot ack). The parts: consumer-channels.ts (channels,
// lives, prefetch), consumer-work.ts (buffers, slots), pull-asking.ts, lease-keeper.ts, held-deliveries.ts.
import { faultDuration, longestTimeout } from './config.js';
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import { Dup } from './causes.js';
import { NACK, packedConsumer, packedOrdinal, type ConsumerPool, type QueueSide } from './broker.js';
import { countOnes } from './columns.js';
import { ConsumerChannels } from './consumer-channels.js';
import { ConsumerWork } from './consumer-work.js';
import type { DedupeStore } from './dedupe-store.js';
import { HeldDeliveries } from './held-deliveries.js';
import { LeaseKeeper } from './lease-keeper.js';
import type { Ledger } from './ledger.js';
import type { Network } from './network.js';
import { Delivery, DeliveryProcessing, Processed } from './processing.js';
import { PullAsking } from './pull-asking.js';
import { Hint } from './state.js';
import { Ev, type World } from './world.js';

/** The consumers and their sink-side effect. */
export class ConsumerGroup implements ConsumerPool, HashesState {
  private readonly pipeline: DeliveryProcessing;
  /** The one record the pipeline processes (reused). */
  private readonly delivery = new Delivery();
  /** The record of a delivery received or taken from its buffer, until it starts (reused). */
  private readonly incoming = new Delivery();
  /** Per consumer: 1 while it runs (the pipeline's). */
  private readonly up: Uint8Array;
  private readonly channels: ConsumerChannels;
  private readonly work: ConsumerWork;
  private readonly asking: PullAsking;
  private readonly leases: LeaseKeeper | undefined;
  /** Deliveries held until their message is due (producer.delayHeldBy: consumer). */
  private readonly held: HeldDeliveries | undefined;
  private readonly pull: boolean;
  private broker!: QueueSide;

  constructor(
    private readonly world: World,
    private readonly network: Network,
    private readonly ledger: Ledger,
    dedupe: DedupeStore | undefined,
  ) {
    const { consumers } = world.config;
    this.pipeline = new DeliveryProcessing(world, ledger, dedupe, {
      // Exploration: processing may outlast the whole visibility timeout, which started before the delivery arrived.
      stallMs: world.config.mode.ack === 'after-effect' ? longestTimeout(world.config.broker) : undefined,
      stallDetail: 'outlasts the visibility timeout',
      cachePoison: true,
      poisonDetail: 'poison',
      checksBeforeProcessing: true,
      hintsCrashAfterEffect: true,
      settle: (d, outcome) => this.settle(d, outcome),
    });
    this.up = this.pipeline.up;
    this.channels = new ConsumerChannels(world, this.up);
    this.work = new ConsumerWork(consumers.count, consumers.concurrency);
    this.asking = new PullAsking(world, this.channels, this.up);
    if (consumers.leaseExtension.intervalMs > 0)
      this.leases = new LeaseKeeper(world, network, this.channels, this.work, this.pipeline);
    if (world.delays !== undefined && world.config.producer.delayHeldBy === 'consumer')
      this.held = new HeldDeliveries(world, this.channels, (d) => this.take(d), new Delivery());
    this.pull = world.config.broker.delivery === 'pull';
    const kernel = world.kernel;
    kernel.on(Ev.deliverArrive, (e, m, k, packed, channel, copy) => this.onDeliver(e, m, k, packed, channel, copy));
    kernel.on(Ev.deliverDropped, (_e, _m, _k, packed, channel) => this.onDropped(packedConsumer(packed), channel));
    kernel.on(Ev.processingDone, (c, slot, life) => this.onProcessingDone(c, slot, life));
    kernel.on(Ev.consumerCrashFault, (c, fault) => this.crash(c, faultDuration(world.config.faults[fault]!), true));
    kernel.on(Ev.consumerRestart, (c) => this.restart(c));
  }

  /** Connects the broker (the two point at each other). */
  attach(broker: QueueSide): void {
    this.broker = broker;
    this.asking.attach(broker);
    this.leases?.attach(broker);
  }

  hashState(h: StateHasher): void {
    const { channels, asking, pipeline } = this;
    h.int(channels.nextConsumer);
    h.num(asking.nextWaitingOrder);
    // The fingerprint's order: it must not change.
    const columns = [this.up, ...channels.hashed, pipeline.downUntilMs, this.work.busy, pipeline.poisonCache];
    for (const column of [...columns, ...asking.hashed]) h.column(column);
    this.work.hashState(h);
    if (pipeline.frozenUntilMs.length > 0) h.column(pipeline.frozenUntilMs);
    this.held?.hashState(h);
  }

  /** Schedules the consumers' scheduled crashes; pulling consumers ask for their first batch. */
  /** How many consumers are up (for the time series). */
  upCount(): number {
    return countOnes(this.up);
  }

  start(): void {
    const faults = this.world.config.faults;
    for (const fault of faults) {
      if (fault.type === 'consumer-crash')
        this.world.kernel.at(fault.atMs, Ev.consumerCrashFault, fault.consumer, faults.indexOf(fault));
    }
    for (let c = 0; c < this.world.config.consumers.count; c++) this.asking.askIfIdle(c);
  }

  available(): number {
    return this.pull ? this.asking.longestWaiting() : this.channels.withRoom();
  }

  reserve(c: number): void {
    this.channels.reserve(c);
  }

  startWaiting(c: number): void {
    this.asking.startWaiting(c);
  }

  answered(c: number): void {
    this.asking.answered(c);
  }

  nextAskMs(c: number): number {
    return this.asking.nextAskMs(c);
  }

  incarnation(c: number): number {
    return this.channels.incarnations[c]!;
  }

  channelClosed(c: number): void {
    const messages = this.world.messages;
    this.world.tracer?.consumer('new channel', c);
    // What was on the old channel is the broker's again; work in progress goes on but cannot ack. Until
    // channelOpened, the consumer takes no delivery: the broker hands the requeued ones to the others.
    this.channels.close(c);
    // Deliveries acked on receipt are the consumer's own: it keeps them and runs them.
    if (this.world.config.mode.ack === 'before-effect') return;
    for (let m = this.work.dropBuffered(c); m >= 0; m = this.work.dropBuffered(c))
      this.ledger.release(m, messages.slot(m));
    this.held?.drop(c, (m) => this.ledger.release(m, messages.slot(m)));
  }

  acked(c: number): void {
    this.channels.acked(c);
  }

  channelOpened(c: number): void {
    this.channels.open(c);
  }

  stalled(c: number): boolean {
    return this.pipeline.frozen(c);
  }

  private onDropped(c: number, incarnation: number): void {
    // The consumer's receive came back empty: its slot is free again.
    if (!this.channels.isOpen(c, incarnation) || !this.channels.release(c)) return;
    this.broker.pump();
    this.asking.askIfIdle(c);
  }

  private onDeliver(e: number, m: number, k: number, packed: number, incarnation: number, copy: number): void {
    const { messages, faults, config } = this.world;
    const c = packedConsumer(packed);
    const ordinal = packedOrdinal(packed);
    const s = messages.slot(m);
    if (this.up[c] === 0 || !this.channels.isOpen(c, incarnation)) {
      // Without channel closes, a delivery for an earlier incarnation met a consumer that crashed.
      if (this.up[c] === 0 || config.broker.visibilityTimeoutScope === 'delivery') faults.droppedAtDownConsumer++;
      this.world.tracer?.atConsumer('consumer', 'drop', c, m, k, this.up[c] === 0 ? 'consumer down' : 'channel closed');
      this.ledger.deliveryHint(s, Hint.deliverLost);
      this.ledger.release(m, s);
      return;
    }
    if (copy === 1) this.channels.receivedDuplicate(c);
    this.world.tracer?.atConsumer('consumer', 'receive', c, m, k);
    const d = this.incoming;
    d.consumer = c;
    d.entry = e;
    d.message = m;
    d.slot = s;
    d.delivery = k;
    d.ordinal = ordinal;
    d.copy = copy;
    d.channel = incarnation;
    if (config.mode.ack === 'before-effect') this.sendAck(d, 0);
    if (this.held?.hold(d) !== true) this.take(d);
  }

  /** Consumer `d.consumer` takes delivery `d` (received, or come due): into a processing slot, else its buffer. */
  private take(d: Delivery): void {
    this.leases?.start(d, true);
    const slot = this.work.free(d.consumer);
    if (slot < 0) this.work.buffer(d);
    else this.begin(slot, d);
  }

  /** Starts processing delivery `d` in processing slot `slot` of its consumer. */
  private begin(slot: number, d: Delivery): void {
    const { messages, kernel } = this.world;
    const { consumer: c, message: m, delivery: k } = d;
    if (this.pipeline.skipsProcessed(c, m, d.slot, k)) {
      // Skipped without processing; the caller goes on with the next buffered delivery.
      this.finish(d, 0);
      this.broker.pump();
      this.asking.askIfIdle(c, d);
      return;
    }
    this.work.occupy(slot, d);
    this.leases?.start(d, false);
    messages.processing[d.slot]!++;
    kernel.after(this.pipeline.durationMs(c, m, k, d.copy), Ev.processingDone, c, slot, this.channels.lives[c]!);
  }

  private onProcessingDone(c: number, slot: number, life: number): void {
    if (life !== this.channels.lives[c] || this.work.busy[slot] === 0) return;
    const { messages, config, kernel } = this.world;
    // A stalled consumer finishes what fell due during the stall when it ends.
    if (this.pipeline.frozen(c)) return kernel.at(this.pipeline.frozenUntilMs[c]!, Ev.processingDone, c, slot, life);
    const d = this.delivery;
    this.work.vacate(slot, d);
    d.consumer = c;
    d.slot = messages.slot(d.message);
    messages.processing[d.slot]!--;
    d.ackPending = config.mode.ack === 'after-effect' && this.channels.isOpen(c, d.channel);
    const outcome = this.pipeline.process(d);
    if (outcome !== Processed.pending) this.settle(d, outcome);
  }

  /** Processing of `d` ended with `outcome` (a `Processed` value): the consumer crashed, or it acks or nacks. */
  private settle(d: Delivery, outcome: number): void {
    if (outcome === Processed.crashed) this.crash(d.consumer, this.world.config.consumers.crash.restartMs, false);
    else this.complete(d, outcome === Processed.failed ? NACK : 0);
  }

  /** Ends a delivery normally: acks (or nacks) by the mode, frees its slot, starts the next one. */
  private complete(d: Delivery, nack: number): void {
    const c = d.consumer;
    this.finish(d, nack);
    this.next(c);
    this.broker.pump();
    this.asking.askIfIdle(c, d);
  }

  /** Acks (or nacks) by the mode and frees the delivery's slot; a closed channel's delivery has nothing left to ack. */
  private finish(d: Delivery, nack: number): void {
    const c = d.consumer;
    const open = this.channels.isOpen(c, d.channel);
    if (open && this.world.config.mode.ack === 'after-effect') this.sendAck(d, nack);
    this.ledger.release(d.message, d.slot);
    if (open) this.channels.release(c);
  }

  private sendAck(d: Delivery, nack: number): void {
    const { consumer: c, message: m, delivery: k } = d;
    this.world.tracer?.ack(nack === 0 ? 'ack' : 'nack', m, k, c);
    const copies = this.network.ack(d.entry, m, k, d.copy, nack);
    if (copies > 0) this.asking.ackSent(c, this.network.lastArrivalMs);
    if (copies === 0 && nack === 0) this.ledger.noteBreak(d.slot, k, Dup.ackLost);
  }

  /** Starts consumer `c`'s buffered deliveries while it has idle slots. */
  private next(c: number): void {
    const d = this.incoming;
    for (let slot = this.work.free(c); slot >= 0 && this.work.unbuffer(c, d); slot = this.work.free(c)) {
      d.slot = this.world.messages.slot(d.message);
      this.begin(slot, d);
    }
  }

  private crash(c: number, durationMs: number, scheduled: boolean): void {
    if (!this.pipeline.crash(c, durationMs, scheduled)) return;
    const messages = this.world.messages;
    this.asking.answered(c);
    this.channels.crashed(c);
    const base = c * this.work.concurrency;
    for (let slot = base; slot < base + this.work.concurrency; slot++) {
      const m = this.work.abandon(slot);
      if (m < 0) continue;
      const s = messages.slot(m);
      messages.processing[s]!--;
      this.pipeline.abandon(m, s);
    }
    for (let m = this.work.dropBuffered(c); m >= 0; m = this.work.dropBuffered(c))
      this.pipeline.abandon(m, messages.slot(m));
    this.held?.drop(c, (m) => this.pipeline.abandon(m, messages.slot(m)));
    this.broker.consumerLost(c);
  }

  private restart(c: number): void {
    if (!this.pipeline.restarts(c)) return;
    this.broker.pump();
    this.asking.askIfIdle(c);
  }
}
