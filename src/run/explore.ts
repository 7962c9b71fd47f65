// `explore`: exhaustive small-scope checking. Instead of drawing faults, every schedule of at most
// `maxFaults` faults is run: each decision point (a transmission that may be dropped or duplicated, a
// delivery that may crash its consumer) fault-free or faulty, by depth-first re-execution. For each
// mode: how many schedules, whether no-loss, no-duplicate and the scenario's checks hold in all of them,
// and the smallest counterexample (fewest faults, then fewest events).
import type { SimulationConfig } from '../model/config.js';
import { Simulation } from '../model/simulation.js';
import type { Scenario } from '../scenario/types.js';
import { ForcedChoiceSource, SeededChoiceSource, type FaultChoice } from '../sim/choice.js';
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
  guarantees: GuaranteeResult[];
}

/** The exploration of a scenario. */
export interface Exploration {
  scenario: string;
  file: string;
  seed: number;
  messages: number;
  maxFaults: number;
  modes: ModeExploration[];
}

/** Bounds of an exploration. */
export interface ExploreOptions {
  messages: number;
  maxFaults: number;
  maxSchedules: number;
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
  let complete = true;
  let coveredFaults = options.maxFaults;
  // Breadth first by number of faults, so a limit stops with every smaller schedule covered.
  let frontier: Array<{ forced: Map<number, number>; last: number }> = [{ forced: new Map(), last: -1 }];
  for (let faults = 0; faults <= options.maxFaults && frontier.length > 0; faults++) {
    const next: typeof frontier = [];
    for (const node of frontier) {
      if (schedules >= options.maxSchedules) {
        complete = false;
        coveredFaults = Math.min(coveredFaults, faults - 1);
        break;
      }
      const source = new ForcedChoiceSource(new SeededChoiceSource(seed), node.forced);
      const result = new Simulation(config, source).run();
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
      if (faults < options.maxFaults) {
        source.points.forEach((point, position) => {
          if (position <= node.last) return;
          for (const outcome of point.faults) next.push({ forced: new Map([...node.forced, [position, outcome]]), last: position });
        });
      }
    }
    if (!complete) break;
    frontier = next;
  }
  return { mode: config.mode.name, schedules, complete, coveredFaults, guarantees };
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
    modes: modes.map(({ mode, config }) => exploreMode(scenario, { ...config, messages: options.messages, mode }, seed, options)),
  };
}
