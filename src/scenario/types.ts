// A validated scenario, every default applied, ready to run.
import type { DeliveryMode, SimulationConfig } from '../model/config.js';
import type { Check } from './check-expression.js';

/** The parts of a simulation configuration that a scenario (or a custom mode) sets. */
export type ScenarioConfig = Omit<SimulationConfig, 'mode'>;

/** One delivery mode of a scenario with its own (possibly overridden) configuration. */
export interface ScenarioMode {
  mode: DeliveryMode;
  config: ScenarioConfig;
}

/** A check from a scenario's `expect:` or from the command line. */
export interface ScenarioCheck {
  /** Mode the check applies to, or undefined for every mode. */
  mode: string | undefined;
  check: Check;
  source: 'scenario' | 'cli';
  /** The determinism check of --check-determinism (judged from replays, not from a metric). */
  determinism?: true;
}

/** A scenario ready to run. */
export interface Scenario {
  name: string;
  /** The path as the user gave it (or the built-in's path). */
  file: string;
  summary: string;
  description: string;
  seed: number;
  /** The broker profile swapped in from the command line (`--profile`), which reproducing needs. */
  profileOverride?: string;
  config: ScenarioConfig;
  modes: ScenarioMode[];
  checks: ScenarioCheck[];
}

/** One problem in a scenario file or command line. */
export interface Issue {
  file: string;
  line?: number;
  column?: number;
  /** Dotted path of the field, e.g. `producer.retry.maxMs` or `faults[0].atMs`. */
  path: string;
  message: string;
}
