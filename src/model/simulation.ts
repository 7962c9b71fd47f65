// Builds one simulation from its configuration and runs it to the end: every message resolved, the
// horizon, or the event limit. Returns raw counters and per-message outcomes; the run layer turns
// them into metrics.
import type { ChoiceSource } from '../sim/choice.js';
import { Kernel, type RunLimits, type StopReason } from '../sim/kernel.js';
import { StateHasher, type HashesState } from '../sim/state-hash.js';
import { defaultMaxEvents, maxPendingEvents, type SimulationConfig } from './config.js';
import { ConsumerGroup } from './consumers.js';
import { DedupeStore } from './dedupe-store.js';
import { InvariantError, UsageError } from '../errors.js';
import { HandlerRuntime } from './handler.js';
import { Ledger } from './ledger.js';
import { Network } from './network.js';
import { Producer } from './producer.js';
import { LogBroker } from './log-broker.js';
import { QueueBroker } from './queue-broker.js';
import { SequenceBook } from './sequence-book.js';
import { EntryTable } from './entry-table.js';
import { MessageTable } from './state.js';
import type { TraceSink } from './trace.js';
import { Tracer } from './tracer.js';
import { delaysOf } from './delays.js';
import { MessageKeys } from './keys.js';
import { lossTallyOf, runSampled, samplerOf, type TimeSeries } from './time-series.js';
import type { EndReason, SimulationResult } from './simulation-result.js';

export type { EndReason, SimulationResult } from './simulation-result.js';
import { OrderBook } from './order-book.js';
import {
  TIMER_KINDS,
  zeroCounters,
  zeroFaults,
  type Counters,
  type FaultCounters,
  type ModelKernel,
  type World,
} from './world.js';

/** The counters' and fault counters' names, in the order stateHash folds them (the order they are made in). */
const COUNTER_KEYS = Object.keys(zeroCounters()) as (keyof Counters)[];
const FAULT_KEYS = Object.keys(zeroFaults()) as (keyof FaultCounters)[];
/** A simulation that can run in slices (so a caller can show progress between them). */
export class Simulation {
  private readonly world: World;
  private readonly ledger: Ledger;
  private finished: EndReason | undefined;
  private released = false;
  private readonly stateful: HashesState[];
  /** The kernel itself (the world holds it typed by event kind: ModelKernel). */
  private readonly kernel: Kernel;
  /** With config.sampleMs: the run's time series. */
  private readonly series: TimeSeries | undefined;

  constructor(config: SimulationConfig, choices: ChoiceSource, trace?: TraceSink) {
    // Room for 16 events a message up to 1,024: a simulation of a few messages (explore builds thousands) starts small.
    const kernel = new Kernel(TIMER_KINDS, Math.min(1024, 16 * Math.max(1, config.messages)));
    this.kernel = kernel;
    const messages = new MessageTable(config.messages);
    const entries = new EntryTable(Math.min(config.messages, 1024));
    const counters = zeroCounters();
    const keys = config.producer.keys.count > 0 ? new MessageKeys(config, choices) : undefined;
    const delays = delaysOf(config, choices);
    const order = keys && new OrderBook(messages, counters, keys, delays, config.consumers);
    this.world = {
      kernel: kernel as unknown as ModelKernel,
      choices,
      config,
      messages,
      entries,
      counters,
      faults: zeroFaults(),
      requests: { deletes: 0, visibilityChanges: 0, dedupeHits: 0 },
      ...(keys === undefined ? {} : { keys, order }),
      ...optional('delays', delays),
      ...(trace === undefined ? {} : { tracer: new Tracer(kernel, trace) }),
      ...optional('handler', handlerOf(config, choices, kernel)),
      ...optional('lossTally', lossTallyOf(config)),
    };
    this.ledger = new Ledger(this.world);
    const network = new Network(this.world);
    const { mode, producer: producing } = config;
    // Kafka's idempotent producer numbers its sends; the log stores each partition's in order.
    const sequenced =
      config.broker.kind === 'log' &&
      mode.idempotentPublish &&
      config.broker.publishDedupe &&
      mode.publishRetry &&
      producing.acks !== 0;
    const sequences = sequenced ? new SequenceBook(this.world, config.broker.partitions) : undefined;
    const producer = new Producer(this.world, network, this.ledger, sequences);
    const dedupe = config.mode.consumerDedupe ? new DedupeStore(config.dedupe, messages) : undefined;
    const common: HashesState[] = [
      kernel,
      producer,
      messages,
      this.world.entries,
      this.ledger,
      ...(dedupe === undefined ? [] : [dedupe]),
      ...(sequences === undefined ? [] : [sequences]),
      ...(this.world.handler === undefined ? [] : [this.world.handler]),
      ...(order === undefined ? [] : [order]),
    ];
    producer.start();
    if (config.broker.kind === 'log') {
      // The log broker runs its consumer group itself (partitions, offsets, rebalances).
      const log = new LogBroker(this.world, network, this.ledger, dedupe, sequences);
      this.stateful = [...common, log];
      this.series = samplerOf(this.world, log);
      log.start();
      return;
    }
    const broker = new QueueBroker(this.world, network, this.ledger);
    const consumers = new ConsumerGroup(this.world, network, this.ledger, dedupe);
    this.stateful = [...common, broker, consumers];
    this.series = samplerOf(this.world, { levels: () => [...entries.countStates(), consumers.upCount(), 0] });
    broker.attach(consumers);
    consumers.attach(broker);
    broker.start();
    consumers.start();
  }

