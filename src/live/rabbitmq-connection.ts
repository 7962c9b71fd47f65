// RabbitMQ connections and channels for a live run: every broker call awaited for a bounded time, a
// connection opened or closed (cut when the broker does not answer), a consumer channel made ready early.
import { connect, type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { within } from './bounded.js';

/** A consumer's connection and the channel it will consume on first. */
export interface Connection {
  model: ChannelModel;
  channel: Promise<Channel>;
}

/** Opening, closing and waiting on the broker, with every answer awaited for at most the same bound. */
export interface RabbitCalls {
  open: () => Promise<ChannelModel>;
  close: (model: ChannelModel) => Promise<void>;
  /** A broker call awaited for a bounded time. */
  bounded: <T>(work: Promise<T>, what: string) => Promise<T>;
}

/** The run's broker: its calls, the admin connection, the publisher's channel and the two queues. */
export interface Rabbit extends RabbitCalls {
  admin: ChannelModel;
  publisher: ConfirmChannel;
  queue: string;
  deadLetters: string;
}

/** The calls to the broker at `url`, each answer awaited for at most `waitMs`. */
export function rabbitCalls(url: string, waitMs: number): RabbitCalls {
  const bounded = <T>(work: Promise<T>, what: string) => within(work, waitMs, what);
  /** Closes a connection; one whose broker does not answer the close is cut, so nothing keeps the process alive. */
  const close = async (model: ChannelModel): Promise<void> => {
    await bounded(model.close(), 'closing the connection').catch(() => {
      (model.connection as unknown as { stream?: { destroy: () => void } }).stream?.destroy();
    });
  };
  const open = async (): Promise<ChannelModel> => {
    const model = await within(
      connect(url, { timeout: waitMs }),
      waitMs,
      'the connection',
      (late) => void late.close().catch(() => undefined),
    );
    model.on('error', () => undefined);
    return model;
  };
  return { open, close, bounded };
}

/**
 * A channel made ready to consume on (created, prefetch set) before it is needed: opening one takes
 * round trips the model's consumer does not wait for, so the consumer only asks to consume on it.
 */
export function prepare(model: ChannelModel, prefetch: number): Promise<Channel> {
  const ready = model.createChannel().then(async (channel) => {
    channel.on('error', () => undefined);
    await channel.prefetch(prefetch);
    return channel;
  });
  ready.catch(() => undefined);
  return ready;
}
