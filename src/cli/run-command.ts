// `acksim run`: each scenario in each of its modes; a report on stdout (or --out); checks decide the
// exit code.
import { stateChecks } from '../run/user-code.js';
import { Command } from 'commander';
import { UsageError, ScenarioError } from '../errors.js';
import type { FormatName } from '../report/index.js';
import type { MarkdownOptions } from '../report/markdown.js';
import { extraChecks } from '../run/extra-checks.js';
import { HANDLER_CHECKS, handlerFits } from '../run/user-code.js';
import { handlerOption, loadHandlerModule } from './handler-module.js';
import { ExitCode, exitCodeOf } from '../run/report.js';
import { runScenarios, type RunHooks, type RunOptions } from '../run/run-scenario.js';
import { loadScenarios, expandPaths, type ScenarioSources } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { outputWidth, useColor } from './terminal.js';
import { RUN_FORMATS } from './run-formats.js';
import { overloadWarnings } from '../run/capacity.js';
import { writeShrunkFailures } from './shrink-failures.js';
import { checkDistinct, checkTarget, writeLinesFile, type Target } from './output.js';
import { writeEventLog } from '../run/event-log.js';
import { runConfig } from '../run/prepare.js';
import { messageOption, pageRequest, sampleMsOption, sampling, sparklineRoom, timeSeriesOption } from './run-series.js';
import {
  checkModes,
  checkSeedRange,
  emit,
  longWork,
  runOptionsFrom,
  workerCount,
  type Io,
  type RunFlagsCommon,
} from './common.js';
import {
  integer,
  seedOption,
  messagesOption,
  modeOption,
  profileOption,
  formatOption,
  outOption,
  forceOption,
  noColorOption,
  runsOption,
  workersOption,
  shardOption,
  quietOption,
  progressOption,
} from './options.js';

interface RunFlags extends RunFlagsCommon {
  checkDeterminism?: boolean;
  timeSeries?: boolean;
  sampleMs?: number;
  events?: string;
  shrink: boolean;
  shrinkBudget: number;
  format: FormatName | 'html';
  out?: string;
  message?: number[];
  check?: string[];
  color?: boolean;
  quiet?: boolean;
  progress?: boolean;
  force?: boolean;
  all?: boolean;
  handler?: string;
}

const EXAMPLES = `
Examples:
  $ acksim run --all                               every built-in scenario, every mode
  $ acksim run lost-acks                           one built-in scenario by name
  $ acksim run scenarios/                          every scenario file in a folder
  $ acksim run my.yaml --seed 7 --messages 100000  another seed, more messages
  $ acksim run my.yaml --mode at-least-once --check 'lost == 0'
  $ acksim run scenarios/ --check 'exactly-once:duplicates == 0' --format junit --out acksim.xml
  $ acksim run lost-acks --runs 100 --check 'upper(duplicateRate) < 2%' --check 'max(lost) == 0'
  $ acksim run lost-acks --runs 1000 --shard 2/4 --format json --out shard-2.json   (then: acksim merge shard-*.json)

Checks: <metric> <op> <number>[%], op one of == != < <= > >=, optionally prefixed by <mode>:
  e.g. 'duplicateRate < 0.1%', 'latencyMs.p99 <= 500', 'lossByCause.expired == 0'.
  With --runs, a bare check must hold in every run; aggregates: mean() min() max() p50() p90() p95()
  p99() upper() lower() (the 95% interval's bounds), e.g. 'upper(duplicateRate) < 2%'.
Exit codes: 0 all checks passed, 1 a check failed, 2 bad input or usage,
  3 inconclusive (no check judged, messages still unresolved when a run stopped, or, with --runs, a configured fault
  that no run met), 130 interrupted by Ctrl-C (the report holds what finished).`;

/** The one scenario and mode whose event log `--events` writes, with its seed. */
function eventLogTarget(scenarios: readonly Scenario[], flags: RunFlags) {
  if (scenarios.length !== 1)
    throw new UsageError(`--events writes one run's log (allowed: one scenario; got ${scenarios.length})`);
  const scenario = scenarios[0]!;
  const modes = scenario.modes.filter((m) => flags.mode === undefined || flags.mode.includes(m.mode.name));
  if (modes.length !== 1) {
    throw new UsageError(
      `--events writes one run's log (allowed: one --mode, one of ${scenario.modes.map((m) => m.mode.name).join(', ')})`,
    );
  }
  if (flags.runs > 1) throw new UsageError("--events writes one run's log (allowed: without --runs)");
  const { config, mode } = modes[0]!;
  return { config: runConfig(config, mode, { messages: flags.messages }), seed: flags.seed ?? scenario.seed };
}

