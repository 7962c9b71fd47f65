// One consumer of a NATS JetStream live run: its own connection to the run's durable pull consumer. A
// consumer that has processed its last batch asks for the next: one pull request for up to `prefetch`
// messages with no_wait and expires at consumers.fetchWaitMs (scaled), which JetStream answers at once
// with what it has, or with the first message to arrive (a new one, or one whose AckWait passed) within
// the wait, or with nothing (nats-puller.ts). `concurrency` workers share the batch. +ACK
// acknowledges, -NAK gives a failed attempt back (redelivered at once), +WPI extends the AckWait (a
// lease extension). A crash closes the connection: what it held waits for its AckWait, as JetStream
// requeues nothing on a disconnect; a new connection takes over after restartMs.
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { visibilityTimeoutOf, type SimulationConfig } from '../model/config.js';
import type { BrokerAddress } from './broker-url.js';
import type { DeliveryCalls, LiveClients } from './clients.js';
import { liveIncarnations } from './incarnations.js';
import { within } from './bounded.js';
import { openNats } from './nats-connection.js';
import { Puller } from './nats-puller.js';

/** What every consumer of a run shares. */
export interface NatsContext {
  config: SimulationConfig;
  clients: LiveClients;
  address: BrokerAddress;
  /** The stream's (and its subject's) name. */
  name: string;
  waitMs: number;
  /** Messages the consumers hold, pulled and not yet processed. */
  held: number;
}

/**
 * How a consumer settles delivery `message` (`k` its delivery of the message, from 0), on its reply subject while its
 * connection is open. JetStream takes a -NAK or +WPI of an older delivery too (it names the stream sequence), which
 * would send back or hold a message another consumer has now; the model's nack and extension count only while the
 * delivery is the latest, so they are sent only within its AckWait (the BackOff entry of delivery k), which +WPI
 * restarts. An ack is always sent: JetStream takes a late one, and so does the model (broker.lateAcks).
 */
function deliveryCalls(context: NatsContext, nc: NatsConnection, message: Msg, alive: () => boolean): DeliveryCalls {
  const { config, clients } = context;
  const k = deliveredCount(message.reply!) - 1;
  // A little early: the broker's AckWait began when it sent the message, before it came.
  const ackWaitMs = clients.real(visibilityTimeoutOf(config.broker, Math.max(0, k))) * 0.98;
  let deadline = performance.now() + ackWaitMs;
  const send = (body: string) => {
    if (nc.isClosed()) return false;
    nc.publish(message.reply!, body);
    return true;
  };
  const withinAckWait = () => performance.now() < deadline;
  return {
    ack: () => send('+ACK'),
    nack: () => withinAckWait() && send('-NAK'),
    extend: () => {
      if (!withinAckWait() || !send('+WPI')) return false;
      deadline = performance.now() + ackWaitMs;
      return true;
    },
    alive,
  };
}

/**
 * The delivery count in a JetStream ack subject: $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer
 * seq>.<time>.<pending>, or with a domain and an account hash before the stream (12 tokens or more).
 */
export function deliveredCount(reply: string): number {
  const tokens = reply.split('.');
  return Number(tokens[tokens.length >= 12 ? 6 : 4]);
}

/** Consumer `c`: connects, consumes until it crashes, comes back after its downtime, until the run stops. */
export function consumeNats(context: NatsContext, c: number, connected: () => void): Promise<void> {
  return liveIncarnations<NatsConnection>(context.clients, c, connected, {
    open: () => {
      const ready = openNats(context.address, context.waitMs);
      ready.catch(() => undefined);
      return { ready, abandon: () => void ready.then((nc) => nc.close()).catch(() => undefined) };
    },
    consume: (nc, _incarnation, killed) => consumeUntilCrash(context, nc, c, killed),
    kill: (nc) => void nc.close(),
    close: (nc) => nc.close(),
  });
}

/** Pulls and processes batches until the consumer crashes (true) or the run stops (false). */
async function consumeUntilCrash(
  context: NatsContext,
  nc: NatsConnection,
  c: number,
  killed: () => boolean,
): Promise<boolean> {
  const { clients, config } = context;
  const { consumers } = config;
  const blockMs = Math.max(1, clients.real(consumers.fetchWaitMs));
  // A batch that was waiting cost the pull's round trip, which the model's consumer does not pay; one that
  // arrived while the pull waited cost nothing. Told apart by the time to the first message.
  const roundTripMs = await within(nc.rtt(), context.waitMs, 'a ping');
  const puller = new Puller(nc, `$JS.API.CONSUMER.MSG.NEXT.${context.name}.acksim`);
  return pullUntilCrash(context, nc, c, killed, { puller, roundTripMs, blockMs });
}

/** The pull loop of one connection: true when the consumer crashes. */
async function pullUntilCrash(
  context: NatsContext,
  nc: NatsConnection,
  c: number,
  killed: () => boolean,
  { puller, roundTripMs, blockMs }: { puller: Puller; roundTripMs: number; blockMs: number },
): Promise<boolean> {
  const { clients, config } = context;
  const { consumers } = config;
  while (!clients.stopping && !killed()) {
    const { messages, firstMs } = await puller.pull(consumers.prefetch, blockMs, Math.max(10, 4 * roundTripMs));
    if (messages.length > 0 && firstMs <= 2 * roundTripMs + 1) clients.noteOverhead(firstMs);
    let crashed = false;
    const work = async (): Promise<void> => {
      for (
        let message = messages.shift();
        message !== undefined && !crashed && !killed() && !clients.stopping;
        message = messages.shift()
      ) {
        const alive = () => !crashed && !killed();
        const calls = deliveryCalls(context, nc, message, alive);
        if (await clients.handle(Number(message.string()), c, calls)) crashed = true;
      }
    };
    const batch = messages.length;
    context.held += batch;
    try {
      await Promise.all(Array.from({ length: consumers.concurrency }, work));
    } finally {
      context.held -= batch;
    }
    if (crashed) return true;
  }
  return killed();
}
