// The scenario's clients for a live run, whatever the broker: the seeded fault decisions, the
// producer's publish-and-retry loop, what a consumer does with one delivery, the event log and the
// wait for the end. A harness (Redis, RabbitMQ) supplies the broker calls.
import type { LinkName, SimulationConfig } from '../model/config.js';
import { SeededChoiceSource, Site } from '../sim/choice.js';
import { sampler, type Sampler } from '../sim/distribution.js';
import type { BrokerAddress } from './broker-url.js';

/** What a live run needs besides the configuration. */
export interface LiveOptions {
  address: BrokerAddress;
  seed: number;
  /** Real ms per virtual ms (0.01: a 30 s timeout lasts 300 ms). */
  timeScale: number;
  /** Names everything this run creates on the broker, so it deletes only that. */
  runId: string;
  /** Receives each event of the log (a JSON line without newline). */
  write: (line: string) => void;
  /** Wall-clock limit in real ms. */
  limitMs: number;
}

/** How a live run ended. */
export interface LiveResult {
  timedOut: boolean;
  /** How far, in the scenario's ms, the producer fell behind its schedule at worst. */
  producerLagMs: number;
  /**
   * What a processed delivery cost the consumers, in the scenario's ms, beyond its processing time: late
   * timers, acks and reads (round trips the model does not have), on average.
   */
  overheadMs: number;
  /** How much longer than restartMs a crashed consumer was gone (closing, reconnecting), in the scenario's ms, on
   * average. */
  restartOverheadMs: number;
}

/**
 * Waits `ms` real milliseconds (none when negative), to a fraction of a millisecond. A timer alone
 * waits at least a millisecond and often one more, which at time scale 0.01 is 100 to 200 ms of the
 * scenario: it would cap a producer at 10 messages a second and stretch every short processing time.
 * So the timer takes all but the last 2 ms, and the rest is spent yielding to the event loop.
 */
export async function sleep(ms: number): Promise<void> {
  const until = performance.now() + ms;
  const yieldOnce = () => new Promise<void>((done) => setImmediate(done));
  if (ms > 2) await new Promise<void>((done) => setTimeout(done, ms - 2));
  // Even a wait that is already over yields once: a producer behind its schedule must not starve the rest.
  else await yieldOnce();
  while (performance.now() < until) await yieldOnce();
}

/** The broker calls behind one delivery. */
export interface DeliveryCalls {
  /** Acknowledges it; false when that is no longer possible (its channel is gone). */
  ack: () => Promise<boolean> | boolean;
  /** False once the consumer's process crashed: work it had in progress never reaches the effect. */
  alive?: () => boolean;
}

/** The producer and consumer logic of one live run, with its faults drawn from the scenario's seed. */
export class LiveClients {
  /** Messages whose publishing is over: confirmed, or given up. */
  settled = 0;
  /** Set at the end: every loop stops at its next step. */
  stopping = false;
  /** Worst lag of a first publish behind its scheduled time, in real ms. */
  private lagMs = 0;
  /** Real ms the consumers spent beyond the scenario's processing times, and over how many deliveries. */
  private overheadMs = 0;
  private overheadDeliveries = 0;
  /** When each consumer last crashed at a delivery (real ms), and what its restarts cost beyond restartMs. */
  private readonly crashedAt = new Map<number, number>();
  private restartOverheadMs = 0;
  private restarts = 0;
  /** The first error of a client loop: the run stops, cleans up, and reports it. */
  private failure: Error | undefined;
  /** Records the first failure of a client loop (pass it to `.catch`). */
  readonly fail = (error: unknown): void => {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
  };
  private readonly choices: SeededChoiceSource;
  private readonly processing: Sampler;
  private readonly processed = new Set<number>();
  private readonly deliveries = new Map<number, number>();
  /** The scenario's time 0: when the producer starts (the consumers are connected by then). */
  private started = performance.now();
  /** Scheduled partitions: [link, from, to] in virtual ms. */
  private readonly partitions: Array<[LinkName, number, number]> = [];
  /** Per consumer: what ends its running incarnation at a scheduled crash, and until when it is down (virtual ms). */
  private readonly killers = new Map<number, () => void>();
  private readonly downUntil = new Map<number, number>();
  private readonly timers: ReturnType<typeof setTimeout>[] = [];

  constructor(
    private readonly config: SimulationConfig,
    private readonly options: LiveOptions,
  ) {
    this.choices = new SeededChoiceSource(options.seed);
    this.processing = sampler(config.consumers.processingMs);
    for (const fault of config.faults) {
      if (fault.type === 'partition') this.partitions.push([fault.link, fault.atMs, fault.atMs + fault.durationMs]);
    }
  }

