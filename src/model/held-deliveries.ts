// Deliveries a queue consumer holds until their message is due (producer.delayHeldBy: consumer, Celery's ETA): it
// received the message at once, keeps it unacked (holding a prefetch slot, not a processing one) and starts it
// when due. Its lease is not extended meanwhile (Celery does not), so a delay past the visibility timeout lets the
// broker deliver it again to another consumer, which holds it too: at the due time every copy runs.
import type { ConsumerChannels } from './consumer-channels.js';
import type { Ledger } from './ledger.js';
import type { Delivery, DeliveryProcessing } from './processing.js';
import { Ev, type World } from './world.js';

/** Consumers a payload field packs (as packDelivery does), and the lives it tells apart (2^17, within int32). */
const CONSUMERS = 16384;
const lifeOf = (life: number) => life % 2 ** 17;

/** The held deliveries of the consumers: each waits in the kernel, its event at the due time. */
export class HeldDeliveries {
  private readonly acksOnReceipt: boolean;

  constructor(
    private readonly world: World,
    private readonly channels: ConsumerChannels,
    private readonly pipeline: DeliveryProcessing,
    private readonly ledger: Ledger,
    /** What happens to a delivery that comes due: the consumer takes it (a processing slot, or its buffer). */
    private readonly due: (d: Delivery) => void,
    /** The record `due` is called with (the consumer's, reused). */
    private readonly record: Delivery,
  ) {
    this.acksOnReceipt = world.config.mode.ack === 'before-effect';
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
    this.world.tracer?.atConsumer('consumer', 'hold', d.consumer, d.message, d.delivery, 'not due yet (eta)');
    return true;
  }

  private onDue(packed: number, channel: number, e: number, m: number, kc: number, ordinal: number): void {
    const c = packed % CONSUMERS;
    const s = this.world.messages.slot(m);
    // The consumer crashed while holding it: the delivery went with it.
    if (Math.floor(packed / CONSUMERS) !== lifeOf(this.channels.lives[c]!)) return this.pipeline.abandon(m, s);
    // Its channel closed meanwhile: the broker took the delivery back (one acked on receipt is the consumer's own).
    if (!this.channels.isOpen(c, channel) && !this.acksOnReceipt) return this.ledger.release(m, s);
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
