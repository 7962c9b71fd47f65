// Builders for tests: a full simulation configuration from the schema's defaults and a few typed
// overrides (a misspelled field does not compile), and runs of it.
import type { DeliveryMode, SimulationConfig } from '../src/model/config.js';
import { simulate, type SimulationResult } from '../src/model/simulation.js';
import { measure, type Measured } from '../src/run/metrics.js';
import { merge, scenarioDefaults } from '../src/scenario/defaults.js';
import { PRESET_MODES } from '../src/scenario/modes.js';
import { SeededChoiceSource, type ChoiceSource } from '../src/sim/choice.js';

/** A preset mode by name. */
export function preset(name: 'at-most-once' | 'at-least-once' | 'exactly-once'): DeliveryMode {
  return { name, ...PRESET_MODES[name]! };
}

/**
 * `T` with every field optional, at any depth. A list (faults) and a distribution replace the default
 * whole, as merge does, so they are written whole.
 */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends { dist: string }
    ? T
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/** What a test changes in a configuration. */
export type ConfigOverrides = DeepPartial<SimulationConfig>;

/**
 * Where the tests' configuration departs from the schema's defaults: fewer messages, a horizon and an
 * event limit no run reaches, two consumers holding four deliveries each, faster processing, a shorter
 * publish-confirm timeout and consumer restart.
 */
const TEST_BASE: ConfigOverrides = {
  messages: 1000,
  horizonMs: 1e12,
  maxEvents: 2e7,
  producer: { confirmTimeoutMs: 1000 },
  consumers: { count: 2, prefetch: 4, processingMs: 5, crash: { restartMs: 1000 } },
};

/** Optional fields the defaults leave out, which an override may still set. */
const OPTIONAL_FIELDS = new Set(['broker.profile', 'exploration']);

/** Dotted paths of `overrides` that name no field of `base`: a misspelling the compiler cannot see in a spread. */
function unknownFields(base: unknown, overrides: unknown, at = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(base) || !isObject(overrides)) return [];
  return Object.entries(overrides).flatMap(([key, value]) => {
    if (key in base) return unknownFields(base[key], value, `${at}${key}.`);
    return OPTIONAL_FIELDS.has(`${at}${key}`) ? [] : [`${at}${key}`];
  });
}

/**
 * A fault-free at-least-once configuration: the schema's defaults, then TEST_BASE, then `overrides`.
 * A field no configuration has throws, even where the compiler let it through.
 */
export function config(overrides: ConfigOverrides = {}): SimulationConfig {
  const { messages, horizonMs, producer, network, broker, consumers, dedupe, sink, faults } = scenarioDefaults();
  const defaults: SimulationConfig = {
    messages,
    horizonMs,
    producer,
    network,
    broker,
    consumers,
    dedupe,
    sink,
    faults,
    mode: preset('at-least-once'),
  };
  const base = merge(defaults, TEST_BASE);
  const unknown = unknownFields(base, overrides);
  if (unknown.length > 0) throw new Error(`config(): no such field ${unknown.join(', ')}`);
  return merge(base, overrides);
}

/** Runs a configuration with a seed. */
export function run(cfg: SimulationConfig, seed: number | ChoiceSource = 1): SimulationResult {
  return simulate(cfg, typeof seed === 'number' ? new SeededChoiceSource(seed) : seed);
}

/** Runs and measures. */
export function measured(cfg: SimulationConfig, seed: number | ChoiceSource = 1): Measured {
  return measure(run(cfg, seed));
}
