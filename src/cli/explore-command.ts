// `acksim explore`: every fault schedule within a bound, each mode, and the smallest story that breaks
// each guarantee.
import { Chalk } from 'chalk';
import { Command, Option } from 'commander';
import { formatLanes } from '../report/trace.js';
import { count } from '../report/format.js';
import { describeFault } from '../run/failure.js';
import {
  exploreScenario,
  MAX_SCHEDULE_EVENTS,
  MAX_STATES,
  type Exploration,
  type FaultSpace,
  type ModeExploration,
} from '../run/explore.js';
import { ExitCode, FORMAT_VERSION } from '../run/report.js';
import { traceScenario } from '../run/trace.js';
import type { Scenario } from '../scenario/types.js';
import { checkModes, integer, list, type Io, loadOne, profileOption } from './common.js';
import { outputWidth, useColor } from './terminal.js';
import { wrapLine } from '../report/wrap.js';

interface ExploreFlags {
  profile?: string;
  messages: number;
  maxFaults: number;
  maxSchedules: number;
  maxSeconds: number;
  maxEvents: number;
  mode?: string[];
  seed?: number;
  trace?: boolean;
  faults: FaultSpace;
  format: 'table' | 'json';
  color?: boolean;
}

const EXAMPLES = `
Examples:
  $ acksim explore lost-acks                      2 messages, every schedule of at most 3 faults
  $ acksim explore crash-after-effect --max-faults 2 --trace
  $ acksim explore lossy-publish --messages 1 --max-faults 4 --format json

Decision points (--faults all): every transmission on every link dropped or duplicated, every delivery
crashing its consumer before or after the effect, every delivery's processing stalling past the
visibility timeout (modes that ack after the effect). --faults scenario keeps only the faults the
scenario gives a chance. Timings come from the seed. Schedules that reach a state an earlier one
reached (with as many faults left) are not explored twice: the count of pruned fault positions is shown.
Limits: --max-schedules (200,000) and --max-seconds (60, per mode, checked as each schedule runs) stop
the search and say up to how many faults it is complete; the schedules waiting their turn never
outnumber what the schedule limit lets run, and at most ${MAX_STATES.toLocaleString('en-US')} explored states are remembered for
pruning. A schedule that runs --max-events (${MAX_SCHEDULE_EVENTS.toLocaleString('en-US')}) events without resolving every message loops
(a delivery storm, say): it stops its mode as inconclusive, with the faults that led there.
Exit codes: 0 the bound was covered (whatever it found), 3 a limit stopped the search first, or
no fault was explored at all (--max-faults 0, or no fault to explore).`;

/** What stopped a mode short of its bound, in words. */
function limitText(mode: ModeExploration, scenario: Scenario, flags: ExploreFlags): string {
  const covered = mode.coveredFaults < 0 ? 'nothing is complete' : `complete up to ${mode.coveredFaults} fault(s)`;
  if (mode.limit === 'events' && mode.unfinished !== undefined) {
    const { faults, events, endedBy } = mode.unfinished;
    const crashPoint = scenario.modes[0]?.config.consumers.crash.point;
    const which =
      faults.length === 0
        ? 'the schedule without faults'
        : `the schedule of ${faults.length} fault(s) (${faults.map((f) => describeFault(f, crashPoint)).join('; ')})`;
    const stop =
      endedBy === 'maxPending' ? `filled its event queue after ${count(events)} events` : `ran ${count(events)} events`;
    return `limit hit: ${which} ${stop} with messages unresolved, within --max-events ${count(flags.maxEvents)} or the scenario's maxEvents; ${covered}`;
  }
  if (mode.coveredFaults < 0)
    return `limit hit: not even the schedule without faults ran within --max-seconds ${flags.maxSeconds}`;
  const which = mode.limit === 'time' ? `--max-seconds ${flags.maxSeconds}` : `--max-schedules ${flags.maxSchedules}`;
  return `limit hit: ${covered} within ${which}`;
}

