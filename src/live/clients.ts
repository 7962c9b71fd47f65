// The scenario's clients for a live run, whatever the broker: the producer's publish-and-retry loop,
// what a consumer does with one delivery, and the wait for the end. A harness (Redis, RabbitMQ) supplies
// the broker calls; clock.ts keeps the time and the event log, faults.ts draws and schedules the faults.
import type { SimulationConfig } from '../model/config.js';
import { Site } from '../sim/choice.js';
import { sampler, type Sampler } from '../sim/distribution.js';
import type { DeliveryCalls, LiveOptions, LiveResult } from './client-types.js';
import { LiveClock, sleep } from './clock.js';
import { LiveFaults } from './faults.js';
import { leaseHeartbeat } from './heartbeat.js';
import { LiveSpans, type OpenSpan } from './spans.js';

export { sleep } from './clock.js';

/**
 * How long (real ms) a run must look drained before it ends: past the time a requeued delivery takes to reach a
 * consumer on a loaded machine. (Suspected, and ruled out, as the cause of RabbitMQ's
 * visibility-timeout-too-short at time scale 0.02 ending with about 21 % duplicates where the model said
 * 34.5 %, on clean clones with the timer-thread clock, 2026-12-01: that happened with this rule too.)
 */
export const END_QUIET_MS = 250;

export type { DeliveryCalls, LiveOptions, LiveResult } from './client-types.js';

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
  /** The first error of a client loop: the run stops, cleans up, and reports it. */
  private failure: Error | undefined;
  /** Records the first failure of a client loop (pass it to `.catch`). */
  readonly fail = (error: unknown): void => {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
  };
  private readonly clock: LiveClock;
  private readonly faults: LiveFaults;
  private readonly processing: Sampler;
  private readonly processed = new Set<number>();
  /** The clients' spans (recorded where the process registered an OpenTelemetry SDK). */
  private readonly spans: LiveSpans;
  private readonly deliveries = new Map<number, number>();

  constructor(
    private readonly config: SimulationConfig,
    private readonly options: LiveOptions,
  ) {
    this.clock = new LiveClock(options);
    this.faults = new LiveFaults(config, this.clock, options.seed);
    this.processing = sampler(config.consumers.processingMs);
    this.spans = new LiveSpans(options.address.kind, options.runId);
  }

  /** Starts the scenario's clock and its scheduled consumer crashes. */
  private start(): void {
    this.clock.start();
    this.faults.scheduleCrashes();
  }

  /** Real ms for `virtualMs` of the scenario. */
  real(virtualMs: number): number {
    return this.clock.real(virtualMs);
  }

  /** Real ms since the run started. */
  elapsed(): number {
    return this.clock.elapsed();
  }

  /** Writes one event of the log, stamped with the run's virtual time. */
  log(type: string, m: number, extra = ''): void {
    this.clock.log(type, m, extra);
  }

  /**
   * Consumer `c`'s running incarnation: `kill` ends it at a scheduled crash of that consumer (its
   * connection goes at once; work in progress never reaches the effect). Returns the unregistering.
   */
  watchCrashes(c: number, kill: () => void): () => void {
    return this.faults.watchCrashes(c, kill);
  }

  /** Real ms a crashed consumer `c` stays down: restartMs, or to the end of its scheduled crash. */
  downtime(c: number): number {
    return this.faults.downtime(c);
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
      const span = this.spans.send(m);
      let confirmed = false;
      try {
        if (!this.faults.chance(Site.publishFate, m, attempt, network.publish.loss) && !this.faults.cut('publish')) {
          confirmed =
            (await send(m)) &&
            !this.faults.chance(Site.confirmFate, m, attempt, network.confirm.loss) &&
            !this.faults.cut('confirm');
        }
      } finally {
        span.end(confirmed);
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
    const span = this.spans.process(m, c);
    let crashed: boolean;
    try {
      crashed = await this.process(m, c, calls, (ms) => (processingMs = ms), span);
    } finally {
      // Ended already when the effect ran; anything else is a delivery without one.
      span.end(false);
    }
    // Back after restartMs in the model; the client's own restart (close, reconnect) is measured against that.
    if (crashed) this.faults.crashedAtDelivery(c);
    if (processingMs >= 0) {
      this.overheadMs += Math.max(0, performance.now() - began - processingMs);
      this.overheadDeliveries++;
    }
    return crashed;
  }

  /** Processes one delivery; resolves true when the consumer crashes. */
  private async process(
    m: number,
    c: number,
    calls: DeliveryCalls,
    processing: (realMs: number) => void,
    span: OpenSpan,
  ): Promise<boolean> {
    const { mode, network, consumers, dedupe } = this.config;
    const k = this.deliveries.get(m) ?? 0;
    this.deliveries.set(m, k + 1);
    this.log('deliver', m, `,"consumer":${c}`);
    if (this.faults.chance(Site.deliverFate, m, k, network.deliver.loss) || this.faults.cut('deliver')) return false;
    const ack = async () => {
      if (this.faults.chance(Site.ackFate, m, k, network.ack.loss) || this.faults.cut('ack')) return;
      if (await calls.ack()) {
        this.log('ack', m);
        this.spans.settle(m, c);
      }
    };
    if (mode.ack === 'before-effect') await ack();
    const duration = this.processing;
    const processingMs = this.real(
      duration.constant ? duration.mean : duration.sample(this.faults.choices, Site.processing, m, k, 0),
    );
    const heartbeat = leaseHeartbeat(this.config, this.faults, this.clock, m, k, calls);
    await sleep(processingMs);
    heartbeat.stop();
    if (calls.alive?.() === false) return false;
    processing(processingMs);
    const crash = this.faults.chance(Site.crash, m, k, consumers.crash.probability);
    if (crash && consumers.crash.point === 'before-effect') return true;
    // A transient failure (consumers.failure): the delivery goes back, its nack crossing the ack link as an ack does.
    if (this.faults.chance(Site.failure, m, k, consumers.failure.probability)) {
      if (!(this.faults.chance(Site.ackFate, m, k, network.ack.loss) || this.faults.cut('ack'))) await calls.nack?.();
      return false;
    }
    if (!(mode.consumerDedupe && this.processed.has(m))) {
      this.log('effect', m, `,"consumer":${c}`);
      span.end(true);
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
    let quietSince = 0;
    try {
      // Drained twice in a row, and for END_QUIET_MS of real time: a delivery the broker has sent and no client
      // has yet received is counted nowhere a check can see (RabbitMQ's ready count leaves out what is on its
      // way to a consumer), so a run could end with a redelivery in flight, its duplicate never counted.
      while ((quiet < 2 || performance.now() - quietSince < END_QUIET_MS) && this.failure === undefined) {
        await sleep(pollMs);
        if (this.elapsed() > this.options.limitMs) {
          timedOut = true;
          break;
        }
        quiet = this.settled >= this.config.messages && (await drained()) ? quiet + 1 : 0;
        if (quiet === 1) quietSince = performance.now();
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.stopping = true;
      this.faults.stop();
    }
    const scale = this.options.timeScale;
    const overheadMs = this.overheadDeliveries === 0 ? 0 : this.overheadMs / this.overheadDeliveries / scale;
    const restartOverheadMs = this.faults.restartOverhead(scale);
    return { timedOut, producerLagMs: this.lagMs / scale, overheadMs, restartOverheadMs };
  }

  /** After the clean-up: throws the first failure of a client loop, if there was one. */
  rethrow(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
