// Builders for tests: a full simulation configuration from a few overrides, and runs of it.
import type { DeliveryMode, SimulationConfig } from '../src/model/config.js';
import { simulate, type SimulationResult } from '../src/model/simulation.js';
import { measure, type Measured } from '../src/run/metrics.js';
import { PRESET_MODES } from '../src/scenario/modes.js';
import { SeededChoiceSource, type ChoiceSource } from '../src/sim/choice.js';
import { merge } from '../src/scenario/defaults.js';

/** A preset mode by name. */
export function preset(name: 'at-most-once' | 'at-least-once' | 'exactly-once'): DeliveryMode {
  return { name, ...PRESET_MODES[name]! };
}

const link = { loss: 0, duplicate: 0, latencyMs: 1 };

/** A fault-free configuration, with overrides merged in. */
export function config(overrides: Record<string, unknown> = {}): SimulationConfig {
  const base: SimulationConfig = {
    messages: 1000,
    horizonMs: 1e12,
    maxEvents: 2e7,
    producer: {
      ratePerSec: 100,
      acks: 'all',
      arrivals: 'constant',
      confirmTimeoutMs: 1000,
      retry: { maxAttempts: 10, backoff: 'exponential', baseMs: 100, maxMs: 1000, jitter: 'full' },
      crash: { probability: 0, restartMs: 1000 },
      outbox: false,
      maxInFlight: 0,
      idempotent: 'by-mode',
    },
    network: { publish: { ...link }, confirm: { ...link }, deliver: { ...link }, ack: { ...link } },
    broker: {
      kind: 'queue',
      partitions: 1,
      replicas: 1,
      replicationLagMs: 5,
      visibilityTimeoutMs: 30000,
      maxDeliveries: 0,
      retentionMs: 0,
      durable: true,
      maxPublishPerSec: 0,
      publishDedupeWindowMs: 300000,
      publishDedupe: true,
      deadLetter: true,
      visibilityTimeoutScope: 'delivery',
      prefetchCountsUnacked: false,
      requeueOnDisconnect: false,
      delivery: 'push',
      redeliveryBackoff: { minMs: 0, maxMs: 0 },
    },
    consumers: {
      count: 2,
      prefetch: 4,
      concurrency: 1,
      processingMs: 5,
      crash: { probability: 0, point: 'after-effect', restartMs: 1000 },
      poisonRate: 0,
      commit: 'by-mode',
      autoCommitIntervalMs: 5000,
      maxPollRecords: 500,
      maxPollIntervalMs: 300000,
      sessionTimeoutMs: 45000,
      pollLoop: 'sync',
      fetchWaitMs: 500,
      transactional: false,
    },
    dedupe: { windowMs: 0, capacity: 0, atomic: true },
    sink: { effect: 'increment', amount: 1, keys: 0, isolation: 'read_uncommitted' },
    faults: [],
    mode: preset('at-least-once'),
  };
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
