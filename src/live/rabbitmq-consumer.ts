// One RabbitMQ consumer of a live run: its processes across crashes (a connection each, the next one
// opened early) and, within one, a channel at a time with `concurrency` workers and the consumer timeout.
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { SimulationConfig } from '../model/config.js';
import { sleep, type LiveClients } from './clients.js';
import { prepare, type Connection, type Rabbit } from './rabbitmq-connection.js';

/** What every consumer of a run shares. */
export interface ConsumerContext {
  config: SimulationConfig;
  rabbit: Rabbit;
  clients: LiveClients;
  /** The visibility timeout in real ms: a delivery unacked this long closes its channel. */
  timeoutMs: number;
  /** Real ms between two looks of a consumer's watchdog. */
  tickMs: number;
  /** Per consumer: nothing held, unacked, in progress or being closed. */
  idle: boolean[];
  /** True when a consumer can crash (by chance or on schedule). */
  crashes: boolean;
}

/** One consumer channel: what it holds unstarted and the delivery tags it has not acked. */
interface ChannelState {
  channel: Channel;
  open: boolean;
  held: ConsumeMessage[];
  unacked: Set<number>;
}

/** One consumer process: a connection, one channel at a time, `concurrency` workers. */
class ConsumerProcess {
  private spare: Promise<Channel>;
  private crashed = false;
  private busy = 0;
  private state!: ChannelState;
  private ended: () => void = () => undefined;
  private readonly end = new Promise<void>((done) => (this.ended = done));
  private opening = false;
  /** Channels closed at the consumer timeout whose close RabbitMQ has not taken yet. */
  private closing = 0;

  constructor(
    private readonly context: ConsumerContext,
    private readonly c: number,
    private readonly model: ChannelModel,
    first: Promise<Channel>,
  ) {
    this.spare = first;
  }

  /** Runs the process until it crashes or the run ends; resolves true when it crashed. */
  async live(consuming: () => void): Promise<boolean> {
    const { clients, idle, tickMs } = this.context;
    await this.openChannel();
    const unwatch = clients.watchCrashes(this.c, () => {
      this.crashed = true;
      this.ended();
    });
    // The clock starts once every consumer consumes: with its spare channel ready, so that making it
    // does not load the broker while the producer starts.
    await this.spare.catch(() => undefined);
    consuming();
    const watchdog = setInterval(() => {
      if (this.crashed || clients.stopping) this.ended();
      else if (!this.state.open && !this.opening) this.timedOut(this.state);
      else this.pump();
    }, tickMs);
    await this.end;
    unwatch();
    clearInterval(watchdog);
    // Not idle until the connection is closed (consume does that next) and RabbitMQ has requeued what it held.
    idle[this.c] = false;
    return this.crashed;
  }

  /** Starts held deliveries on free workers, and notes whether the consumer is idle. */
  private readonly pump = (): void => {
    const { clients, idle, config } = this.context;
    while (
      this.busy < config.consumers.concurrency &&
      this.state.held.length > 0 &&
      !this.crashed &&
      !clients.stopping
    ) {
      const message = this.state.held.shift()!;
      const owner = this.state;
      this.busy++;
      void this.work(owner, message)
        .catch(clients.fail)
        .finally(() => {
          this.busy--;
          this.pump();
        });
    }
    idle[this.c] =
      this.busy === 0 &&
      this.state.held.length === 0 &&
      this.state.unacked.size === 0 &&
      !this.opening &&
      this.closing === 0;
  };

  /** One worker handles one delivery, acking on the channel it came on. */
  private readonly work = async (owner: ChannelState, message: ConsumeMessage): Promise<void> => {
    const tag = message.fields.deliveryTag;
    const crashes = await this.context.clients.handle(Number(message.content.toString()), this.c, {
      ack: () => {
        if (!owner.open) return false;
        try {
          owner.channel.ack(message);
        } catch {
          // The connection is closing (a crash, or the end): the ack goes nowhere, as with a closed channel.
          return false;
        }
        owner.unacked.delete(tag);
        return true;
      },
      alive: () => !this.crashed,
      // basic.nack with requeue: the queue hands it out again at once.
      nack: () => {
        if (!owner.open) return;
        try {
          owner.channel.nack(message, false, true);
          owner.unacked.delete(tag);
        } catch {
          // The connection is closing: the delivery comes back with the channel's others.
        }
      },
    });
    if (crashes && !this.crashed) {
      this.crashed = true;
      this.ended();
    }
  };

