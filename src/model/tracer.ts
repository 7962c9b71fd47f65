// The model's tracer: one named method for each kind of thing that happens, so a site reads
// `world.tracer?.deliver(...)`. With tracing off `world.tracer` is undefined and a site costs one check.
import type { Kernel } from '../sim/kernel.js';
import type { TraceActor, TraceEvent, TraceSink } from './trace.js';

type LinkName = NonNullable<TraceEvent['link']>;

/** Turns what the model does into trace events for a sink, stamped with the virtual time. */
export class Tracer {
  constructor(
    private readonly kernel: Kernel,
    private readonly sink: TraceSink,
  ) {}

  /** Something happened to consumer c itself (crash, restart, join, leave, new channel, commit, abort). */
  consumer(event: string, c: number, detail?: string): void {
    this.emit('consumer', event, undefined, undefined, undefined, undefined, c, detail);
  }

  /** Something happened to delivery k of message m at consumer c (or its effect at the sink). */
  atConsumer(actor: 'consumer' | 'sink', event: string, c: number, m: number, k: number, detail?: string): void {
    this.emit(actor, event, undefined, m, undefined, k, c, detail);
  }

  /** Something happened to the broker itself (crash, restart, commit, rebalance). */
  broker(event: string, detail?: string): void {
    this.emit('broker', event, undefined, undefined, undefined, undefined, undefined, detail);
  }

  /** The broker did something to message m (truncate, dead-letter, drop). */
  brokerMessage(event: string, m: number, detail?: string): void {
    this.emit('broker', event, undefined, m, undefined, undefined, undefined, detail);
  }

  /** The broker did something about delivery k of message m (its ack, its timeout, its requeue). */
  brokerDelivery(event: string, m: number, k: number, detail?: string): void {
    this.emit('broker', event, undefined, m, undefined, k, undefined, detail);
  }

  /** The broker did something to consumer c (closed its channel). */
  brokerConsumer(event: string, c: number, detail?: string): void {
    this.emit('broker', event, undefined, undefined, undefined, undefined, c, detail);
  }

  /** The broker took (or refused) publish `attempt` of message m. */
  brokerPublish(event: string, m: number, attempt: number, detail?: string): void {
    this.emit('broker', event, undefined, m, attempt, undefined, undefined, detail);
  }

  /** The producer did something about message m (`attempt` where one applies). */
  producer(event: string, m: number, attempt?: number, detail?: string): void {
    this.emit('producer', event, undefined, m, attempt, undefined, undefined, detail);
  }

  /** The producer sends publish `attempt` of message m. */
  publish(event: string, m: number, attempt: number): void {
    this.emit('producer', event, 'publish', m, attempt, undefined, undefined, undefined);
  }

  /** The broker sends the confirm (or rejection) of publish `attempt` of message m. */
  confirm(event: string, m: number, attempt: number): void {
    this.emit('broker', event, 'confirm', m, attempt, undefined, undefined, undefined);
  }

  /** The broker sends delivery k of message m to consumer c. */
  deliver(event: string, m: number, k: number, c: number, detail?: string): void {
    this.emit('broker', event, 'deliver', m, undefined, k, c, detail);
  }

  /** Consumer c sends the ack (or nack) of delivery k of message m. */
  ack(event: string, m: number, k: number, c: number): void {
    this.emit('consumer', event, 'ack', m, undefined, k, c, undefined);
  }

  /** The network dropped or duplicated a transmission about message m on `link`. */
  network(event: string, link: LinkName, m: number, detail?: string): void {
    this.emit('network', event, link, m, undefined, undefined, undefined, detail);
  }

  /** Builds the event with only the fields that apply, in one order (the trace's JSON keeps it). */
  private emit(
    actor: TraceActor,
    event: string,
    link: LinkName | undefined,
    message: number | undefined,
    attempt: number | undefined,
    delivery: number | undefined,
    consumer: number | undefined,
    detail: string | undefined,
  ): void {
    const record: Record<string, unknown> = { t: this.kernel.now, actor, event };
    if (link !== undefined) record.link = link;
    if (message !== undefined) record.message = message;
    if (attempt !== undefined) record.attempt = attempt;
    if (delivery !== undefined) record.delivery = delivery;
    if (consumer !== undefined) record.consumer = consumer;
    if (detail !== undefined) record.detail = detail;
    this.sink(record as unknown as TraceEvent);
  }
}
