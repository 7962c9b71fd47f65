// The consumer group: each consumer holds at most `prefetch` deliveries, processes `concurrency` of
// them at a time, runs the effect, and acks by the mode (on receipt, or after the effect). A consumer
// may crash per delivery or on schedule; while down its deliveries are abandoned. A broker may close a
// consumer's channel (RabbitMQ's consumer_timeout): work in progress still runs, but cannot ack. With
// pull delivery a consumer asks for its next batch only once it holds nothing (Redis Streams).
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import { Dup } from './causes.js';
import { NACK, packedConsumer, packedOrdinal, type ConsumerPool, type QueueSide } from './broker.js';
import type { DedupeStore } from './dedupe-store.js';
import { IntRing } from './int-ring.js';
import type { Ledger } from './ledger.js';
import type { Network } from './network.js';
import { Delivery, DeliveryProcessing, Processed } from './processing.js';
import { Hint } from './state.js';
import { Ev, type World } from './world.js';

// Pull delivery: where a consumer's ask for its next batch stands.
const NOT_ASKING = 0;
const WAITING = 1;
const ASKING = 2;

/** The consumers and their sink-side effect. */
export class ConsumerGroup implements ConsumerPool, HashesState {
  private readonly count: number;
  private readonly prefetch: number;
  /** Prefetch frees a slot at the broker's ack, not at the end of processing (RabbitMQ). */
  private readonly countsUnacked: boolean;
  private readonly concurrency: number;
  private readonly pipeline: DeliveryProcessing;
  /** The one record the pipeline processes (reused). */
  private readonly delivery = new Delivery();
  /** The record of a delivery received or taken from the buffer, until it starts (reused). */
  private readonly incoming = new Delivery();
  private readonly up: Uint8Array;
  /** The consumer's channel: deliveries and acks belong to one; a crash or a channel close opens the next. */
  private readonly incarnations: Int32Array;
  /** The consumer's process: a crash ends work in progress, a channel close does not. */
  private readonly lives: Int32Array;
  private readonly inflight: Int32Array;
  private readonly buffers: IntRing[];
  // Processing slots, `concurrency` per consumer: what each one is working on.
  private readonly busy: Uint8Array;
  private readonly workEntry: Int32Array;
  private readonly workMessage: Int32Array;
  private readonly workDelivery: Int32Array;
  private readonly workOrdinal: Int32Array;
  private readonly workCopy: Uint8Array;
  private readonly workChannel: Int32Array;
  /** Pull delivery: a consumer asks for a batch when it holds nothing, and waits when there is none. */
  private readonly pull: boolean;
  /** Pull: 0 not asking, 1 waiting for a new message, 2 its ask is on the way (behind its acks). */
  private readonly waiting: Uint8Array;
  /** When the last ack each consumer sent reaches the broker: its next ask comes after it (one connection, in order).
   * */
  private readonly acksArriveMs: Float64Array;
  /** When each waiting consumer started waiting: it asks again every fetchWaitMs from then. */
  private readonly waitingSinceMs: Float64Array;
  /** Order of waiting (the longest-waiting reader gets the next new message, as Redis serves blocked readers). */
  private readonly waitingOrder: Float64Array;
  private nextWaitingOrder = 0;
  private nextConsumer = 0;
  private broker!: QueueSide;

