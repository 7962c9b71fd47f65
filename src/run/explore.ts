// `explore`: exhaustive small-scope checking. Instead of drawing faults, every schedule of at most
// `maxFaults` faults is run: each decision point (a transmission that may be dropped or duplicated, a
// delivery that may crash its consumer at either crash point or stall past its visibility timeout)
// fault-free or faulty, by re-execution, breadth first by number of faults. Equal states are pruned:
// when a run reaches, between two events, a state an earlier schedule reached with at least as many
// faults left to spend and as many events run, the faults after that point would repeat what was explored,
// so they are not tried again. For each mode: how many schedules, whether no-loss, no-duplicate and the scenario's
// checks hold in all of them, and the smallest counterexample (fewest faults, then fewest events).
// Each schedule runs at most `maxEvents` events (far below a run's limit) and checks the time limit as
// it steps: a schedule that loops (a delivery storm) ends the mode as inconclusive, never as a hang.
import { defaultMaxEvents, LINKS, type LinkConfig, type LinkName, type SimulationConfig } from '../model/config.js';
import type { Scenario } from '../scenario/types.js';
import { EXPLORATION_ONLY } from '../sim/choice.js';
import { exploreMode } from './explore-search.js';
import {
  MAX_SCHEDULE_EVENTS,
  type Exploration,
  type ExploreOptions,
  type FaultSpace,
  type ModeExploration,
} from './explore-types.js';
import { runConfig } from './prepare.js';

// The parts: explore-types.ts (what goes in and out), explore-search.ts (one mode's breadth-first
// search), explore-schedule.ts (one schedule, and the states it compares for pruning).
export { MAX_SCHEDULE_EVENTS, MAX_STATES } from './explore-types.js';
export type { Exploration, ExploreOptions, FaultSpace, GuaranteeResult, ModeExploration } from './explore-types.js';

/** The configuration an exploration runs with: the scenario's, with every fault of the space possible. */
export function explorationConfig(config: SimulationConfig, space: FaultSpace): SimulationConfig {
  if (space === 'scenario') return config;
  const possible = (link: LinkConfig): LinkConfig => ({
    ...link,
    loss: Math.max(link.loss, EXPLORATION_ONLY),
    duplicate: Math.max(link.duplicate, EXPLORATION_ONLY),
  });
  const network = Object.fromEntries(LINKS.map((name) => [name, possible(config.network[name])])) as Record<
    LinkName,
    LinkConfig
  >;
  return { ...config, network, exploration: true };
}

/** The modes an exploration covers, in the scenario's order, each with the configuration its schedules run. */
export function explorationModes(
  scenario: Scenario,
  options: ExploreOptions,
): Array<{ mode: string; config: SimulationConfig }> {
  const wanted = options.modes;
  const modes = scenario.modes.filter(
    (m) => wanted === undefined || wanted.length === 0 || wanted.includes(m.mode.name),
  );
  return modes.map(({ mode, config }) => {
    const cap = options.maxEvents ?? MAX_SCHEDULE_EVENTS;
    const maxEvents = Math.min(config.maxEvents ?? defaultMaxEvents(options.messages), cap);
    const prepared = explorationConfig({ ...runConfig(config, mode, options), maxEvents }, options.faultSpace);
    return { mode: mode.name, config: prepared };
  });
}

/**
 * Explores, in order (or `fromEnd`), the modes of the exploration (explorationModes) that `claim` gives this
 * thread: all of them by default; explore-command's helper threads claim modes too (cli/explore-threads.ts). Each
 * mode's search depends on nothing but its own configuration, so who explores it changes nothing in its result.
 * Entry i: mode i's exploration, or undefined.
 */
export async function exploreClaimed(
  scenario: Scenario,
  options: ExploreOptions,
  claim: (index: number) => boolean = () => true,
  { fromEnd = false, onExplored }: { fromEnd?: boolean; onExplored?: (index: number, m: ModeExploration) => void } = {},
): Promise<Array<ModeExploration | undefined>> {
  const seed = options.seed ?? scenario.seed;
  const modes = explorationModes(scenario, options);
  const explored: Array<ModeExploration | undefined> = modes.map(() => undefined);
  for (let k = 0; k < modes.length; k++) {
    const index = fromEnd ? modes.length - 1 - k : k;
    if (!claim(index)) continue;
    const exploration = await exploreMode(scenario, modes[index]!.config, seed, options);
    explored[index] = exploration;
    onExplored?.(index, exploration);
  }
  return explored;
}

/** The exploration of a scenario, from each mode's (in explorationModes' order). */
export function explorationOf(scenario: Scenario, options: ExploreOptions, modes: ModeExploration[]): Exploration {
  return {
    scenario: scenario.name,
    file: scenario.file,
    seed: options.seed ?? scenario.seed,
    messages: options.messages,
    maxFaults: options.maxFaults,
    faultSpace: options.faultSpace,
    modes,
  };
}

/** Explores every fault schedule within the bounds, for each mode of a scenario. */
export async function exploreScenario(scenario: Scenario, options: ExploreOptions): Promise<Exploration> {
  const modes = await exploreClaimed(scenario, options);
  return explorationOf(scenario, options, modes as ModeExploration[]);
}
