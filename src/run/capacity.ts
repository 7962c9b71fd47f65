// Whether the consumers can keep up with the producer, from the configuration alone: a producer faster
// than the consumers' capacity makes the backlog, and so latency, grow for as long as the run lasts.
import type { SimulationConfig } from '../model/config.js';
import { sampler } from '../sim/distribution.js';
import { count } from '../number-text.js';

/** The producer's rate against the consumers' capacity, with what the capacity is made of. */
export interface Load {
  /** Messages per second offered to the broker (the producer's rate, under the broker's publish limit). */
  arrivalPerSec: number;
  /** Messages per second the consumers can process: workers × 1000 / mean processing time. */
  capacityPerSec: number;
  /** Consumers that receive messages (on a log, at most one per partition). */
  consumers: number;
  /** Messages each of them processes at once. */
  workersEach: number;
  /** Mean processing time of one message, in ms. */
  meanProcessingMs: number;
}

/** The load a configuration puts on its consumers (retries and redeliveries left out: they only add to it). */
export function loadOf(config: Pick<SimulationConfig, 'producer' | 'broker' | 'consumers'>): Load {
  const { producer, broker, consumers } = config;
  const arrivalPerSec =
    broker.maxPublishPerSec > 0 ? Math.min(producer.ratePerSec, broker.maxPublishPerSec) : producer.ratePerSec;
  const log = broker.kind === 'log';
  const active = log ? Math.min(consumers.count, broker.partitions) : consumers.count;
  // A log consumer with a sync poll loop (or in a transaction) processes one record at a time.
  const workersEach = log && (consumers.pollLoop !== 'async' || consumers.transactional) ? 1 : consumers.concurrency;
  const meanProcessingMs = sampler(consumers.processingMs).mean;
  const capacityPerSec = meanProcessingMs <= 0 ? Infinity : (active * workersEach * 1000) / meanProcessingMs;
  return { arrivalPerSec, capacityPerSec, consumers: active, workersEach, meanProcessingMs };
}

/** True when the producer offers more than the consumers can process: the backlog grows without bound. */
export function overloaded(load: Load): boolean {
  return load.arrivalPerSec > load.capacityPerSec;
}

/** Number with up to three significant digits: 1,200, 33.3, 0.5. */
function rate(value: number): string {
  return value >= 100 ? count(Math.round(value)) : String(Number(value.toPrecision(3)));
}

/** The warning for an overloaded configuration, with its numbers. */
export function overloadText(load: Load): string {
  const consumers = `${load.consumers} consumer${load.consumers === 1 ? '' : 's'}`;
  const workers = load.workersEach === 1 ? '' : ` × ${load.workersEach} at once`;
  return (
    `overloaded: the producer sends ${rate(load.arrivalPerSec)} msg/s, the consumers can process ${rate(load.capacityPerSec)} msg/s ` +
    `(${consumers}${workers}, ${rate(load.meanProcessingMs)} ms mean processing): backlog and latency grow as long as it runs`
  );
}

/**
 * The overload warnings of a scenario's modes: one line when every overloaded mode has the same numbers
 * (the usual case: modes rarely change rates), else one per mode, prefixed by its name.
 */
export function overloadWarnings(
  modes: ReadonlyArray<{ name: string; config: Pick<SimulationConfig, 'producer' | 'broker' | 'consumers'> }>,
): string[] {
  const found = modes.map((m) => ({ name: m.name, load: loadOf(m.config) })).filter((m) => overloaded(m.load));
  const texts = [...new Set(found.map((m) => overloadText(m.load)))];
  if (texts.length === 0) return [];
  if (texts.length === 1) {
    const which = found.length === modes.length ? '' : `${found.map((m) => m.name).join(', ')}: `;
    return [`${which}${texts[0]!}`];
  }
  return found.map((m) => `${m.name}: ${overloadText(m.load)}`);
}