  constructor(
    private readonly world: World,
    private readonly network: Network,
    private readonly ledger: Ledger,
    dedupe: DedupeStore | undefined,
  ) {
    const { consumers } = world.config;
    this.count = consumers.count;
    // Where prefetch counts unacked deliveries, auto-ack leaves none unacked: no limit (RabbitMQ no-ack consumers).
    const { prefetchCountsUnacked } = world.config.broker;
    this.prefetch = prefetchCountsUnacked && world.config.mode.ack === 'auto' ? Infinity : consumers.prefetch;
    this.countsUnacked = prefetchCountsUnacked && world.config.mode.ack !== 'auto';
    this.concurrency = consumers.concurrency;
    this.pipeline = new DeliveryProcessing(world, ledger, dedupe, {
      // Exploration: processing may outlast the whole visibility timeout, which started before the delivery arrived.
      stallMs: world.config.mode.ack === 'after-effect' ? world.config.broker.visibilityTimeoutMs : undefined,
      stallDetail: 'outlasts the visibility timeout',
      cachePoison: true,
      poisonDetail: 'poison',
      checksBeforeProcessing: true,
      hintsCrashAfterEffect: true,
    });
    this.up = this.pipeline.up;
    this.incarnations = new Int32Array(this.count);
    this.lives = new Int32Array(this.count);
    this.inflight = new Int32Array(this.count);
    this.buffers = Array.from({ length: this.count }, () => new IntRing(5, 4));
    const slots = this.count * this.concurrency;
    this.busy = new Uint8Array(slots);
    this.workEntry = new Int32Array(slots);
    this.workMessage = new Int32Array(slots);
    this.workDelivery = new Int32Array(slots);
    this.workOrdinal = new Int32Array(slots);
    this.workCopy = new Uint8Array(slots);
    this.workChannel = new Int32Array(slots);
    this.pull = world.config.broker.delivery === 'pull';
    this.waiting = new Uint8Array(this.count);
    this.acksArriveMs = new Float64Array(this.count);
    this.waitingSinceMs = new Float64Array(this.count);
    this.waitingOrder = new Float64Array(this.count);
    const kernel = world.kernel;
    kernel.on(Ev.deliverArrive, (e, m, k, packed, incarnation, copy) =>
      this.onDeliver(e, m, k, packed, incarnation, copy),
    );
    kernel.on(Ev.deliverDropped, (_e, _m, _k, packed, incarnation) =>
      this.onDropped(packedConsumer(packed), incarnation),
    );
    kernel.on(Ev.processingDone, (c, slot, life) => this.onProcessingDone(c, slot, life));
    kernel.on(Ev.consumerCrashFault, (c, fault) => this.crash(c, world.config.faults[fault]!.durationMs, true));
    kernel.on(Ev.consumerRestart, (c) => this.restart(c));
    kernel.on(Ev.consumerAsk, (c, life) => life === this.lives[c] && this.waiting[c] === ASKING && this.ask(c));
  }

  /** Connects the broker (the two point at each other). */
  attach(broker: QueueSide): void {
    this.broker = broker;
  }

  hashState(h: StateHasher): void {
    h.int(this.nextConsumer);
    h.num(this.nextWaitingOrder);
    const columns = [
      this.up,
      this.incarnations,
      this.lives,
      this.inflight,
      this.pipeline.downUntilMs,
      this.busy,
      this.pipeline.poisonCache,
    ];
    for (const column of [...columns, this.waiting, this.acksArriveMs, this.waitingSinceMs, this.waitingOrder])
      h.column(column);
    for (const buffer of this.buffers) buffer.hashState(h);
    // What an idle processing slot last worked on is stale: only busy slots count.
    const work = [
      this.workEntry,
      this.workMessage,
      this.workDelivery,
      this.workOrdinal,
      this.workCopy,
      this.workChannel,
    ];
    for (let slot = 0; slot < this.busy.length; slot++) if (this.busy[slot] === 1) h.row(work, slot);
  }

  /** Schedules the consumers' scheduled crashes; pulling consumers ask for their first batch. */
  start(): void {
    for (const fault of this.world.config.faults) {
      if (fault.type === 'consumer-crash') {
        this.world.kernel.at(
          fault.atMs,
          Ev.consumerCrashFault,
          fault.consumer,
          this.world.config.faults.indexOf(fault),
        );
      }
    }
    for (let c = 0; c < this.count; c++) this.askIfIdle(c);
  }

  available(): number {
    if (this.pull) {
      let first = -1;
      for (let c = 0; c < this.count; c++) {
        if (
          this.up[c] === 1 &&
          this.waiting[c] === WAITING &&
          (first < 0 || this.waitingOrder[c]! < this.waitingOrder[first]!)
        )
          first = c;
      }
      return first;
    }
    for (let i = 0; i < this.count; i++) {
      const c = (this.nextConsumer + i) % this.count;
      if (this.up[c] === 1 && this.inflight[c]! < this.prefetch) {
        this.nextConsumer = (c + 1) % this.count;
        return c;
      }
    }
    return -1;
  }

  reserve(c: number): void {
    this.inflight[c]!++;
  }

  startWaiting(c: number): void {
    this.waiting[c] = WAITING;
    this.waitingSinceMs[c] = this.world.kernel.now;
    this.waitingOrder[c] = this.nextWaitingOrder++;
  }

  answered(c: number): void {
    this.waiting[c] = NOT_ASKING;
  }

  nextAskMs(c: number): number {
    if (this.waiting[c] !== WAITING || this.up[c] === 0) return Infinity;
    const now = this.world.kernel.now;
    const waitMs = this.world.config.consumers.fetchWaitMs;
    if (waitMs <= 0) return now;
    const since = this.waitingSinceMs[c]!;
    let at = since + Math.max(1, Math.ceil((now - since) / waitMs)) * waitMs;
    if (at < now) at += waitMs;
    return at;
  }

