// `explore`: exhaustive small-scope checking. Instead of drawing faults, every schedule of at most
// `maxFaults` faults is run: each decision point (a transmission that may be dropped or duplicated, a
// delivery that may crash its consumer at either crash point or stall past its visibility timeout)
// fault-free or faulty, by re-execution, breadth first by number of faults. Equal states are pruned:
// when a run reaches, between two events, a state an earlier schedule reached with at least as many
// faults left to spend, the faults after that point would repeat what was explored, so they are not
// tried again. For each mode: how many schedules, whether no-loss, no-duplicate and the scenario's
// checks hold in all of them, and the smallest counterexample (fewest faults, then fewest events).
import { LINKS, type LinkConfig, type LinkName, type SimulationConfig } from '../model/config.js';
import { Simulation } from '../model/simulation.js';
import type { Scenario } from '../scenario/types.js';
import { EXPLORATION_ONLY, ForcedChoiceSource, SeededChoiceSource, type FaultChoice } from '../sim/choice.js';
import { judge } from './checks.js';
import { measure } from './metrics.js';

/** A guarantee checked in every schedule. */
export interface GuaranteeResult {
  name: string;
  holds: boolean;
  /** Schedules in which it failed. */
  violations: number;
  /** The smallest schedule that breaks it. */
  counterexample?: { faults: FaultChoice[]; events: number };
}

/** Exploration of one mode. */
export interface ModeExploration {
  mode: string;
  schedules: number;
  /** True when the schedule limit stopped the search before the bound was covered. */
  complete: boolean;
  /** Most faults covered completely. */
  coveredFaults: number;
  /** Fault positions not tried because the run had reached a state explored before. */
  pruned: number;
  guarantees: GuaranteeResult[];
}

/** The exploration of a scenario. */
export interface Exploration {
  scenario: string;
  file: string;
  seed: number;
  messages: number;
  maxFaults: number;
  faultSpace: FaultSpace;
  modes: ModeExploration[];
}

/**
 * Which faults are decision points: `all` every kind on every link and consumer (drop, duplicate,
 * crash before or after the effect, a stall past the visibility timeout), `scenario` only those the
 * scenario gives a chance.
 */
export type FaultSpace = 'all' | 'scenario';

/** The configuration an exploration runs with: the scenario's, with every fault of the space possible. */
export function explorationConfig(config: SimulationConfig, space: FaultSpace): SimulationConfig {
  if (space === 'scenario') return config;
  const possible = (link: LinkConfig): LinkConfig => ({
    ...link,
    loss: Math.max(link.loss, EXPLORATION_ONLY),
    duplicate: Math.max(link.duplicate, EXPLORATION_ONLY),
  });
  const network = Object.fromEntries(LINKS.map((name) => [name, possible(config.network[name])])) as Record<LinkName, LinkConfig>;
  return { ...config, network, exploration: true };
}

/** Bounds of an exploration. */
export interface ExploreOptions {
  messages: number;
  maxFaults: number;
  maxSchedules: number;
  faultSpace: FaultSpace;
  /** Prune equal states (default true; off only to test that pruning changes no verdict). */
  prune?: boolean;
  modes?: readonly string[];
  seed?: number;
}

function better(a: { faults: FaultChoice[]; events: number }, b: { faults: FaultChoice[]; events: number } | undefined): boolean {
  return b === undefined || a.faults.length < b.faults.length || (a.faults.length === b.faults.length && a.events < b.events);
}

function exploreMode(scenario: Scenario, config: SimulationConfig, seed: number, options: ExploreOptions): ModeExploration {
  const checks = scenario.checks.filter((c) => c.mode === undefined || c.mode === config.mode.name);
  const guarantees: GuaranteeResult[] = [
    { name: 'no loss', holds: true, violations: 0 },
    { name: 'no duplicate', holds: true, violations: 0 },
    ...checks.map((c) => ({ name: c.check.expr, holds: true, violations: 0 })),
  ];
  let schedules = 0;
  let pruned = 0;
  let complete = true;
  let coveredFaults = options.maxFaults;
  // The `events` metric counts history, which a state leaves out: a check on it turns pruning off.
  const prune = options.prune !== false && !checks.some((c) => /\bevents\b/.test(c.check.expr));
  // State hash -> most faults left when a schedule reached it.
  const seen = new Map<string, number>();
  // Breadth first by number of faults, so a limit stops with every smaller schedule covered.
  let frontier: Array<{ forced: Map<number, number>; last: number }> = [{ forced: new Map(), last: -1 }];
  for (let faults = 0; faults <= options.maxFaults && frontier.length > 0; faults++) {
    const next: typeof frontier = [];
    const left = options.maxFaults - faults;
    for (const node of frontier) {
      if (schedules >= options.maxSchedules) {
        complete = false;
        coveredFaults = Math.min(coveredFaults, faults - 1);
        break;
      }
      const source = new ForcedChoiceSource(new SeededChoiceSource(seed), node.forced);
      const simulation = new Simulation(config, source);
      // Faults are tried at decision points before `cut` only: past it the run is in a state whose
      // futures were (or are being) explored with at least as many faults left.
      let cut = Infinity;
      if (prune && left > 0) {
        while (!simulation.step(1)) {
          if (cut !== Infinity || source.points.length <= node.last) continue;
          const state = simulation.stateHash();
          const before = seen.get(state);
          if (before !== undefined && before >= left) cut = source.points.length;
          else seen.set(state, left);
        }
      }
      const result = simulation.run();
      schedules++;
      const measured = measure(result);
      const failed = [
        measured.metrics.lost > 0,
        measured.metrics.duplicates > 0,
        ...checks.map((c) => judge(c.check, measured).status === 'fail'),
      ];
      const example = { faults: source.chosen, events: result.events };
      failed.forEach((fails, i) => {
        if (!fails) return;
        const g = guarantees[i]!;
        g.holds = false;
        g.violations++;
        if (better(example, g.counterexample)) g.counterexample = example;
      });
      if (left > 0) {
        source.points.forEach((point, position) => {
          if (position <= node.last) return;
          if (position >= cut) {
            pruned += point.faults.length;
            return;
          }
          for (const outcome of point.faults) next.push({ forced: new Map([...node.forced, [position, outcome]]), last: position });
        });
      }
    }
    if (!complete) break;
    frontier = next;
  }
  return { mode: config.mode.name, schedules, complete, coveredFaults, pruned, guarantees };
}

/** Explores every fault schedule within the bounds, for each mode of a scenario. */
export function exploreScenario(scenario: Scenario, options: ExploreOptions): Exploration {
  const seed = options.seed ?? scenario.seed;
  const wanted = options.modes;
  const modes = scenario.modes.filter((m) => wanted === undefined || wanted.length === 0 || wanted.includes(m.mode.name));
  return {
    scenario: scenario.name,
    file: scenario.file,
    seed,
    messages: options.messages,
    maxFaults: options.maxFaults,
    faultSpace: options.faultSpace,
    modes: modes.map(({ mode, config }) =>
      exploreMode(scenario, explorationConfig({ ...config, messages: options.messages, mode }, options.faultSpace), seed, options),
    ),
  };
}