/** What each scenario's report warns of, keyed by its file: a producer its consumers cannot keep up with. */
export function scenarioWarnings(scenarios: readonly Scenario[], modes?: readonly string[]): Map<string, string[]> {
  const warnings = new Map<string, string[]>();
  for (const scenario of scenarios) {
    const run = scenario.modes.filter((m) => modes === undefined || modes.includes(m.mode.name));
    const found = overloadWarnings(run.map((m) => ({ name: m.mode.name, config: m.config })));
    if (found.length > 0) warnings.set(scenario.file, [...(warnings.get(scenario.file) ?? []), ...found]);
  }
  return warnings;
}

/** The runs this command makes (this shard's share of the seeds, for every mode run), and their messages in all. */
function runCount(scenarios: readonly Scenario[], flags: RunFlags): { runs: number; messages: number } {
  const [index, count] = flags.shard ?? [1, 1];
  const share = Math.floor((index * flags.runs) / count) - Math.floor(((index - 1) * flags.runs) / count);
  let runs = 0;
  let messages = 0;
  for (const s of scenarios) {
    const modes = s.modes.filter((m) => flags.mode === undefined || flags.mode.includes(m.mode.name)).length;
    runs += share * modes;
    messages += share * modes * (flags.messages ?? s.config.messages);
  }
  return { runs, messages };
}

/** The scenarios the command line names, refusing none, bad ones and modes none of them has. */
function loadRunScenarios(
  paths: string[],
  flags: RunFlags,
  io: Io,
): { scenarios: Scenario[]; sources: ScenarioSources } {
  if (paths.length === 0 && flags.all !== true)
    throw new UsageError(
      'run: no scenario given (allowed: files, folders, built-in names (acksim list), or --all for every built-in)',
    );
  const sources: ScenarioSources = { paths, all: flags.all === true };
  const { scenarios, issues } = loadScenarios(
    sources,
    io.cwd,
    flags.profile === undefined ? {} : { profile: flags.profile },
  );
  if (issues.length > 0) throw new ScenarioError(issues);
  checkModes(
    flags.mode,
    scenarios.flatMap((s) => s.modes.map((m) => m.mode.name)),
    'no scenario has this mode',
  );
  return { scenarios, sources };
}

/** Refuses --events and --out files that may not be written, before anything runs; the --events target. */
function checkOutputs(flags: RunFlags, inputs: readonly string[], io: Io): Target | undefined {
  const eventsTarget: Target | undefined =
    flags.events === undefined
      ? undefined
      : { flag: '--events', path: flags.events, cwd: io.cwd, inputs, force: flags.force === true };
  if (eventsTarget !== undefined) {
    checkTarget(eventsTarget, 'lines');
    if (flags.out !== undefined) checkDistinct({ ...eventsTarget, flag: '--out', path: flags.out }, eventsTarget);
  }
  if (flags.out !== undefined)
    checkTarget({ flag: '--out', path: flags.out, cwd: io.cwd, inputs, force: flags.force === true }, 'report');
  return eventsTarget;
}

/** What `run` runs, each part checked before anything runs: the scenarios, the handler, the options, the outputs. */
async function prepareRun(paths: string[], flags: RunFlags, io: Io) {
  const loaded = loadRunScenarios(paths, flags, io);
  const handler = flags.handler === undefined ? undefined : await loadHandlerModule(flags.handler, io.cwd);
  const { sources } = loaded;
  // A handler is judged on its effects happening once: the scenarios' checks were written for their built-in consumer.
  const scenarios = handler === undefined ? loaded.scenarios : loaded.scenarios.map((s) => ({ ...s, checks: [] }));
  if (handler !== undefined)
    for (const scenario of scenarios) handlerFits(scenario, flags.mode ?? [], flags.workers ?? 1, '--handler: ');
  const events = flags.events === undefined ? undefined : eventLogTarget(scenarios, flags);
  if (events !== undefined && handler !== undefined) events.config.handler = handler.code;
  const inputs = expandPaths(sources, io.cwd).files;
  const eventsTarget = checkOutputs(flags, inputs, io);
  if (flags.shard !== undefined && flags.runs < 2)
    throw new UsageError('--shard needs --runs 2 or more (one run cannot be split)');
  checkSeedRange(
    scenarios.map((s) => flags.seed ?? s.seed),
    flags.runs,
  );
  const work = runCount(scenarios, flags);
  const options: RunOptions = {
    ...runOptionsFrom(flags, handler === undefined ? workerCount(flags.workers, work.runs, work.messages, io) : 1),
    modes: flags.mode ?? [],
    checks: extraChecks(
      flags.check ?? handler?.checks ?? (handler === undefined ? [] : HANDLER_CHECKS),
      scenarios,
      flags.mode ?? [],
    ),
  };
  if (handler !== undefined) {
    options.handler = handler.code;
    options.handlerPath = handler.path;
  }
  if (flags.checkDeterminism === true) options.checkDeterminism = true;
  sampling(flags, options, scenarios);
  return { scenarios, events, inputs, eventsTarget, options };
}

