// `acksim live` against Redis Streams: the scenario's producer and consumers as real ioredis clients.
// XADD publishes (its reply is the confirm), a consumer group reads with XREADGROUP (NOACK for
// auto-ack) up to `prefetch` entries once it has processed its last batch, blocking fetchWaitMs when
// there are none, XACK acknowledges, and before each read a consumer takes entries idle longer than
// the visibility timeout with XAUTOCLAIM (the model's pull delivery); an entry delivered more than
// maxDeliveries times (XPENDING's count) moves to a dead-letter stream; a failed attempt and a lease extension are
// XCLAIMs (entryCalls). The scenario's client-side faults are drawn
// from its seed: dropped publishes,
// confirms, deliveries and acks, and consumer crashes (the connection is destroyed; a new consumer
// with a new name takes over after restartMs). Every time is scaled by `timeScale`.
import { Redis } from 'ioredis';
import type { SimulationConfig } from '../model/config.js';
import { NETWORK_WAIT_MS, within } from './bounded.js';
import { LiveClients, type DeliveryCalls, type LiveOptions, type LiveResult } from './clients.js';
import { liveIncarnations } from './incarnations.js';

/** Runs the scenario once against Redis Streams; resolves when every message is settled or the limit passes. */
export async function runRedis(config: SimulationConfig, options: LiveOptions): Promise<LiveResult> {
  const { address, runId } = options;
  const stream = `acksim:${runId}:stream`;
  const deadLetters = `acksim:${runId}:dlq`;
  const group = 'acksim';
  // Every answer is awaited for a bounded time: a port that accepts and stays silent fails the run.
  const waitMs = Math.min(NETWORK_WAIT_MS, options.limitMs);
  // No reconnecting: a broker that goes away fails the run with one clear line.
  const connect = () => {
    const client = new Redis({
      host: address.host,
      port: address.port,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      connectTimeout: waitMs,
      commandTimeout: waitMs,
    });
    client.on('error', (error: Error) => (lastError = error));
    return client;
  };
  /** Connects `client` within the wait, or disconnects it and fails. */
  const opened = async (client: Redis): Promise<void> => {
    try {
      await within(client.connect(), waitMs, 'the connection');
    } catch (error) {
      client.disconnect();
      throw error;
    }
  };
  let lastError: Error | undefined;
  const admin = connect();
  try {
    await opened(admin);
  } catch (error) {
    throw new Error(`cannot connect (${(lastError ?? (error as Error)).message})`);
  }
  try {
    await admin.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
  } catch (error) {
    admin.disconnect();
    throw error;
  }
  const clients = new LiveClients(config, options);
  const { mode, consumers, broker } = config;
  // Entries the consumers hold, read and not yet processed: in play, though an entry read with NOACK
  // is neither pending nor lagging any more.
  let held = 0;

  // ---- consumers -------------------------------------------------------------------------------
  const visibilityMs = Math.max(1, Math.round(clients.real(broker.visibilityTimeoutMs)));
  // The model's waiting consumer asks again (and claims) every fetchWaitMs; BLOCK 0 would wait forever.
  const blockMs = Math.max(1, Math.round(clients.real(consumers.fetchWaitMs)));
  /** Consumer `c` across its crashes: a connection each, named by its incarnation. */
  const consume = (c: number, connected: () => void): Promise<void> =>
    liveIncarnations<Redis>(clients, c, connected, {
      open: () => {
        const client = connect();
        const ready = opened(client).then(() => client);
        ready.catch(() => undefined);
        return { ready, abandon: () => client.disconnect() };
      },
      consume: (client, incarnation, killed) => consumeUntilCrash(client, `c${c}-${incarnation}`, c, killed),
      kill: (client) => client.disconnect(),
      close: (client) => client.disconnect(),
    });
  const consumeUntilCrash = async (client: Redis, name: string, c: number, killed: () => boolean): Promise<boolean> => {
    while (!clients.stopping && !killed()) {
      const asked = performance.now();
      const claimed = (await client.xautoclaim(
        stream,
        group,
        name,
        visibilityMs,
        '0-0',
        'COUNT',
        consumers.prefetch,
      )) as [string, Array<[string, string[]] | null>];
      // Reading entries that were waiting costs round trips the model's consumer does not pay; a
      // consumer that had to wait for a new entry lost nothing to them.
      const roundTripMs = performance.now() - asked;
      let entries = claimed[1].filter((e): e is [string, string[]] => e !== null);
      if (entries.length > 0) clients.noteOverhead(roundTripMs);
      else {
        const reading = performance.now();
        const args = [
          'GROUP',
          group,
          name,
          'COUNT',
          consumers.prefetch,
          'BLOCK',
          blockMs,
          ...(mode.ack === 'auto' ? ['NOACK'] : []),
          'STREAMS',
          stream,
          '>',
        ];
        const read = (await client.call('XREADGROUP', ...args.map(String))) as Array<
          [string, Array<[string, string[]]>]
        > | null;
        entries = read?.[0]?.[1] ?? [];
        const readMs = performance.now() - reading;
        if (entries.length > 0 && readMs <= 2 * roundTripMs) clients.noteOverhead(roundTripMs + readMs);
      }
      // `concurrency` workers share the batch; a crash of one takes the whole consumer down.
      let crashed = false;
      const work = async (): Promise<void> => {
        for (
          let entry = entries.shift();
          entry !== undefined && !crashed && !killed() && !clients.stopping;
          entry = entries.shift()
        ) {
          if (await handle(client, name, entry, c, () => !crashed && !killed())) crashed = true;
        }
      };
      const batch = entries.length;
      held += batch;
      try {
        await Promise.all(Array.from({ length: consumers.concurrency }, work));
      } finally {
        held -= batch;
      }
      if (crashed) return true;
    }
    return killed();
  };
  /** Handles one delivered entry; true when the consumer crashes. */
  const handle = async (
    client: Redis,
    name: string,
    [entryId, fields]: [string, string[]],
    c: number,
    alive: () => boolean,
  ): Promise<boolean> => {
    const m = Number(fields[1]);
    if (broker.maxDeliveries > 0 && mode.ack !== 'auto') {
      const pending = (await client.xpending(stream, group, 'IDLE', 0, entryId, entryId, 1)) as Array<
        [string, string, number, number]
      >;
      if ((pending[0]?.[3] ?? 0) > broker.maxDeliveries) {
        await client.xadd(deadLetters, '*', 'id', String(m));
        await client.xack(stream, group, entryId);
        clients.log('dead-letter', m);
        return false;
      }
    }
    return clients.handle(m, c, { ...entryCalls(client, [stream, group, name, entryId], visibilityMs), alive });
  };
  const consuming = await clients.startConsumers(consumers.count, consume);
  const producing = clients
    .produce(async (m) => {
      await admin.xadd(stream, '*', 'id', String(m));
      return true;
    })
    .catch(clients.fail);

  // ---- the end: everything published is settled, nothing is pending, lagging or held ---------------
  const result = await clients.waitForEnd(
    async () => {
      if (held > 0) return false;
      const info = (await admin.xinfo('GROUPS', stream)) as unknown[][];
      const fields = info[0] ?? [];
      const value = (key: string) => Number(fields[fields.indexOf(key) + 1]);
      return value('pending') === 0 && value('lag') === 0 && held === 0;
    },
    // Two quiet looks this far apart end the run: long enough for a read's reply on its way to
    // arrive, short enough not to add seconds of waiting to every run (half the visibility timeout did).
    Math.max(20, Math.min(100, visibilityMs / 2)),
  );
  // Every loop stops at its next step; one stuck on a silent broker is not waited for past the bound.
  await within(Promise.allSettled([producing, ...consuming]), waitMs, 'the last commands').catch(clients.fail);
  await admin.del(stream, deadLetters).catch(clients.fail);
  admin.disconnect();
  clients.rethrow();
  return result;
}

/**
 * How a consumer settles entry `entryId`: XACK; a nack, which Streams have not, made of XCLAIM to itself with IDLE at
 * the visibility timeout (the next XAUTOCLAIM takes it at once) and JUSTID (the delivery count is left for that
 * claim to raise); and a lease extension, XCLAIM to itself with JUSTID, which restarts its idle time. Both only
 * while the entry is still this consumer's (XPENDING): as in the model, they do nothing to a delivery that timed out
 * and went to another consumer.
 */
function entryCalls(
  client: Redis,
  [stream, group, name, entryId]: [string, string, string, string],
  visibilityMs: number,
): DeliveryCalls {
  const mine = async () => {
    const pending = await client.xpending(stream, group, entryId, entryId, 1, name);
    return pending.length > 0;
  };
  return {
    ack: async () => {
      await client.xack(stream, group, entryId);
      return true;
    },
    nack: async () => (await mine()) && client.xclaim(stream, group, name, 0, entryId, 'IDLE', visibilityMs, 'JUSTID'),
    extend: async () => (await mine()) && client.xclaim(stream, group, name, 0, entryId, 'JUSTID'),
  };
}
