// Lease extension (consumers.leaseExtension), the consumers' side: a heartbeat per delivery held, every
// `intervalMs` from the start of its processing (or, `buffered`, from its receipt), sent over the ack link
// while the consumer still holds it, up to `maxMs`. A stalled consumer's heartbeats wait for the stall to end
// (its timers fire late). The broker's side is leases.ts.
import { EXTEND, type QueueSide } from './broker.js';
import type { ConsumerChannels } from './consumer-channels.js';
import type { ConsumerWork } from './consumer-work.js';
import type { Delivery, DeliveryProcessing } from './processing.js';
import type { Network } from './network.js';
import { Ev, type World } from './world.js';

/** The heartbeats of the deliveries the consumers hold. */
export class LeaseKeeper {
  private readonly intervalMs: number;
  private readonly maxMs: number;
  private readonly buffered: boolean;
  private broker!: QueueSide;

  constructor(
    private readonly world: World,
    private readonly network: Network,
    private readonly channels: ConsumerChannels,
    private readonly work: ConsumerWork,
    private readonly pipeline: DeliveryProcessing,
  ) {
    const extension = world.config.consumers.leaseExtension;
    this.intervalMs = extension.intervalMs;
    this.maxMs = extension.maxMs;
    this.buffered = extension.buffered;
    world.kernel.on(Ev.leaseTick, (c, channel, e, m, kc, n) => this.onTick(c, channel, e, m, kc, n));
  }

  /** Connects the broker, whose leases the extensions move. */
  attach(broker: QueueSide): void {
    this.broker = broker;
  }

  /** Delivery `d` was received (`receipt`) or starts processing: its heartbeat starts where the options say. */
  start(d: Delivery, receipt: boolean): void {
    if (receipt !== this.buffered || this.broker.leases === undefined) return;
    const { consumer: c, channel, entry, message, delivery, copy } = d;
    this.world.kernel.after(this.intervalMs, Ev.leaseTick, c, channel, entry, message, delivery * 2 + copy, 1);
  }

  /** Heartbeat `n` of a delivery: sent if the consumer still holds it, then the next one. */
  private onTick(c: number, channel: number, e: number, m: number, kc: number, n: number): void {
    const { kernel, tracer } = this.world;
    const k = kc >> 1;
    if (!this.channels.isOpen(c, channel) || !this.work.holds(c, m, k, kc & 1, this.buffered)) return;
    if (n * this.intervalMs > this.maxMs) return;
    if (this.pipeline.frozen(c)) {
      kernel.at(this.pipeline.frozenUntilMs[c]!, Ev.leaseTick, c, channel, e, m, kc, n);
      return;
    }
    tracer?.ack('extend', m, k, c);
    // Each heartbeat is its own transmission, keyed apart from the ack (key 0 or 1) by its number.
    const copies = this.network.ack(e, m, k, (kc & 1) + 2 * n, EXTEND);
    this.broker.leases!.sent(e, m, k, copies, this.network.lastArrivalMs);
    kernel.after(this.intervalMs, Ev.leaseTick, c, channel, e, m, kc, n + 1);
  }
}
