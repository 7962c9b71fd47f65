// One mode's search: its schedules breadth first by number of faults within the schedule, time and
// event limits, each schedule's verdict on every guarantee, and the mode's exploration from what it found.
import type { SimulationConfig } from '../model/config.js';
import type { SimulationResult } from '../model/simulation.js';
import type { Scenario, ScenarioCheck } from '../scenario/types.js';
import { SeededChoiceSource, type ChoiceSource, type FaultChoice } from '../sim/choice.js';
import { judge } from './checks.js';
import { runSchedule, type Node, type StateStore } from './explore-schedule.js';
import { MAX_STATES, type ExploreOptions, type GuaranteeResult, type ModeExploration } from './explore-types.js';
import { measure, readsLatency } from './metrics.js';

/** Whether counterexample `a` is smaller than `b`: fewer faults, then fewer events. */
function better(
  a: { faults: FaultChoice[]; events: number },
  b: { faults: FaultChoice[]; events: number } | undefined,
): boolean {
  return (
    b === undefined || a.faults.length < b.faults.length || (a.faults.length === b.faults.length && a.events < b.events)
  );
}

/** Records one schedule's verdict on each guarantee, keeping the smallest counterexample. */
function record(
  { guarantees, checks, latency }: Pick<Level, 'guarantees' | 'checks' | 'latency'>,
  result: SimulationResult,
  faults: FaultChoice[],
): void {
  // The latencies only when a check reads one: a schedule's verdicts need nothing else of them.
  const measured = measure(result, latency);
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

/** How far a mode's search got: what it ran and pruned, and the bound that stopped it. */
interface Search {
  schedules: number;
  pruned: number;
  faultySchedules: number;
  complete: boolean;
  /** Most faults covered completely. */
  coveredFaults: number;
  limit?: ModeExploration['limit'];
  unfinished?: ModeExploration['unfinished'];
}

/** What every schedule of a mode runs and is judged with. */
interface Level {
  config: SimulationConfig;
  /** The choices of the seed, which every schedule's forced faults wrap. */
  seeded: ChoiceSource;
  options: ExploreOptions;
  checks: readonly ScenarioCheck[];
  /** Whether some check reads a latency (else schedules are measured without them). */
  latency: boolean;
  guarantees: GuaranteeResult[];
  store: StateStore | undefined;
  timeUp: () => boolean;
}

/** Stops the search at `limit` in the level of `faults` faults: only the levels before it are covered. */
function stop(search: Search, limit: NonNullable<ModeExploration['limit']>, faults: number): void {
  search.complete = false;
  search.limit = limit;
  search.coveredFaults = Math.min(search.coveredFaults, faults - 1);
}

/**
 * Runs the schedules of one level (`faults` faults each) until a limit stops the search; returns the
 * next level's schedules, and `cut` when the schedule limit left no room for some of them.
 */
async function runLevel(
  level: Level,
  search: Search,
  frontier: readonly Node[],
  faults: number,
): Promise<{ next: Node[]; cut: boolean }> {
  const { options } = level;
  const next: Node[] = [];
  let cut = false;
  const left = options.maxFaults - faults;
  for (let index = 0; index < frontier.length; index++) {
    const limit = search.schedules >= options.maxSchedules ? 'schedules' : level.timeUp() ? 'time' : undefined;
    if (limit !== undefined) {
      stop(search, limit, faults);
      break;
    }
    const node = frontier[index]!;
    const ran = await runSchedule(level.config, level.seeded, node, left, level.store, level.timeUp);
    if (ran === 'time') {
      stop(search, 'time', faults);
      break;
    }
    const { source, result, from, last } = ran;
    search.schedules++;
    if (node.length > 0) search.faultySchedules++;
    // A schedule cut short keeps what it settled (a loss or a duplicate stays one), and nothing more.
    record(level, result, source.chosen);
    // A schedule that stopped before every message was resolved (its event limit, a full queue, or the
    // scenario's horizonMs, past which a redelivery or a retry may still come) settles nothing it did not break.
    if (result.endedBy !== 'resolved') {
      stop(search, 'events', faults);
      search.unfinished = { faults: source.chosen, events: result.events, endedBy: result.endedBy };
      break;
    }
    if (left === 0) continue;
    // Schedules of the next level that can still run within the schedule limit.
    let room = options.maxSchedules - search.schedules - (frontier.length - index - 1) - next.length;
    source.points.forEach((point, position) => {
      if (position <= last) return;
      if (position >= from) {
        search.pruned += point.faults.length;
        return;
      }
      for (const outcome of point.faults) {
        if (room-- > 0) next.push([...node, position, outcome]);
        else cut = true;
      }
    });
  }
  return { next, cut };
}

/** A mode's exploration, from how far its search got. */
function explorationOf(
  mode: string,
  search: Search,
  guarantees: GuaranteeResult[],
  store: StateStore | undefined,
  maxFaults: number,
): ModeExploration {
  const { schedules, complete, coveredFaults, pruned } = search;
  const exploration: ModeExploration = { mode, schedules, complete, coveredFaults, pruned, guarantees };
  if (search.limit !== undefined) exploration.limit = search.limit;
  if (search.unfinished !== undefined) exploration.unfinished = search.unfinished;
  if (store?.full === true) exploration.statesFull = true;
  if (complete && search.faultySchedules === 0 && pruned === 0)
    exploration.noFaultExplored = maxFaults === 0 ? 'maxFaults' : 'none';
  return exploration;
}

/** Explores every schedule of one mode within the bounds (`config` already has its faults made possible). */
export async function exploreMode(
  scenario: Scenario,
  config: SimulationConfig,
  seed: number,
  options: ExploreOptions,
): Promise<ModeExploration> {
  const checks = scenario.checks.filter((c) => c.mode === undefined || c.mode === config.mode.name);
  const guarantees: GuaranteeResult[] = [
    { name: 'no loss', holds: true, violations: 0 },
    { name: 'no duplicate', holds: true, violations: 0 },
    ...checks.map((c) => ({ name: c.check.expr, holds: true, violations: 0 })),
  ];
  const timeUp = options.timeLimit?.() ?? (() => false);
  // The `events` metric counts history, which a state leaves out: a check on it turns pruning off.
  const prune = options.prune !== false && !checks.some((c) => /\bevents\b/.test(c.check.expr));
  const store: StateStore | undefined = prune
    ? { seen: new Map(), max: options.maxStates ?? MAX_STATES, full: false }
    : undefined;
  const search: Search = {
    schedules: 0,
    pruned: 0,
    faultySchedules: 0,
    complete: true,
    coveredFaults: options.maxFaults,
  };
  const seeded = new SeededChoiceSource(seed);
  const latency = checks.some((c) => readsLatency(c.check));
  const level: Level = { config, seeded, options, checks, latency, guarantees, store, timeUp };
  // Breadth first by number of faults, so a limit stops with every smaller schedule covered. A level
  // keeps only the schedules the limit lets run (`cut` when it had more): memory stays within the limit.
  let frontier: Node[] = [[]];
  let cut = false;
  for (let faults = 0; faults <= options.maxFaults && frontier.length > 0; faults++) {
    const ran = await runLevel(level, search, frontier, faults);
    // A level cut short by the room left is covered only up to the level before it.
    if (search.complete && cut) stop(search, 'schedules', faults);
    if (!search.complete) break;
    frontier = ran.next;
    cut = ran.cut;
  }
  return explorationOf(config.mode.name, search, guarantees, store, options.maxFaults);
}
