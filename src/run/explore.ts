// `explore`: exhaustive small-scope checking. Instead of drawing faults, every schedule of at most
// `maxFaults` faults is run: each decision point (a transmission that may be dropped or duplicated, a
// delivery that may crash its consumer at either crash point or stall past its visibility timeout)
// fault-free or faulty, by re-execution, breadth first by number of faults. Equal states are pruned:
// when a run reaches, between two events, a state an earlier schedule reached with at least as many
// faults left to spend, the faults after that point would repeat what was explored, so they are not
// tried again. For each mode: how many schedules, whether no-loss, no-duplicate and the scenario's
// checks hold in all of them, and the smallest counterexample (fewest faults, then fewest events).
// Each schedule runs at most `maxEvents` events (far below a run's limit) and checks the time limit as
// it steps: a schedule that loops (a delivery storm) ends the mode as inconclusive, never as a hang.
import { defaultMaxEvents, LINKS, type LinkConfig, type LinkName, type SimulationConfig } from '../model/config.js';
import { type SimulationResult } from '../model/simulation.js';
import type { Scenario, ScenarioCheck } from '../scenario/types.js';
import { EXPLORATION_ONLY, ForcedChoiceSource, type FaultChoice } from '../sim/choice.js';
import { judge } from './checks.js';
import { measure } from './metrics.js';
import { runConfig, seededSimulation } from './prepare.js';

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
  /** The bound that stopped the search before it covered `maxFaults` (absent when complete). */
  limit?: 'schedules' | 'time' | 'events';
  /** With limit `events`: the schedule that reached its event limit before every message was resolved. */
  unfinished?: { faults: FaultChoice[]; events: number; endedBy: string };
  /** True when the store of explored states was full, so later states were not remembered (less pruning, same
   * verdicts). */
  statesFull?: boolean;
  /**
   * Set when no fault position was explored at all, only the schedule without faults: `maxFaults`
   * (--max-faults 0) or `none` (the fault space has no decision point in this mode). A guarantee that
   * holds then holds without faults, which proves nothing about faults: the verdict is inconclusive.
   */
  noFaultExplored?: 'maxFaults' | 'none';
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
  const network = Object.fromEntries(LINKS.map((name) => [name, possible(config.network[name])])) as Record<
    LinkName,
    LinkConfig
  >;
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
  /** Called as each mode starts; the function it returns says when that mode's time is up (no clock here). */
  timeLimit?: () => () => boolean;
  /** Most explored states remembered for pruning (default MAX_STATES). */
  maxStates?: number;
  /** Most events one schedule may run (default MAX_SCHEDULE_EVENTS; the scenario's maxEvents when lower). */
  maxEvents?: number;
}

/**
 * The most events one schedule runs by default. The longest schedule of the built-in scenarios takes
 * about 12,000 (a log consumer polling through a fault); a schedule that needs more loops, and costs
 * memory for every decision point it meets and time for every state it hashes.
 */
export const MAX_SCHEDULE_EVENTS = 100_000;

/**
 * Hashing a state costs about 0.3 µs per event waiting in the queue, at every event of a schedule.
 * States with more than MAX_HASHED_PENDING events waiting are neither remembered nor compared, and a
 * schedule stops comparing once it has folded HASH_BUDGET waiting events: pruning would cost more than
 * it saves (a schedule piling up timers is looping). The built-in scenarios, with up to 20 messages
 * and one fault, fold at most about 530,000 per schedule. Fewer comparisons prune less and change no
 * verdict.
 */
const MAX_HASHED_PENDING = 1024;
const HASH_BUDGET = 4_000_000;

/** Events run between two looks at the clock when a schedule is not stepped one event at a time. */
const SLICE_EVENTS = 4096;

/** The most explored states remembered for pruning: about 100 MB. Past it, states are not remembered. */
export const MAX_STATES = 1_000_000;

/** A schedule still to run: its forced faults as [position, outcome, position, outcome, ...], in order. */
type Node = readonly number[];