async function run(paths: string[], flags: RunFlags, io: Io): Promise<number> {
  const { scenarios, events, inputs, eventsTarget, options } = await prepareRun(paths, flags, io);
  const report = await longWork(flags, (tools) => {
    const hooks: RunHooks = { signal: tools.signal, pause: tools.pause };
    if (tools.progress !== undefined) hooks.onProgress = tools.progress;
    return runScenarios(scenarios, options, hooks);
  });
  const color = useColor(flags.color);
  // The Markdown report carries each scenario's lesson, which the report itself does not hold.
  const layout = { width: outputWidth(), warnings: scenarioWarnings(scenarios, flags.mode) };
  const formatOptions: MarkdownOptions = {
    color: flags.out === undefined && color,
    sparklines: flags.out === undefined && sparklineRoom(),
    descriptions: Object.fromEntries(scenarios.map((s) => [s.file, s.description])),
    ...layout,
  };
  // A page's timelines rerun the model and trace it: the module that draws them is loaded for a page only.
  const pages = flags.format === 'html' ? await import('../run/html-data.js') : undefined;
  const text =
    pages !== undefined
      ? RUN_FORMATS.html(report, { page: await pages.runPage(report, scenarios, pageRequest(options, flags)) })
      : RUN_FORMATS[flags.format](report, formatOptions);
  const table = flags.out === undefined ? '' : RUN_FORMATS.table(report, { color, ...layout });
  emit(io, { output: flags, text, table, inputs });
  if (report.interrupted === true) {
    io.stderr('acksim: interrupted; the report above holds what finished\n');
    return ExitCode.interrupted;
  }
  if (events !== undefined && eventsTarget !== undefined) {
    await writeLinesFile(eventsTarget, (write) => writeEventLog(events.config, events.seed, write));
    io.stderr(`event log written to ${flags.events!}\n`);
  }
  if (flags.shrink && exitCodeOf(report) === ExitCode.checkFailed) {
    const all = [...options.checks!, ...(options.handler ? stateChecks(options.handler) : [])];
    await writeShrunkFailures(
      report,
      scenarios,
      (scenario, mode) => [...scenario.checks, ...all].filter((c) => c.mode === undefined || c.mode === mode),
      {
        ...(options.messages === undefined ? {} : { messages: options.messages }),
        handler: options.handler,
        handlerPath: options.handlerPath,
        budgetMs: flags.shrinkBudget * 1000,
        inputs,
      },
      io,
    );
  }
  return exitCodeOf(report);
}

/** Registers `acksim run`. */
export function runCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('run')
    .description('run scenarios in every delivery mode and report loss, duplicates, retries and their causes')
    .argument('[scenarios...]', 'scenario files, folders of them, or built-in scenario names')
    .option('--all', 'every built-in scenario (acksim list), before any named')
    .addOption(modeOption('run only this mode (repeat, or separate with commas)'))
    .addOption(profileOption())
    .addOption(seedOption("seed of every random choice (overrides the scenarios')"))
    .addOption(messagesOption(50_000_000, "messages per scenario (overrides the scenarios')"))
    .addOption(
      runsOption(
        'runs per scenario and mode, seeds seed, seed+1, ...: means, 95% intervals, min, max, worst seed',
        1_000_000,
      ),
    )
    .addOption(workersOption('worker threads for many runs (default: the number of cores; none for a small job)'))
    .addOption(shardOption('run only the i-th of n slices of the seeds (join the JSON reports with acksim merge)'))
    .addOption(formatOption(Object.keys(RUN_FORMATS), 'report format'))
    .addOption(outOption())
    .option(
      '--check <expr>',
      'a check to judge, e.g. "lost == 0" or "at-least-once:duplicateRate < 1%" (repeatable)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option('--no-shrink', 'do not shrink failed checks to a minimal failure file')
    .option('--shrink-budget <seconds>', 'time allowed to shrink each failure', integer('--shrink-budget', 1, 3600), 30)
    .option(
      '--events <file>',
      "also write the run's event log (the JSON Lines `acksim audit` reads): one scenario, one mode",
    )
    .option('--check-determinism', 'run every case twice and fail (exit 1) on any difference of choices or results')
    .addOption(timeSeriesOption())
    .addOption(sampleMsOption())
    .addOption(messageOption())
    .addOption(noColorOption('no colour, even on a terminal (NO_COLOR is honoured too)'))
    .addOption(quietOption())
    .addOption(progressOption())
    .addOption(forceOption())
    .addOption(handlerOption())
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], flags: RunFlags) => setExit(await run(paths, flags, io)));
}
