// A validated scenario, every default applied, ready to run. Its types are inferred from the schema
// (schema.ts); the model's hand-written SimulationConfig must match them field for field, or this fails to compile.
import type { DeliveryMode, SimulationConfig } from '../model/config.js';
import type { Check } from './check-expression.js';
import type { ScenarioInput } from './schema.js';

/** `T` with every field present, as the schema's defaults fill it in (arrays as they are). */
export type Filled<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]-?: Filled<T[K]> } : T;

/** The fields of a scenario file that have no default, so stay optional once resolved. */
type NoDefault = '$schema' | 'name' | 'maxEvents';
type BrokerInput = NonNullable<ScenarioInput['broker']>;

/** A scenario file with every default applied: what the schema's defaults, a profile's and the file's make. */
export type ResolvedInput = Filled<Omit<ScenarioInput, NoDefault | 'broker'>> &
  Pick<ScenarioInput, NoDefault> & { broker: Filled<Omit<BrokerInput, 'profile'>> & Pick<BrokerInput, 'profile'> };

/** The parts of a simulation configuration that a scenario (or a custom mode) sets. */
export type ScenarioConfig = Pick<
  ResolvedInput,
  | 'messages'
  | 'horizonMs'
  | 'maxEvents'
  | 'producer'
  | 'network'
  | 'broker'
  | 'consumers'
  | 'dedupe'
  | 'sink'
  | 'faults'
>;

/** `T` as one plain object type, all the way down, so two spellings of one type compare equal. */
type Plain<T> = T extends readonly (infer U)[] ? Plain<U>[] : T extends object ? { [K in keyof T]: Plain<T[K]> } : T;
type Same<A, B> = (<T>() => T extends Plain<A> ? 1 : 2) extends <T>() => T extends Plain<B> ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

/**
 * The model cannot import the schema (it sits below scenario/), so it writes its config by hand; this
 * type fails to compile when that config and the schema's differ in a field, a type or an optional mark.
 */
export type ModelConfigMatchesSchema = Assert<
  Same<ScenarioConfig, Omit<SimulationConfig, 'mode' | 'exploration' | 'handler' | 'sampleMs' | 'samplePoints'>>
>;

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

export type { Issue } from '../errors.js';
