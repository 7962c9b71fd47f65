// `acksim explore`: every fault schedule within a bound, each mode, and the smallest story that breaks
// each guarantee.
import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { MAX_SCHEDULE_EVENTS, MAX_STATES, type FaultSpace } from '../run/explore.js';
import { exploreOnThreads } from './explore-threads.js';
import { ExitCode } from '../run/report.js';
import { checkModes, type Io } from './common.js';
import { loadOne } from './scenario-input.js';
import {
  integer,
  seedOption,
  messagesOption,
  modeOption,
  profileOption,
  formatOption,
  noColorOption,
  workersOption,
} from './options.js';
import { outputWidth, useColor } from './terminal.js';
import { FORMATS, formatNames } from './formatters.js';
import { causeGlosses } from '../run/cause-glossary.js';
import { counterexampleTimelines } from '../run/html-data.js';
import { count } from '../number-text.js';
import { extraChecks } from '../run/extra-checks.js';
import { counterexampleTraces } from '../run/explore-traces.js';
import { handlerFits, stateChecks } from '../run/user-code.js';
import { handlerOption, loadHandlerModule } from './handler-module.js';

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
  format: 'table' | 'json' | 'html';
  color?: boolean;
  handler?: string;
  workers?: number;
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
reached (with as many faults left, and as many events run) are not explored twice: the count of pruned
fault positions is shown.
Modes are independent searches: one that takes more than a moment goes on --workers threads (the report is
the same).
Limits: --max-schedules (200,000) and --max-seconds (60, per mode, checked as each schedule runs) stop
the search and say up to how many faults it is complete; the schedules waiting their turn never
outnumber what the schedule limit lets run, and at most ${count(MAX_STATES)} explored states are remembered for
pruning. A schedule that runs --max-events (${count(MAX_SCHEDULE_EVENTS)}) events without resolving every message loops
(a delivery storm, say): it stops its mode as inconclusive, with the faults that led there.
Exit codes: 0 the bound was covered (whatever it found), 3 a limit stopped the search first, or
no fault was explored at all (--max-faults 0, or no fault to explore).`;

async function explore(path: string, flags: ExploreFlags, io: Io): Promise<number> {
  const scenario = loadOne(path, io, flags.profile);
  checkModes(
    flags.mode,
    scenario.modes.map((m) => m.mode.name),
    `not a mode of ${scenario.name}`,
  );
  const handler = flags.handler === undefined ? undefined : await loadHandlerModule(flags.handler, io.cwd);
  if (handler !== undefined) handlerFits(scenario, flags.mode ?? [], 1, '--handler: ');
  // A handler's schedules are judged on every message having its effect once (no loss, no duplicate, and this).
  const judged =
    handler === undefined
      ? scenario
      : {
          ...scenario,
          checks: [
            ...extraChecks(['processed == produced'], [scenario], flags.mode ?? []),
            ...stateChecks(handler.code),
          ],
        };
  const bounds = {
    messages: flags.messages,
    maxFaults: flags.maxFaults,
    maxSchedules: flags.maxSchedules,
    maxEvents: flags.maxEvents,
    faultSpace: flags.faults,
    ...(flags.mode === undefined ? {} : { modes: flags.mode }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    handler: handler?.code,
  };
  const threads = exploreThreads(flags.workers, io);
  const exploration = await exploreOnThreads(judged, bounds, { maxSeconds: flags.maxSeconds, threads });
  // The page always draws the smallest counterexamples; the table, with --trace.
  const traces =
    (flags.trace === true && flags.format === 'table') || flags.format === 'html'
      ? await counterexampleTraces(exploration, judged, handler?.code)
      : undefined;
  const page = { glossary: causeGlosses(), timelines: traces ? counterexampleTimelines(traces, judged.file) : [] };
  const options = { ...flags, color: useColor(flags.color), width: outputWidth(), traces, page };
  io.stdout(FORMATS.explore[flags.format]({ exploration, scenario: judged }, options));
  // Exploring informs rather than judges (a scenario's statistical checks mean little at 2 messages):
  // exit 0, or 3 when the limit stopped the search short of the bound or no fault was explored at all.
  const covered = exploration.modes.every((m) => m.complete && m.noFaultExplored === undefined);
  return covered ? ExitCode.ok : ExitCode.inconclusive;
}

/** The threads an exploration may use: the cores, or fewer if asked (more than the cores is said, as `run` says it). */
function exploreThreads(requested: number | undefined, io: Io): number {
  const cores = availableParallelism();
  if (requested !== undefined && requested > cores)
    io.stderr(`acksim: --workers ${requested}: using ${cores} (at most one per core: this machine has ${cores})\n`);
  return Math.min(requested ?? cores, cores);
}

/** Registers `acksim explore`. */
export function exploreCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('explore')
    .description(
      'check every fault schedule within a small bound, per mode, and show the smallest counterexample of each guarantee',
    )
    .argument('<scenario>', 'a scenario file or built-in scenario name')
    .addOption(messagesOption(20, 'messages (small: the space grows fast)', { min: 1, default: 2 }))
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
    .addOption(modeOption())
    .addOption(profileOption())
    .addOption(seedOption('seed of the timings (overrides the scenario)'))
    .option('--trace', 'show the trace of each smallest counterexample')
    .addOption(
      new Option(
        '--faults <space>',
        'all: every fault kind everywhere; scenario: only faults the scenario gives a chance',
      )
        .choices(['all', 'scenario'])
        .default('all'),
    )
    .addOption(formatOption(formatNames('explore')))
    .addOption(noColorOption())
    .addHelpText('after', EXAMPLES)
    .addOption(handlerOption())
    .addOption(workersOption('threads the modes are explored on (default: the number of cores; one with --handler)'))
    .action(async (path: string, flags: ExploreFlags) => setExit(await explore(path, flags, io)));
}