  /** Starts the scenario's clock and its scheduled consumer crashes. */
  private start(): void {
    this.started = performance.now();
    for (const fault of this.config.faults) {
      if (fault.type !== 'consumer-crash') continue;
      const { consumer, atMs, durationMs } = fault;
      const crash = () => {
        this.downUntil.set(consumer, Math.max(this.downUntil.get(consumer) ?? 0, atMs + durationMs));
        this.killers.get(consumer)?.();
      };
      this.timers.push(setTimeout(crash, this.real(atMs)));
    }
  }

  /** Real ms for `virtualMs` of the scenario. */
  real(virtualMs: number): number {
    return virtualMs * this.options.timeScale;
  }

  /** Real ms since the run started. */
  elapsed(): number {
    return performance.now() - this.started;
  }

  /** Writes one event of the log, stamped with the run's virtual time. */
  log(type: string, m: number, extra = ''): void {
    const ts = Math.round((this.elapsed() / this.options.timeScale) * 1000) / 1000;
    this.options.write(`{"type":"${type}","id":${m},"ts":${ts}${extra}}`);
  }

  private chance(site: number, m: number, k: number, p: number): boolean {
    return p > 0 && this.choices.uniform(site, m, k, 0) < p;
  }

  /** The link is cut now by a scheduled partition: what crosses it is dropped. */
  private cut(link: LinkName): boolean {
    if (this.partitions.length === 0) return false;
    const now = this.elapsed() / this.options.timeScale;
    return this.partitions.some(([l, from, to]) => l === link && now >= from && now < to);
  }

  /**
   * Consumer `c`'s running incarnation: `kill` ends it at a scheduled crash of that consumer (its
   * connection goes at once; work in progress never reaches the effect). Returns the unregistering.
   */
  watchCrashes(c: number, kill: () => void): () => void {
    this.killers.set(c, kill);
    const crashedAt = this.crashedAt.get(c);
    if (crashedAt !== undefined) {
      this.crashedAt.delete(c);
      this.restartOverheadMs += Math.max(
        0,
        this.elapsed() - crashedAt - this.real(this.config.consumers.crash.restartMs),
      );
      this.restarts++;
    }
    // A scheduled crash that came while this incarnation was starting (or extends the downtime) ends it at once.
    if (this.elapsed() / this.options.timeScale < (this.downUntil.get(c) ?? 0)) queueMicrotask(kill);
    return () => this.killers.delete(c);
  }

  /** Real ms a crashed consumer `c` stays down: restartMs, or to the end of its scheduled crash. */
  downtime(c: number): number {
    const until = this.downUntil.get(c) ?? 0;
    return Math.max(this.real(this.config.consumers.crash.restartMs), this.real(until) - this.elapsed());
  }

  /**
   * Starts the consumer loops and resolves, with their promises, once each is consuming (or failed):
   * the consumers are there at time 0 in the model, so the clock starts after them.
   */
  async startConsumers(
    count: number,
    consume: (c: number, consuming: () => void) => Promise<void>,
  ): Promise<Array<Promise<void>>> {
    const ready: Array<Promise<void>> = [];
    const loops = Array.from({ length: count }, (_, c) => {
      let consuming: () => void = () => undefined;
      ready.push(new Promise<void>((resolve) => (consuming = resolve)));
      return consume(c, () => consuming()).catch((error: unknown) => {
        this.fail(error);
        consuming();
      });
    });
    await Promise.all(ready);
    return loops;
  }

  /**
   * Starts the scenario's clock and publishes every message at its rate; `send` stores one and says
   * whether the broker confirmed it. Dropped publishes and confirms are drawn per attempt; retries
   * follow the mode. Connect the consumers first: they are there at time 0 in the model.
   */
  async produce(send: (m: number) => Promise<boolean>): Promise<void> {
    this.start();
    const { mode, network, producer, messages } = this.config;
    const retries = mode.publishRetry && producer.acks !== 0;
    const publish = async (m: number, attempt: number): Promise<void> => {
      this.log('publish', m);
      let confirmed = false;
      if (!this.chance(Site.publishFate, m, attempt, network.publish.loss) && !this.cut('publish')) {
        confirmed =
          (await send(m)) && !this.chance(Site.confirmFate, m, attempt, network.confirm.loss) && !this.cut('confirm');
      }
      if (confirmed) {
        this.log('confirm', m);
        this.settled++;
        return;
      }
      if (!retries || (producer.retry.maxAttempts > 0 && attempt + 1 >= producer.retry.maxAttempts)) {
        this.settled++;
        return;
      }
      await sleep(this.real(producer.confirmTimeoutMs));
      if (!this.stopping) await publish(m, attempt + 1);
    };
    const sends: Promise<void>[] = [];
    for (let m = 0; m < messages && !this.stopping; m++) {
      const due = this.real((m * 1000) / producer.ratePerSec);
      await sleep(due - this.elapsed());
      this.lagMs = Math.max(this.lagMs, this.elapsed() - due);
      sends.push(publish(m, 0));
    }
    await Promise.all(sends);
  }