function render(result: Exploration, scenario: Scenario, flags: ExploreFlags, color: boolean): string {
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
      if (flags.trace === true) {
        const ids = [...new Set(ce.faults.map((f) => f.a))];
        const trace = traceScenario(scenario, {
          mode: mode.mode,
          seed: result.seed,
          messages: result.messages,
          faults: ce.faults,
          faultSpace: result.faultSpace,
          limit: 200,
          ...(ids.length > 0 ? { messageIds: ids } : { anomalies: 1 }),
        });
        out.push(formatLanes(trace, { color }).replace(/\n$/, '').replace(/^/gm, '  '));
      }
    }
  }
  // Every line wrapped to the terminal but the traces (one element of many lines, laid out to fit already).
  const columns = outputWidth();
  return `${out.flatMap((line) => (line.includes('\n') ? [line] : wrapLine(line, columns, { hang: 4 }))).join('\n')}\n`;
}

/** Registers `acksim explore`. */
export function exploreCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('explore')
    .description(
      'check every fault schedule within a small bound, per mode, and show the smallest counterexample of each guarantee',
    )
    .argument('<scenario>', 'a scenario file or built-in scenario name')
    .option('--messages <n>', 'messages (small: the space grows fast)', integer('--messages', 1, 20), 2)
    .option('--max-faults <n>', 'most faults in one schedule', integer('--max-faults', 0, 8), 3)
    .option(
      '--max-schedules <n>',
      'stop after this many schedules and say what was covered',
      integer('--max-schedules', 1, 10_000_000),
      200_000,
    )
    .option(
      '--max-seconds <s>',
      'stop each mode after this many seconds and say what was covered',
      integer('--max-seconds', 1, 86_400),
      60,
    )
    .option(
      '--max-events <n>',
      'most events one schedule may run; one that needs more stops its mode, inconclusive',
      integer('--max-events', 1, 2 ** 31 - 1),
      MAX_SCHEDULE_EVENTS,
    )
    .option('--mode <name>', 'only these modes (repeat, or separate with commas)', list)
    .addOption(profileOption())
    .option('--seed <n>', 'seed of the timings (overrides the scenario)', integer('--seed', 0, 2 ** 31 - 1))
    .option('--trace', 'show the trace of each smallest counterexample')
    .addOption(
      new Option(
        '--faults <space>',
        'all: every fault kind everywhere; scenario: only faults the scenario gives a chance',
      )
        .choices(['all', 'scenario'])
        .default('all'),
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--no-color', 'no colour, even on a terminal')
    .addHelpText('after', EXAMPLES)
    .action((path: string, flags: ExploreFlags) => {
      const scenario = loadOne(path, io, flags.profile);
      checkModes(
        flags.mode,
        scenario.modes.map((m) => m.mode.name),
        `not a mode of ${scenario.name}`,
      );
      const result = exploreScenario(scenario, {
        messages: flags.messages,
        maxFaults: flags.maxFaults,
        maxSchedules: flags.maxSchedules,
        maxEvents: flags.maxEvents,
        faultSpace: flags.faults,
        timeLimit: () => {
          const deadline = Date.now() + flags.maxSeconds * 1000;
          return () => Date.now() > deadline;
        },
        ...(flags.mode === undefined ? {} : { modes: flags.mode }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      });
      io.stdout(
        flags.format === 'json'
          ? `${JSON.stringify({ formatVersion: FORMAT_VERSION, kind: 'explore', ...result }, null, 2)}\n`
          : render(result, scenario, flags, useColor(flags.color)),
      );
      // Exploring informs rather than judges (a scenario's statistical checks mean little at 2 messages):
      // exit 0, or 3 when the limit stopped the search short of the bound or no fault was explored at all.
      setExit(
        result.modes.every((m) => m.complete && m.noFaultExplored === undefined) ? ExitCode.ok : ExitCode.inconclusive,
      );
    });
}