function better(
  a: { faults: FaultChoice[]; events: number },
  b: { faults: FaultChoice[]; events: number } | undefined,
): boolean {
  return (
    b === undefined || a.faults.length < b.faults.length || (a.faults.length === b.faults.length && a.events < b.events)
  );
}

/** Explored states (hash -> most faults left when a schedule reached it), up to a bound. */
interface StateStore {
  seen: Map<string, number>;
  max: number;
  /** True once a state was not stored because the store was full. */
  full: boolean;
}

/**
 * Runs the schedule `node`. With a store, also returns `from`: the first decision point reached in a
 * state some schedule reached before with at least `left` faults to spend (Infinity if none), past
 * which its futures were (or are being) explored.
 */
function runSchedule(
  config: SimulationConfig,
  seed: number,
  node: Node,
  left: number,
  store: StateStore | undefined,
  timeUp: () => boolean,
): { source: ForcedChoiceSource; result: SimulationResult; from: number; last: number } | 'time' {
  const forced = new Map<number, number>();
  for (let i = 0; i < node.length; i += 2) forced.set(node[i]!, node[i + 1]!);
  const last = node.length === 0 ? -1 : node[node.length - 2]!;
  let source!: ForcedChoiceSource;
  const simulation = seededSimulation(config, seed, { wrap: (s) => (source = new ForcedChoiceSource(s, forced)) });
  let from = Infinity;
  if (store !== undefined && left > 0) {
    let folded = 0;
    // One event at a time, to compare the state between events; the clock is read every 64 steps.
    for (let steps = 1; folded < HASH_BUDGET && !simulation.step(1); steps++) {
      if ((steps & 63) === 0 && timeUp()) return 'time';
      if (from !== Infinity || source.points.length <= last || simulation.pending > MAX_HASHED_PENDING) continue;
      folded += simulation.pending;
      const state = simulation.stateHash();
      const before = store.seen.get(state);
      if (before !== undefined && before >= left) from = source.points.length;
      else if (before !== undefined || store.seen.size < store.max) store.seen.set(state, left);
      else store.full = true;
    }
  }
  while (!simulation.step(SLICE_EVENTS)) if (timeUp()) return 'time';
  return { source, result: simulation.result(), from, last };
}

/** Records one schedule's verdict on each guarantee, keeping the smallest counterexample. */
function record(
  guarantees: GuaranteeResult[],
  checks: readonly ScenarioCheck[],
  result: SimulationResult,
  faults: FaultChoice[],
): void {
  const measured = measure(result);
  const failed = [
    measured.metrics.lost > 0,
    measured.metrics.duplicates > 0,
    ...checks.map((c) => judge(c.check, measured).status === 'fail'),
  ];
  const example = { faults, events: result.events };
  failed.forEach((fails, i) => {
    if (!fails) return;
    const g = guarantees[i]!;
    g.holds = false;
    g.violations++;
    if (better(example, g.counterexample)) g.counterexample = example;
  });
}

