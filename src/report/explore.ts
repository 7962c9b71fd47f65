// The text of `acksim explore`: per mode, how far the search got and, per guarantee, whether it holds,
// with the smallest counterexample (and its trace, when asked).
import { Chalk } from 'chalk';
import { describeFault } from '../run/failure-file.js';
import { MAX_STATES, type Exploration, type ModeExploration } from '../run/explore.js';
import { counterexampleKey } from '../run/explore-traces.js';
import type { TraceResult } from '../run/trace.js';
import type { Scenario } from '../scenario/types.js';
import { count } from './format.js';
import { formatLanes } from './trace.js';
import { wrapLine } from './wrap.js';

/** How an exploration is shown, and the limits it ran within (which the text names when one was hit). */
export interface ExplorationTextOptions {
  color: boolean;
  width: number;
  /** The trace of each smallest counterexample to show, by mode and guarantee (run/explore's counterexampleTraces). */
  traces?: ReadonlyMap<string, TraceResult> | undefined;
  maxEvents: number;
  maxSeconds: number;
  maxSchedules: number;
}

/** What stopped a mode short of its bound, in words. */
function limitText(mode: ModeExploration, scenario: Scenario, flags: ExplorationTextOptions): string {
  const covered = mode.coveredFaults < 0 ? 'nothing is complete' : `complete up to ${mode.coveredFaults} fault(s)`;
  if (mode.limit === 'events' && mode.unfinished !== undefined) {
    const { faults, events, endedBy } = mode.unfinished;
    const crashPoint = scenario.modes[0]?.config.consumers.crash.point;
    const which =
      faults.length === 0
        ? 'the schedule without faults'
        : `the schedule of ${faults.length} fault(s) (${faults.map((f) => describeFault(f, crashPoint)).join('; ')})`;
    if (endedBy === 'horizon')
      return `limit hit: ${which} reached the scenario's horizonMs after ${count(events)} events, before every message was resolved; ${covered}`;
    const stop =
      endedBy === 'maxPending' ? `filled its event queue after ${count(events)} events` : `ran ${count(events)} events`;
    return `limit hit: ${which} ${stop} with messages unresolved, within --max-events ${count(flags.maxEvents)} or the scenario's maxEvents; ${covered}`;
  }
  if (mode.coveredFaults < 0)
    return `limit hit: not even the schedule without faults ran within --max-seconds ${flags.maxSeconds}`;
  const which = mode.limit === 'time' ? `--max-seconds ${flags.maxSeconds}` : `--max-schedules ${flags.maxSchedules}`;
  return `limit hit: ${covered} within ${which}`;
}

/** An exploration as text, each line wrapped to `width` but the traces. */
export function formatExploration(result: Exploration, scenario: Scenario, flags: ExplorationTextOptions): string {
  const color = flags.color;
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const out = [
    chalk.bold(
      `explore ${result.scenario} · ${result.messages} message(s) · every schedule of at most ${result.maxFaults} fault(s) (${result.faultSpace === 'all' ? 'every fault kind' : "the scenario's faults"}) · seed ${result.seed}`,
    ),
  ];
  const width = Math.max(...result.modes.map((m) => m.mode.length));
  for (const mode of result.modes) {
    const pruned = mode.pruned > 0 ? `, ${count(mode.pruned)} fault positions pruned as equal states` : '';
    const bound = mode.complete
      ? `all ${count(mode.schedules)} schedules${pruned}`
      : `${count(mode.schedules)} schedules${pruned} (${limitText(mode, scenario, flags)})`;
    const states = mode.statesFull === true ? `; ${count(MAX_STATES)} states remembered, later ones not pruned` : '';
    out.push('', `${chalk.bold(mode.mode.padEnd(width))}  ${chalk.dim(`${bound}${states}`)}`);
    // Schedules that ran to their end: one cut short by its event limit settles only what broke in it.
    const finished = mode.schedules - (mode.unfinished === undefined ? 0 : 1);
    for (const g of mode.guarantees) {
      if (g.holds && mode.noFaultExplored !== undefined) {
        const why = mode.noFaultExplored === 'maxFaults' ? '--max-faults 0' : `--faults ${result.faultSpace} has none`;
        out.push(`  ${chalk.yellow('?')} ${g.name}: holds without faults (no fault explored: ${why})`);
        continue;
      }
      if (g.holds && mode.complete) {
        out.push(`  ${chalk.green('✓')} ${g.name}: holds in every schedule`);
        continue;
      }
      if (g.holds) {
        const where =
          finished === 0
            ? 'no schedule ran to its end'
            : `held in the ${count(finished)} schedule(s) that ran to their end`;
        out.push(`  ${chalk.yellow('?')} ${g.name}: inconclusive: ${where}, and the search stopped short of its bound`);
        continue;
      }
      const ce = g.counterexample!;
      const faults =
        ce.faults.length === 0
          ? 'with no fault at all'
          : `smallest case ${ce.faults.length} fault(s): ${ce.faults.map((f) => describeFault(f, scenario.modes[0]?.config.consumers.crash.point)).join('; ')}`;
      out.push(`  ${chalk.red('✗')} ${g.name}: broken in ${count(g.violations)} schedule(s); ${faults}`);
      const trace = flags.traces?.get(counterexampleKey(mode.mode, g.name));
      if (trace !== undefined) out.push(formatLanes(trace, { color }).replace(/\n$/, '').replace(/^/gm, '  '));
    }
  }
  // Every line wrapped to the terminal but the traces (one element of many lines, laid out to fit already).
  const columns = flags.width;
  return `${out.flatMap((line) => (line.includes('\n') ? [line] : wrapLine(line, columns, { hang: 4 }))).join('\n')}\n`;
}