  /**
   * Pull: a consumer that is up and holds nothing asks the broker for its next batch. The ask reaches
   * the broker after the acks it sent before (Redis runs one connection's commands in order), so a
   * consumer never claims back a delivery it has just acked.
   */
  private askIfIdle(c: number): void {
    if (!this.pull || this.up[c] === 0 || this.inflight[c] !== 0 || this.waiting[c] !== NOT_ASKING) return;
    const kernel = this.world.kernel;
    if (this.acksArriveMs[c]! <= kernel.now) {
      this.ask(c);
      return;
    }
    this.waiting[c] = ASKING;
    kernel.at(this.acksArriveMs[c]!, Ev.consumerAsk, c, this.lives[c]!);
  }

  private ask(c: number): void {
    this.waiting[c] = NOT_ASKING;
    this.broker.poll(c);
  }

  incarnation(c: number): number {
    return this.incarnations[c]!;
  }

  channelClosed(c: number): void {
    const messages = this.world.messages;
    this.world.tracer?.consumer('new channel', c);
    this.incarnations[c]!++;
    // What was on the old channel is the broker's again; work in progress goes on but cannot ack. Until
    // channelOpened, the consumer takes no delivery: the broker hands the requeued ones to the others.
    this.inflight[c] = this.prefetch;
    // Deliveries acked on receipt are the consumer's own: it keeps them and runs them.
    if (this.world.config.mode.ack === 'before-effect') return;
    const buffer = this.buffers[c]!;
    while (buffer.length > 0) {
      const m = buffer.peek(1);
      buffer.shift();
      this.ledger.release(m, messages.slot(m));
    }
  }

  acked(c: number): void {
    if (this.countsUnacked && this.inflight[c]! > 0) this.inflight[c]!--;
  }

  channelOpened(c: number): void {
    this.inflight[c] = 0;
  }

  private onDropped(c: number, incarnation: number): void {
    // The consumer's receive came back empty: its slot is free again.
    if (incarnation !== this.incarnations[c]) return;
    // Where prefetch counts unacked deliveries, the slot stays taken until the broker takes it back.
    if (this.countsUnacked) return;
    this.inflight[c]!--;
    this.broker.pump();
    this.askIfIdle(c);
  }

  private onDeliver(e: number, m: number, k: number, packed: number, incarnation: number, copy: number): void {
    const { messages, faults, config } = this.world;
    const c = packedConsumer(packed);
    const ordinal = packedOrdinal(packed);
    const s = messages.slot(m);
    if (this.up[c] === 0 || incarnation !== this.incarnations[c]) {
      // Without channel closes, a delivery for an earlier incarnation met a consumer that crashed.
      if (this.up[c] === 0 || config.broker.visibilityTimeoutScope === 'delivery') faults.droppedAtDownConsumer++;
      this.world.tracer?.atConsumer('consumer', 'drop', c, m, k, this.up[c] === 0 ? 'consumer down' : 'channel closed');
      this.ledger.deliveryHint(s, Hint.deliverLost);
      this.ledger.release(m, s);
      return;
    }
    // A duplicated delivery takes a slot of its own, unless prefetch counts the broker's unacked deliveries (one).
    if (copy === 1 && !this.countsUnacked) this.inflight[c]!++;
    this.world.tracer?.atConsumer('consumer', 'receive', c, m, k);
    const d = this.received(c, e, m, k, ordinal * 2 + copy, incarnation);
    if (config.mode.ack === 'before-effect') this.sendAck(d, 0);
    const slot = this.freeSlot(c);
    if (slot < 0) this.buffers[c]!.push(e, m, k, ordinal * 2 + copy, incarnation);
    else this.begin(slot, d);
  }

  private freeSlot(c: number): number {
    const base = c * this.concurrency;
    for (let i = 0; i < this.concurrency; i++) if (this.busy[base + i] === 0) return base + i;
    return -1;
  }

  /** Fills the record of a delivery received (`ordinalCopy`: its ordinal times 2 plus its copy index). */
  private received(c: number, e: number, m: number, k: number, ordinalCopy: number, channel: number): Delivery {
    const d = this.incoming;
    d.consumer = c;
    d.entry = e;
    d.message = m;
    d.slot = this.world.messages.slot(m);
    d.delivery = k;
    d.ordinal = ordinalCopy >> 1;
    d.copy = ordinalCopy & 1;
    d.channel = channel;
    return d;
  }

