// Pull delivery at the queue consumers (Redis Streams, NATS JetStream): a consumer asks for its next batch only
// once it holds nothing, behind the acks it sent before (JetStream may serve it first); with nothing to read it
// waits, longest waiting first.
import type { QueueSide } from './broker.js';
import type { ConsumerChannels } from './consumer-channels.js';
import type { Delivery } from './delivery.js';
import { Site } from '../sim/choice.js';
import { Ev, type World } from './world.js';

// Where a consumer's ask for its next batch stands.
const NOT_ASKING = 0;
const WAITING = 1;
const ASKING = 2;

/** The consumers' asks for their next batch (pull delivery), and when their acks reach the broker. */
export class PullAsking {
  private readonly count: number;
  /** Pull delivery: a consumer asks for a batch when it holds nothing, and waits when there is none. */
  private readonly pull: boolean;
  /** The chance that an ask is served before the acks just before it (broker.askOvertakesAcks). */
  private readonly overtaking: number;
  /** 0 not asking, 1 waiting for a new message, 2 its ask is on the way (behind its acks). */
  readonly waiting: Uint8Array;
  /** When the last ack each consumer sent reaches the broker: its next ask comes after it (one connection, in order).
   * */
  readonly acksArriveMs: Float64Array;
  /** When each waiting consumer started waiting: it asks again every fetchWaitMs from then. */
  readonly waitingSinceMs: Float64Array;
  /** Order of waiting (the longest-waiting reader gets the next new message, as Redis serves blocked readers). */
  readonly waitingOrder: Float64Array;
  nextWaitingOrder = 0;

  /** The columns the consumers' state hash folds, in its order (it must not change). */
  get hashed(): readonly ArrayLike<number>[] {
    return [this.waiting, this.acksArriveMs, this.waitingSinceMs, this.waitingOrder];
  }
  private broker!: QueueSide;

  constructor(
    private readonly world: World,
    private readonly channels: ConsumerChannels,
    /** Per consumer: 1 while it runs (the processing pipeline's). */
    private readonly up: Uint8Array,
  ) {
    this.count = world.config.consumers.count;
    this.pull = world.config.broker.delivery === 'pull';
    this.overtaking = world.config.broker.askOvertakesAcks;
    this.waiting = new Uint8Array(this.count);
    this.acksArriveMs = new Float64Array(this.count);
    this.waitingSinceMs = new Float64Array(this.count);
    this.waitingOrder = new Float64Array(this.count);
    world.kernel.on(
      Ev.consumerAsk,
      (c, life) => life === channels.lives[c] && this.waiting[c] === ASKING && this.ask(c),
    );
  }

  /** Connects the broker the asks go to. */
  attach(broker: QueueSide): void {
    this.broker = broker;
  }

  /** The consumer that is up and has waited longest for a new message, or -1. */
  longestWaiting(): number {
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

  /** Consumer `c` asked and found nothing: it waits for a new message, asking again every fetchWaitMs. */
  startWaiting(c: number): void {
    this.waiting[c] = WAITING;
    this.waitingSinceMs[c] = this.world.kernel.now;
    this.waitingOrder[c] = this.nextWaitingOrder++;
  }

  /** Consumer `c`'s ask is answered (it got its batch); a crash also ends its asking. */
  answered(c: number): void {
    this.waiting[c] = NOT_ASKING;
  }

  /** When waiting consumer `c` asks again (its read's block time ends), at `now` or later; Infinity if not waiting. */
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

  /** An ack consumer `c` sent reaches the broker at `arrivalMs` (push delivery keeps this too: it is hashed). */
  ackSent(c: number, arrivalMs: number): void {
    this.acksArriveMs[c] = Math.max(this.acksArriveMs[c]!, arrivalMs);
  }

  /**
   * Pull: a consumer that is up and holds nothing asks the broker for its next batch. The ask reaches
   * the broker after the acks it sent before (Redis runs one connection's commands in order), so a
   * consumer never claims back a delivery it has just acked. Where acks are served apart from asks
   * (JetStream, broker.askOvertakesAcks), the ask that follows the ack of `after` may be served first,
   * and claim back a delivery whose ack is on its way: a draw keyed by that delivery.
   */
  askIfIdle(c: number, after?: Readonly<Delivery>): void {
    if (!this.pull || this.up[c] === 0 || this.channels.inflight[c] !== 0 || this.waiting[c] !== NOT_ASKING) return;
    const kernel = this.world.kernel;
    if (this.acksArriveMs[c]! <= kernel.now || (after !== undefined && this.overtakes(after))) {
      this.ask(c);
      return;
    }
    this.waiting[c] = ASKING;
    kernel.at(this.acksArriveMs[c]!, Ev.consumerAsk, c, this.channels.lives[c]!);
  }

  /**
   * Whether the ask after the ack of delivery `d` is served before that ack: drawn by the delivery as a latency is,
   * not picked as a fault, so explore and shrinking leave it as the seed has it (it is the broker's timing, not a
   * fault: a fault-free schedule must not be one where it never happens).
   */
  private overtakes(d: Readonly<Delivery>): boolean {
    const p = this.overtaking;
    return p > 0 && this.world.choices.uniform(Site.askOvertakesAcks, d.message, d.delivery, d.copy) < p;
  }

  private ask(c: number): void {
    this.waiting[c] = NOT_ASKING;
    this.broker.poll(c);
  }
}