function exploreMode(
  scenario: Scenario,
  config: SimulationConfig,
  seed: number,
  options: ExploreOptions,
): ModeExploration {
  const checks = scenario.checks.filter((c) => c.mode === undefined || c.mode === config.mode.name);
  const guarantees: GuaranteeResult[] = [
    { name: 'no loss', holds: true, violations: 0 },
    { name: 'no duplicate', holds: true, violations: 0 },
    ...checks.map((c) => ({ name: c.check.expr, holds: true, violations: 0 })),
  ];
  let schedules = 0;
  let pruned = 0;
  let faultySchedules = 0;
  let complete = true;
  let coveredFaults = options.maxFaults;
  let limit: ModeExploration['limit'];
  let unfinished: ModeExploration['unfinished'];
  const timeUp = options.timeLimit?.() ?? (() => false);
  // The `events` metric counts history, which a state leaves out: a check on it turns pruning off.
  const prune = options.prune !== false && !checks.some((c) => /\bevents\b/.test(c.check.expr));
  const store: StateStore | undefined = prune
    ? { seen: new Map(), max: options.maxStates ?? MAX_STATES, full: false }
    : undefined;
  // Breadth first by number of faults, so a limit stops with every smaller schedule covered. A level
  // keeps only the schedules the limit lets run (`cut` when it had more): memory stays within the limit.
  let frontier: Node[] = [[]];
  let cut = false;
  for (let faults = 0; faults <= options.maxFaults && frontier.length > 0; faults++) {
    const next: Node[] = [];
    let nextCut = false;
    const left = options.maxFaults - faults;
    for (let index = 0; index < frontier.length; index++) {
      const stop = schedules >= options.maxSchedules ? 'schedules' : timeUp() ? 'time' : undefined;
      if (stop !== undefined) {
        complete = false;
        limit = stop;
        coveredFaults = Math.min(coveredFaults, faults - 1);
        break;
      }
      const node = frontier[index]!;
      const ran = runSchedule(config, seed, node, left, store, timeUp);
      if (ran === 'time') {
        complete = false;
        limit = 'time';
        coveredFaults = Math.min(coveredFaults, faults - 1);
        break;
      }
      const { source, result, from, last } = ran;
      schedules++;
      if (node.length > 0) faultySchedules++;
      // A schedule cut short keeps what it settled (a loss or a duplicate stays one), and nothing more.
      record(guarantees, checks, result, source.chosen);
      if (result.endedBy === 'maxEvents' || result.endedBy === 'maxPending') {
        complete = false;
        limit = 'events';
        coveredFaults = Math.min(coveredFaults, faults - 1);
        unfinished = { faults: source.chosen, events: result.events, endedBy: result.endedBy };
        break;
      }
      if (left === 0) continue;
      // Schedules of the next level that can still run within the schedule limit.
      let room = options.maxSchedules - schedules - (frontier.length - index - 1) - next.length;
      source.points.forEach((point, position) => {
        if (position <= last) return;
        if (position >= from) {
          pruned += point.faults.length;
          return;
        }
        for (const outcome of point.faults) {
          if (room-- > 0) next.push([...node, position, outcome]);
          else nextCut = true;
        }
      });
    }
    // A level cut short by the room left is covered only up to the level before it.
    if (complete && cut) {
      complete = false;
      limit = 'schedules';
      coveredFaults = faults - 1;
    }
    if (!complete) break;
    frontier = next;
    cut = nextCut;
  }
  const exploration: ModeExploration = {
    mode: config.mode.name,
    schedules,
    complete,
    coveredFaults,
    pruned,
    guarantees,
  };
  if (limit !== undefined) exploration.limit = limit;
  if (unfinished !== undefined) exploration.unfinished = unfinished;
  if (store?.full === true) exploration.statesFull = true;
  if (complete && faultySchedules === 0 && pruned === 0)
    exploration.noFaultExplored = options.maxFaults === 0 ? 'maxFaults' : 'none';
  return exploration;
}

/** Explores every fault schedule within the bounds, for each mode of a scenario. */
export function exploreScenario(scenario: Scenario, options: ExploreOptions): Exploration {
  const seed = options.seed ?? scenario.seed;
  const wanted = options.modes;
  const modes = scenario.modes.filter(
    (m) => wanted === undefined || wanted.length === 0 || wanted.includes(m.mode.name),
  );
  return {
    scenario: scenario.name,
    file: scenario.file,
    seed,
    messages: options.messages,
    maxFaults: options.maxFaults,
    faultSpace: options.faultSpace,
    modes: modes.map(({ mode, config }) => {
      const cap = options.maxEvents ?? MAX_SCHEDULE_EVENTS;
      const maxEvents = Math.min(config.maxEvents ?? defaultMaxEvents(options.messages), cap);
      const explored = explorationConfig({ ...runConfig(config, mode, options), maxEvents }, options.faultSpace);
      return exploreMode(scenario, explored, seed, options);
    }),
  };
}