  /** Starts processing delivery `d` in processing slot `slot` of its consumer. */
  private begin(slot: number, d: Delivery): void {
    const { messages, kernel } = this.world;
    const { consumer: c, message: m, delivery: k } = d;
    if (this.pipeline.skipsProcessed(c, m, d.slot, k)) {
      // Skipped without processing; the caller goes on with the next buffered delivery.
      this.finish(d, 0);
      this.broker.pump();
      this.askIfIdle(c);
      return;
    }
    this.busy[slot] = 1;
    this.workEntry[slot] = d.entry;
    this.workMessage[slot] = m;
    this.workDelivery[slot] = k;
    this.workOrdinal[slot] = d.ordinal;
    this.workCopy[slot] = d.copy;
    this.workChannel[slot] = d.channel;
    messages.processing[d.slot]!++;
    kernel.after(this.pipeline.durationMs(c, m, k, d.copy), Ev.processingDone, c, slot, this.lives[c]!);
  }

  private onProcessingDone(c: number, slot: number, life: number): void {
    if (life !== this.lives[c] || this.busy[slot] === 0) return;
    const { messages, config } = this.world;
    const m = this.workMessage[slot]!;
    const s = messages.slot(m);
    this.busy[slot] = 0;
    messages.processing[s]!--;
    const d = this.delivery;
    d.consumer = c;
    d.entry = this.workEntry[slot]!;
    d.message = m;
    d.slot = s;
    d.delivery = this.workDelivery[slot]!;
    d.ordinal = this.workOrdinal[slot]!;
    d.copy = this.workCopy[slot]!;
    d.channel = this.workChannel[slot]!;
    d.ackPending = config.mode.ack === 'after-effect' && d.channel === this.incarnations[c];
    const outcome = this.pipeline.process(d);
    if (outcome === Processed.crashed) this.crash(c, config.consumers.crash.restartMs, false);
    else this.complete(d, outcome === Processed.failed ? NACK : 0);
  }

  /** Ends a delivery normally: acks (or nacks) by the mode, frees its slot, starts the next one. */
  private complete(d: Delivery, nack: number): void {
    const c = d.consumer;
    this.finish(d, nack);
    this.next(c);
    this.broker.pump();
    this.askIfIdle(c);
  }

  /** Acks (or nacks) by the mode and frees the delivery's slot; a closed channel's delivery has nothing left to ack. */
  private finish(d: Delivery, nack: number): void {
    const c = d.consumer;
    const open = d.channel === this.incarnations[c];
    if (open && this.world.config.mode.ack === 'after-effect') this.sendAck(d, nack);
    this.ledger.release(d.message, d.slot);
    if (open && !this.countsUnacked) this.inflight[c]!--;
  }

  private sendAck(d: Delivery, nack: number): void {
    const { consumer: c, message: m, delivery: k } = d;
    this.world.tracer?.ack(nack === 0 ? 'ack' : 'nack', m, k, c);
    const copies = this.network.ack(d.entry, m, k, d.copy, nack);
    if (copies > 0) this.acksArriveMs[c] = Math.max(this.acksArriveMs[c]!, this.network.lastArrivalMs);
    if (copies === 0 && nack === 0) this.ledger.noteBreak(d.slot, k, Dup.ackLost);
  }

  private next(c: number): void {
    const buffer = this.buffers[c]!;
    while (buffer.length > 0) {
      const slot = this.freeSlot(c);
      if (slot < 0) return;
      const d = this.received(c, buffer.peek(0), buffer.peek(1), buffer.peek(2), buffer.peek(3), buffer.peek(4));
      buffer.shift();
      this.begin(slot, d);
    }
  }

  private crash(c: number, durationMs: number, scheduled: boolean): void {
    if (!this.pipeline.crash(c, durationMs, scheduled)) return;
    const messages = this.world.messages;
    this.waiting[c] = NOT_ASKING;
    this.incarnations[c]!++;
    this.lives[c]!++;
    this.inflight[c] = 0;
    const base = c * this.concurrency;
    for (let slot = base; slot < base + this.concurrency; slot++) {
      if (this.busy[slot] === 0) continue;
      this.busy[slot] = 0;
      const m = this.workMessage[slot]!;
      const s = messages.slot(m);
      messages.processing[s]!--;
      this.pipeline.abandon(m, s);
    }
    const buffer = this.buffers[c]!;
    while (buffer.length > 0) {
      const m = buffer.peek(1);
      buffer.shift();
      this.pipeline.abandon(m, messages.slot(m));
    }
    this.broker.consumerLost(c);
  }

  private restart(c: number): void {
    if (!this.pipeline.restarts(c)) return;
    this.broker.pump();
    this.askIfIdle(c);
  }
}