  /** Counts real ms a consumer spent on the broker outside `handle` (a read that found deliveries waiting). */
  noteOverhead(ms: number): void {
    this.overheadMs += ms;
  }

  /**
   * Consumer `c` handles one delivery of message `m`: a dropped delivery, the ack by the mode, the
   * processing time, a crash at the crash point, the effect (unless the dedupe store has the id).
   * Resolves true when the consumer crashes. What it takes beyond the processing time is overhead.
   */
  async handle(m: number, c: number, calls: DeliveryCalls): Promise<boolean> {
    const began = performance.now();
    // Set once processing ran to its end (not for a dropped delivery or a killed consumer).
    let processingMs = -1;
    const crashed = await this.process(m, c, calls, (ms) => (processingMs = ms));
    // Back after restartMs in the model; the client's own restart (close, reconnect) is measured against that.
    if (crashed && this.elapsed() / this.options.timeScale >= (this.downUntil.get(c) ?? 0))
      this.crashedAt.set(c, this.elapsed());
    if (processingMs >= 0) {
      this.overheadMs += Math.max(0, performance.now() - began - processingMs);
      this.overheadDeliveries++;
    }
    return crashed;
  }

  private async process(
    m: number,
    c: number,
    calls: DeliveryCalls,
    processing: (realMs: number) => void,
  ): Promise<boolean> {
    const { mode, network, consumers, dedupe } = this.config;
    const k = this.deliveries.get(m) ?? 0;
    this.deliveries.set(m, k + 1);
    this.log('deliver', m, `,"consumer":${c}`);
    if (this.chance(Site.deliverFate, m, k, network.deliver.loss) || this.cut('deliver')) return false;
    const ack = async () => {
      if (this.chance(Site.ackFate, m, k, network.ack.loss) || this.cut('ack')) return;
      if (await calls.ack()) this.log('ack', m);
    };
    if (mode.ack === 'before-effect') await ack();
    const duration = this.processing;
    const processingMs = this.real(
      duration.constant ? duration.mean : duration.sample(this.choices, Site.processing, m, k, 0),
    );
    await sleep(processingMs);
    if (calls.alive?.() === false) return false;
    processing(processingMs);
    const crash = this.chance(Site.crash, m, k, consumers.crash.probability);
    if (crash && consumers.crash.point === 'before-effect') return true;
    if (!(mode.consumerDedupe && this.processed.has(m))) {
      this.log('effect', m, `,"consumer":${c}`);
      // An atomic dedupe store records the id with the effect; a non-atomic one after it, which a crash in between
      // skips.
      if (dedupe.atomic || !crash) this.processed.add(m);
    }
    if (crash) return true;
    if (mode.ack === 'after-effect') await ack();
    return false;
  }

  /**
   * Polls `drained` until it holds twice in a row once every message is settled (a delivery may be on
   * its way between two looks), or the time limit passes; then stops every loop.
   */
  async waitForEnd(drained: () => Promise<boolean>, pollMs: number): Promise<LiveResult> {
    let timedOut = false;
    let quiet = 0;
    try {
      while (quiet < 2 && this.failure === undefined) {
        await sleep(pollMs);
        if (this.elapsed() > this.options.limitMs) {
          timedOut = true;
          break;
        }
        quiet = this.settled >= this.config.messages && (await drained()) ? quiet + 1 : 0;
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.stopping = true;
      for (const timer of this.timers) clearTimeout(timer);
    }
    const scale = this.options.timeScale;
    const overheadMs = this.overheadDeliveries === 0 ? 0 : this.overheadMs / this.overheadDeliveries / scale;
    const restartOverheadMs = this.restarts === 0 ? 0 : this.restartOverheadMs / this.restarts / scale;
    return { timedOut, producerLagMs: this.lagMs / scale, overheadMs, restartOverheadMs };
  }

  /** After the clean-up: throws the first failure of a client loop, if there was one. */
  rethrow(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
