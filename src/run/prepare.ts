// The two seams every run is prepared through: a scenario's mode and the command line's overrides give
// a config; a config and a seed give a seeded simulation.
import type { DeliveryMode, SimulationConfig } from '../model/config.js';
import type { UserCode } from '../model/handler.js';
import { Simulation } from '../model/simulation.js';
import type { TraceSink } from '../model/trace.js';
import type { Scenario, ScenarioConfig } from '../scenario/types.js';
import { ScriptedChoiceSource, SeededChoiceSource, type ChoiceSource, type FaultChoice } from '../sim/choice.js';

// The user's consumer code, as the library (src/api/) takes it: the model's types, through this seam.
export type {
  Handler,
  HandlerContext,
  HandlerMessage,
  HandlerStore,
  HandlerTransaction,
  PayloadGenerator,
  UserCode,
} from '../model/handler.js';

/** What a command line (or the library) may set over a scenario's own config. */
export interface ConfigOverrides {
  /** Messages to run instead of the scenario's. */
  messages?: number | undefined;
  /** The user's consumer code, run where the consumers' effect is (the library's `handler`). */
  handler?: UserCode | undefined;
}

/** The config one mode runs with: the scenario's config, the overrides over it, and the mode. */
export function runConfig(
  config: ScenarioConfig | SimulationConfig,
  mode: DeliveryMode,
  overrides: ConfigOverrides = {},
): SimulationConfig {
  const run: SimulationConfig = { ...config, messages: overrides.messages ?? config.messages, mode };
  if (overrides.handler !== undefined) run.handler = overrides.handler;
  return run;
}

/** The config of the scenario's mode named `mode` (which must exist), with the overrides. */
export function modeConfig(scenario: Scenario, mode: string, overrides: ConfigOverrides = {}): SimulationConfig {
  const selected = scenario.modes.find((m) => m.mode.name === mode)!;
  return runConfig(selected.config, selected.mode, overrides);
}

/** How a seeded simulation is built beyond its config and seed. */
export interface SimulationOptions {
  /** Exactly these faults and no other (a replay, a shrink trial). */
  faults?: readonly FaultChoice[] | undefined;
  /** Wraps the seeded source (recording, fingerprinting, forcing choices); the wrapper is what the model asks. */
  wrap?: (seeded: ChoiceSource) => ChoiceSource;
  /** Receives every trace event. */
  trace?: TraceSink;
}

/** A simulation whose every choice comes from `seed` (through the faults or the wrapper given). */
export function seededSimulation(config: SimulationConfig, seed: number, options: SimulationOptions = {}): Simulation {
  const seeded = new SeededChoiceSource(seed);
  const scripted = options.faults === undefined ? seeded : new ScriptedChoiceSource(seeded, options.faults);
  return new Simulation(config, options.wrap === undefined ? scripted : options.wrap(scripted), options.trace);
}
