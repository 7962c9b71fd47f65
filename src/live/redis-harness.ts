// `acksim live` against Redis Streams: the scenario's producer and consumers as real ioredis clients.
// XADD publishes (its reply is the confirm), a consumer group reads with XREADGROUP (NOACK for
// auto-ack), XACK acknowledges, and every consumer first takes entries idle longer than the visibility
// timeout with XAUTOCLAIM; an entry delivered more than maxDeliveries times (XPENDING's count) moves
// to a dead-letter stream. The scenario's client-side faults are drawn from its seed: dropped publishes,
// confirms, deliveries and acks, and consumer crashes (the connection is destroyed; a new consumer
// with a new name takes over after restartMs). Every time is scaled by `timeScale`.
import { Redis } from 'ioredis';
import type { SimulationConfig } from '../model/config.js';
import { SeededChoiceSource, Site } from '../sim/choice.js';
import { sampler } from '../sim/distribution.js';
import type { BrokerAddress } from './broker-url.js';

/** What a live run needs besides the configuration. */
export interface LiveOptions {
  address: BrokerAddress;
  seed: number;
  /** Real ms per virtual ms (0.01: a 30 s timeout lasts 300 ms). */
  timeScale: number;
  /** Names every key this run creates, so it deletes only those. */
  runId: string;
  /** Receives each event of the log (a JSON line without newline). */
  write: (line: string) => void;
  /** Wall-clock limit in real ms. */
  limitMs: number;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, Math.max(0, ms)));