  /**
   * A 64-bit hash of everything the rest of the run and its report depend on (the clock, queued
   * events, every table, every counter), but not the count of events run so far. Two runs of one
   * configuration with equal hashes between events go on alike under the same choices.
   */
  stateHash(): string {
    return this.foldState(new StateHasher()).digest();
  }

  /** Folds the state stateHash hashes into `h` (explore reuses one hasher); returns `h`. */
  foldState(h: StateHasher): StateHasher {
    if (this.released) throw new InvariantError('the state of a released simulation was hashed');
    for (const part of this.stateful) part.hashState(h);
    const { counters, faults } = this.world;
    for (const key of COUNTER_KEYS) h.num(counters[key]);
    for (const key of FAULT_KEYS) h.num(faults[key]);
    return h;
  }

  /**
   * Gives the event queue's memory to the next simulation (explore builds one per schedule; EventQueue.release).
   * Only once the simulation has ended; its state cannot be hashed after.
   */
  release(): void {
    if (this.finished === undefined) throw new InvariantError('a simulation was released before it ended');
    this.released = true;
    this.kernel.release();
  }

  /** Messages resolved so far. */
  get resolved(): number {
    return this.world.counters.resolved;
  }

  /** Events waiting in the queue. */
  get pending(): number {
    return this.world.kernel.pending;
  }

  /** Events run so far. */
  get eventsRun(): number {
    return this.world.kernel.events;
  }

  /** Virtual time reached so far. */
  get nowMs(): number {
    return this.world.kernel.now;
  }

  /**
   * Runs at most `budget` more events (all remaining if omitted). Returns true when the simulation
   * has ended.
   */
  step(budget?: number): boolean {
    if (this.finished !== undefined) return true;
    const { config, messages } = this.world;
    const kernel = this.kernel;
    if (config.messages === 0) {
      this.finished = 'resolved';
      return true;
    }
    const limits: RunLimits = {
      horizonMs: config.horizonMs,
      maxEvents: config.maxEvents ?? defaultMaxEvents(config.messages),
      maxPending: maxPendingEvents(config.messages),
    };
    if (budget !== undefined) limits.budget = budget;
    const series = this.series;
    const reason: StopReason = series === undefined ? kernel.run(limits) : runSampled(kernel, limits, series);
    if (reason === 'budget' || reason === 'paused') return false;
    this.finished = reason === 'stopped' ? 'resolved' : reason;
    series?.sample(kernel.now);
    if (this.finished === 'idle' && this.world.counters.resolved < messages.count) {
      // Nothing left to happen yet messages are unresolved: a bug in the model, not in the scenario.
      throw new InvariantError(
        `simulation went idle with ${messages.count - this.world.counters.resolved} messages unresolved`,
      );
    }
    return true;
  }

  /**
   * The promise of the user's handler that the run waits for (it paused after the handler returned it): await it,
   * then call `resume`. Undefined while the run is not waiting.
   */
  get waiting(): PromiseLike<unknown> | undefined {
    return this.world.handler?.waiting;
  }

  /** The message whose handler call the run waits for (see `waiting`), as "message 7, delivery 2". */
  get waitingFor(): string {
    return this.world.handler?.callInWords() ?? '';
  }

  /** The awaited handler's promise fulfilled (`fulfilled`) or rejected with `reason`: the processing ends. */
  resume(fulfilled: boolean, reason?: unknown): void {
    const handler = this.world.handler;
    if (handler?.waiting === undefined) throw new InvariantError('a simulation not waiting for its handler resumed');
    const call = handler.settle(fulfilled, reason);
    handler.resumer!(call);
  }

  /** Gives up the handler's call the run waits for (it will not be awaited any more): its watch ends. */
  giveUp(): void {
    this.world.handler?.abandon();
  }

  /** Runs to the end and returns the result (a synchronous handler only: see `waiting`). */
  run(): SimulationResult {
    if (!this.step()) throw new UsageError(ASYNC_REFUSED);
    return this.result();
  }

  /** The result; call after `step` returned true. */
  result(): SimulationResult {
    this.world.handler?.checkEnded();
    const { kernel, counters, faults, messages } = this.world;
    return {
      endedBy: this.finished ?? 'maxEvents',
      simulatedMs: kernel.now,
      events: kernel.events,
      counters,
      faults,
      effects: messages.effects,
      outcome: messages.outcome,
      cause: messages.cause,
      latencies: this.ledger.latencies.subarray(0, counters.processed),
      sink: this.world.config.sink,
      requests: { ...this.world.requests },
      pricing: this.world.config.broker.pricing,
      ...optional('lastWriter', this.ledger.lastWriter),
      ...optional('stateCheck', this.world.handler?.stateCheck()),
      ...optional('orderByCause', this.world.order?.byCause),
      ...optional('timeSeries', this.series?.data(this.ledger.latencies, this.world.config.mode.consumerDedupe)),
    };
  }
}

/** The runtime of the user's handler (the `handler` option), where there is one. */
function handlerOf(config: SimulationConfig, choices: ChoiceSource, kernel: Kernel): HandlerRuntime | undefined {
  if (config.handler === undefined) return undefined;
  return new HandlerRuntime(config.handler, choices, () => kernel.now, {
    crashProbability: config.consumers.crash.probability,
    exploration: config.exploration === true,
    keys: config.sink.keys,
  });
}

/** `{ [name]: value }`, or nothing when the value is undefined (an optional part of the world). */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

const ASYNC_REFUSED =
  'handler: it returned a promise where this command runs handlers synchronously only (allowed: a synchronous handler)';

/** Runs one simulation to the end. */
export function simulate(config: SimulationConfig, choices: ChoiceSource): SimulationResult {
  return new Simulation(config, choices).run();
}
