// Deliveries a queue consumer holds until their message is due (producer.delayHeldBy: consumer, Celery's ETA): it
// received the message at once, keeps it unacked (holding a prefetch slot, not a processing one) and starts it
// when due. Its lease is not extended meanwhile (Celery does not), so a delay past the visibility timeout lets the
// broker deliver it again to another consumer, which holds it too: at the due time every copy runs. A crash gives
// up what the consumer held, and a closed channel gives it back, at once (`drop`).
import { listOf } from './columns.js';
import type { ConsumerChannels } from './consumer-channels.js';
import type { Delivery } from './processing.js';
import type { StateHasher } from '../sim/state-hash.js';
import { Ev, type World } from './world.js';

/** Consumers a payload field packs (as packDelivery does), and the lives it tells apart (2^17, within int32). */
const CONSUMERS = 16384;
const lifeOf = (life: number) => life % 2 ** 17;

/** The held deliveries of the consumers: each waits in the kernel, its event at the due time. */
export class HeldDeliveries {
  /** Per consumer: [message, channel] of each delivery it holds. */
  private readonly held: number[][];

  constructor(
    private readonly world: World,
    private readonly channels: ConsumerChannels,
    /** What happens to a delivery that comes due: the consumer takes it (a processing slot, or its buffer). */
    private readonly due: (d: Delivery) => void,
    /** The record `due` is called with (the consumer's, reused). */
    private readonly record: Delivery,
  ) {
    this.held = listOf(world.config.consumers.count, () => []);
    world.kernel.on(Ev.deliveryDue, (packed, channel, e, m, kc, ordinal) =>
      this.onDue(packed, channel, e, m, kc, ordinal),
    );
  }

  /** Holds delivery `d` if its message is not due yet; returns whether it did. */
  hold(d: Delivery): boolean {
    const { delays, messages, kernel } = this.world;
    const dueMs = messages.sentAtMs[d.slot]! + delays!.delayOf(d.message);
    if (dueMs <= kernel.now) return false;
    // The consumer and its life travel packed in one field (a crash since ends the hold).
    const packed = lifeOf(this.channels.lives[d.consumer]!) * CONSUMERS + d.consumer;
    kernel.at(dueMs, Ev.deliveryDue, packed, d.channel, d.entry, d.message, d.delivery * 2 + d.copy, d.ordinal);
    this.held[d.consumer]!.push(d.message, d.channel);
    this.world.tracer?.atConsumer('consumer', 'hold', d.consumer, d.message, d.delivery, 'not due yet (eta)');
    return true;
  }

  /** Consumer `c` crashed, or its channel closed: each delivery it held goes (`each` gives it up or back). */
  drop(c: number, each: (m: number) => void): void {
    const list = this.held[c]!.splice(0);
    for (let i = 0; i < list.length; i += 2) each(list[i]!);
  }

  hashState(h: StateHasher): void {
    for (const list of this.held) h.column(list);
  }

  private onDue(packed: number, channel: number, e: number, m: number, kc: number, ordinal: number): void {
    const c = packed % CONSUMERS;
    // Dropped since (a crash, a closed channel): nothing is left of it.
    const list = this.held[c]!;
    let at = Math.floor(packed / CONSUMERS) === lifeOf(this.channels.lives[c]!) ? 0 : list.length;
    while (at < list.length && (list[at] !== m || list[at + 1] !== channel)) at += 2;
    if (at >= list.length) return;
    list.splice(at, 2);
    const s = this.world.messages.slot(m);
    const d = this.record;
    d.consumer = c;
    d.entry = e;
    d.message = m;
    d.slot = s;
    d.delivery = kc >> 1;
    d.copy = kc & 1;
    d.ordinal = ordinal;
    d.channel = channel;
    this.due(d);
  }
}