/** Runs the scenario once against Redis Streams; resolves when every message is settled or the limit passes. */
export async function runRedis(config: SimulationConfig, options: LiveOptions): Promise<{ timedOut: boolean }> {
  const { address, timeScale, runId } = options;
  const choices = new SeededChoiceSource(options.seed);
  const stream = `acksim:${runId}:stream`;
  const deadLetters = `acksim:${runId}:dlq`;
  const group = 'acksim';
  // No reconnecting: a broker that goes away fails the run with one clear line.
  const connect = () => {
    const client = new Redis({
      host: address.host,
      port: address.port,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      connectTimeout: 5000,
    });
    client.on('error', (error: Error) => (lastError = error));
    return client;
  };
  let lastError: Error | undefined;
  const admin = connect();
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`cannot connect (${(lastError ?? (error as Error)).message})`);
  }
  await admin.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
  const started = performance.now();
  const now = () => (performance.now() - started) / timeScale;
  const log = (type: string, m: number, extra = '') =>
    options.write(`{"type":"${type}","id":${m},"ts":${Math.round(now() * 1000) / 1000}${extra}}`);
  const { mode, network, producer, consumers, broker } = config;
  const chance = (site: number, m: number, k: number, p: number) => p > 0 && choices.uniform(site, m, k, 0) < p;
  const processing = sampler(consumers.processingMs);
  const processed = new Set<number>();
  let settled = 0;
  let stopping = false;

  // ---- producer --------------------------------------------------------------------------------
  const retries = mode.publishRetry && producer.acks !== 0;
  const publish = async (m: number, attempt: number): Promise<void> => {
    log('publish', m);
    let confirmed = false;
    if (!chance(Site.publishFate, m, attempt, network.publish.loss)) {
      await admin.xadd(stream, '*', 'id', String(m));
      confirmed = !chance(Site.confirmFate, m, attempt, network.confirm.loss);
    }
    if (confirmed) {
      log('confirm', m);
      settled++;
      return;
    }
    if (!retries || (producer.retry.maxAttempts > 0 && attempt + 1 >= producer.retry.maxAttempts)) {
      settled++;
      return;
    }
    await sleep(producer.confirmTimeoutMs * timeScale);
    if (!stopping) await publish(m, attempt + 1);
  };
  const producing = (async () => {
    const sends: Promise<void>[] = [];
    for (let m = 0; m < config.messages && !stopping; m++) {
      await sleep((m * 1000 * timeScale) / producer.ratePerSec - (performance.now() - started));
      sends.push(publish(m, 0));
    }
    await Promise.all(sends);
  })();

  // ---- consumers -------------------------------------------------------------------------------
  const visibilityMs = Math.max(1, Math.round(broker.visibilityTimeoutMs * timeScale));
  const deliveries = new Map<number, number>();
  const consume = async (c: number): Promise<void> => {
    for (let incarnation = 0; !stopping; incarnation++) {
      const client = connect();
      await client.connect();
      const name = `c${c}-${incarnation}`;
      const crashed = await consumeUntilCrash(client, name, c);
      client.disconnect();
      if (!crashed) return;
      await sleep(consumers.crash.restartMs * timeScale);
    }
  };
  const consumeUntilCrash = async (client: Redis, name: string, c: number): Promise<boolean> => {
    while (!stopping) {
      const claimed = (await client.xautoclaim(stream, group, name, visibilityMs, '0-0', 'COUNT', consumers.prefetch)) as [
        string,
        Array<[string, string[]] | null>,
      ];
      let entries = claimed[1].filter((e): e is [string, string[]] => e !== null);
      if (entries.length === 0) {
        const args = [
          'GROUP',
          group,
          name,
          'COUNT',
          consumers.prefetch,
          'BLOCK',
          20,
          ...(mode.ack === 'auto' ? ['NOACK'] : []),
          'STREAMS',
          stream,
          '>',
        ];
        const read = (await client.call('XREADGROUP', ...args.map(String))) as Array<[string, Array<[string, string[]]>]> | null;
        entries = read?.[0]?.[1] ?? [];
      }
      // `concurrency` workers share the batch; a crash of one takes the whole consumer down.
      let crashed = false;
      const work = async (): Promise<void> => {
        for (let entry = entries.shift(); entry !== undefined && !crashed && !stopping; entry = entries.shift()) {
          if (await handle(client, entry, c)) crashed = true;
        }
      };
      await Promise.all(Array.from({ length: consumers.concurrency }, work));
      if (crashed) return true;
    }
    return false;
  };
  /** Handles one delivered entry; true when the consumer crashes. */
  const handle = async (client: Redis, [entryId, fields]: [string, string[]], c: number): Promise<boolean> => {
    const m = Number(fields[1]);
    const k = deliveries.get(m) ?? 0;
    deliveries.set(m, k + 1);
    if (broker.maxDeliveries > 0 && mode.ack !== 'auto') {
      const pending = (await client.xpending(stream, group, 'IDLE', 0, entryId, entryId, 1)) as Array<[string, string, number, number]>;
      if ((pending[0]?.[3] ?? 0) > broker.maxDeliveries) {
        await client.xadd(deadLetters, '*', 'id', String(m));
        await client.xack(stream, group, entryId);
        log('dead-letter', m);
        return false;
      }
    }
    log('deliver', m, `,"consumer":${c}`);
    if (chance(Site.deliverFate, m, k, network.deliver.loss)) return false;
    if (mode.ack === 'before-effect') await ack(client, entryId, m, k);
    await sleep((processing.constant ? processing.mean : processing.sample(choices, Site.processing, m, k, 0)) * timeScale);
    const crash = chance(Site.crash, m, k, consumers.crash.probability);
    if (crash && consumers.crash.point === 'before-effect') return true;
    if (!(mode.consumerDedupe && processed.has(m))) {
      log('effect', m, `,"consumer":${c}`);
      // An atomic dedupe store records the id with the effect; a non-atomic one after it, which a crash in between skips.
      if (config.dedupe.atomic || !crash) processed.add(m);
    }
    if (crash) return true;
    if (mode.ack === 'after-effect') await ack(client, entryId, m, k);
    return false;
  };
  const ack = async (client: Redis, entryId: string, m: number, k: number) => {
    if (chance(Site.ackFate, m, k, network.ack.loss)) return;
    await client.xack(stream, group, entryId);
    log('ack', m);
  };
  const consuming = Array.from({ length: consumers.count }, (_, c) => consume(c));

  // ---- the end: everything published is settled and nothing is pending --------------------------
  let timedOut = false;
  for (;;) {
    await sleep(Math.max(20, visibilityMs / 2));
    if (performance.now() - started > options.limitMs) {
      timedOut = true;
      break;
    }
    if (settled < config.messages) continue;
    const info = (await admin.xinfo('GROUPS', stream)) as unknown[][];
    const fields = info[0] ?? [];
    const value = (key: string) => Number(fields[fields.indexOf(key) + 1]);
    if (value('pending') === 0 && value('lag') === 0) break;
  }
  stopping = true;
  await Promise.allSettled([producing, ...consuming]);
  await admin.del(stream, deadLetters);
  admin.disconnect();
  return { timedOut };
}