  /** Consumes on the spare channel, and prepares the next spare. */
  private readonly openChannel = async (): Promise<void> => {
    const { config, rabbit, timeoutMs } = this.context;
    const { mode } = config;
    this.opening = true;
    const channel = await rabbit.bounded(this.spare, 'opening a channel').finally(() => (this.opening = false));
    this.spare = prepare(this.model, config.consumers.prefetch);
    const next: ChannelState = { channel, open: true, held: [], unacked: new Set() };
    channel.on('close', () => {
      next.open = false;
      next.held.length = 0;
      next.unacked.clear();
    });
    this.state = next;
    await rabbit.bounded(
      channel.consume(
        rabbit.queue,
        (message) => {
          if (message === null || !next.open) return;
          if (mode.ack !== 'auto') {
            const tag = message.fields.deliveryTag;
            next.unacked.add(tag);
            // Unref'd: a timer left over from a closed channel must not keep the process alive.
            setTimeout(() => next.unacked.has(tag) && next.open && this.timedOut(next), timeoutMs).unref();
          }
          next.held.push(message);
          this.pump();
        },
        { noAck: mode.ack === 'auto' },
      ),
      'starting a consumer',
    );
  };

  /** consumer_timeout: a delivery unacked past the timeout closes its channel, and the consumer opens another. */
  private readonly timedOut = (expired: ChannelState): void => {
    expired.open = false;
    expired.held.length = 0;
    expired.unacked.clear();
    // Not idle until RabbitMQ has taken the close, and so requeued what the channel held.
    this.closing++;
    void expired.channel
      .close()
      .catch(() => undefined)
      .finally(() => this.closing--);
    if (!this.crashed && !this.context.clients.stopping) void this.openChannel().catch(() => undefined);
  };
}

/** Consumer `c` of the run: one process after another, each after its downtime, until the run ends. */
export async function consume(context: ConsumerContext, c: number, consuming: () => void): Promise<void> {
  const { rabbit, clients, idle, crashes } = context;
  // Every connection opened is closed: one left open would keep the process alive after the run.
  // Opening one takes tens of ms (more than many a scenario's restartMs at a small time scale), so
  // each incarnation opens the next one's connection as it starts: after a crash, the consumer is
  // back on it as soon as restartMs has passed.
  const open = () => {
    const opening = rabbit
      .open()
      .then((model) => ({ model, channel: prepare(model, context.config.consumers.prefetch) }));
    opening.catch(() => undefined);
    return opening;
  };
  let next: Promise<Connection> | undefined = open();
  try {
    while (next !== undefined && !clients.stopping) {
      const connection: Connection = await next;
      const { model } = connection;
      // Only where the consumer can crash: opening one loads the broker while the run goes on.
      if (crashes) next = open();
      let crashed: boolean;
      try {
        crashed = await new ConsumerProcess(context, c, model, connection.channel).live(consuming);
      } catch (error) {
        await rabbit.close(model);
        throw error;
      }
      const downMs = crashed ? clients.downtime(c) : 0;
      const down = performance.now();
      next ??= crashed && !clients.stopping ? open() : undefined;
      // A crash: the connection goes, and RabbitMQ requeues every delivery it had not acked.
      await rabbit.close(model);
      idle[c] = true;
      if (!crashed) return;
      await sleep(downMs - (performance.now() - down));
    }
  } finally {
    // The connection opened for a restart that did not come.
    if (next !== undefined) void next.then(({ model }) => rabbit.close(model)).catch(() => undefined);
  }
}
