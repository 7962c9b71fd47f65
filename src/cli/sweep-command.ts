// `acksim sweep`: a parameter grid, every mode, a table and a chart of one metric.
import { handlerFits } from '../run/user-code.js';
import { handlerOption, loadHandlerModule } from './handler-module.js';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { metricPaths } from '../scenario/metric-catalog.js';
import { sweepDoubts, sweepScenario, type SweepReport } from '../run/sweep.js';
import { parseParam, SweepError, type Param } from '../run/sweep-params.js';
import { summarisedPaths } from '../run/aggregate.js';
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
import { loadOne } from './scenario-input.js';
import {
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
import { ExitCode } from '../run/report.js';
import { outputWidth, useColor } from './terminal.js';
import { FORMATS, formatNames } from './formatters.js';
import { causeGlosses } from '../run/cause-glossary.js';
import { checkTarget } from './output.js';
import { expandPaths } from '../scenario/load.js';
import { safeText } from '../safe-text.js';

interface SweepFlags extends RunFlagsCommon {
  /** The user's consumer code module (--handler). */
  handler?: string;
  param: string[];
  metric: string;
  format: 'table' | 'csv' | 'json' | 'html';
  out?: string;
  color?: boolean;
  quiet?: boolean;
  progress?: boolean;
  force?: boolean;
}

const EXAMPLES = `
Examples:
  $ acksim sweep visibility-timeout-too-short --param broker.visibilityTimeoutMs=10000:60000:5000 --metric duplicateRate
  $ acksim sweep lossy-publish --param producer.retry.maxAttempts=1:6:1 --metric lossRate --mode at-least-once
  $ acksim sweep retry-storm --param producer.retry.jitter=none,full,equal,decorrelated --metric retryRate --runs 20
  $ acksim sweep lost-acks --param network.ack.loss=0,0.01,0.05,0.1 --param consumers.count=1,4 --format csv --out grid.csv

A --param is <path>=<from>:<to>:<step> (inclusive) or <path>=<a>,<b>,...; one or two of them, at most
1,000 points. Paths are scenario fields (acksim sweep --help lists the metrics; docs/scenario-format.md the fields).
A sweep judges no check. Exit codes: 0, or 3 when some point's runs produced no message or stopped before every
message was resolved (its horizon or a limit): stderr names those points, whose charted value is not the answer.`;

/** The parameters of the grid, refusing a bad one. */
function sweepParams(texts: readonly string[]): Param[] {
  try {
    return texts.map(parseParam);
  } catch (error) {
    if (error instanceof SweepError) throw new UsageError(error.message);
    throw error;
  }
}

/** How many runs the command line asks for: runs (of this shard's points) per point and mode run. */
function runCount(params: readonly Param[], modes: number, flags: SweepFlags): number {
  const [index, count] = flags.shard ?? [1, 1];
  const points = params.reduce((n, p) => n * p.values.length, 1);
  const share = Math.floor((index * points) / count) - Math.floor(((index - 1) * points) / count);
  return share * modes * flags.runs;
}

async function sweep(path: string, flags: SweepFlags, io: Io): Promise<number> {
  if (!summarisedPaths().includes(flags.metric)) {
    const known = metricPaths().includes(flags.metric) ? ' (causes and faults are not swept; pick a metric)' : '';
    throw new UsageError(`--metric ${flags.metric}: unknown metric${known} (allowed: ${summarisedPaths().join(', ')})`);
  }
  const scenario = loadOne(path, io, flags.profile);
  const inputs = expandPaths([path], io.cwd).files;
  if (flags.out !== undefined)
    checkTarget({ flag: '--out', path: flags.out, cwd: io.cwd, inputs, force: flags.force === true }, 'report');
  const known = scenario.modes.map((m) => m.mode.name);
  checkModes(flags.mode, known, `not a mode of ${scenario.name}`);
  const params = sweepParams(flags.param);
  checkSeedRange([flags.seed ?? scenario.seed], flags.runs);
  const total = runCount(params, flags.mode?.length ?? known.length, flags);
  const messages = total * (flags.messages ?? scenario.config.messages);
  const handler = flags.handler === undefined ? undefined : await loadHandlerModule(flags.handler, io.cwd);
  if (handler !== undefined) handlerFits(scenario, flags.mode ?? [], flags.workers ?? 1, '--handler: ');
  const options = runOptionsFrom(flags, handler === undefined ? workerCount(flags.workers, total, messages, io) : 1);
  if (handler !== undefined) {
    options.handler = handler.code;
    options.handlerPath = handler.path;
  }
  const report = await longWork(flags, async (tools) => {
    const hooks: Parameters<typeof sweepScenario>[4] = { signal: tools.signal, pause: tools.pause };
    const progress = tools.progress;
    if (progress !== undefined)
      hooks.onProgress = (done: number) => progress({ scenario: scenario.name, mode: 'sweep', done, total });
    try {
      return await sweepScenario(scenario, params, flags.metric, options, hooks);
    } catch (error) {
      if (error instanceof SweepError) throw new UsageError(error.message);
      throw error;
    }
  });
  for (const { path, modes } of report.overridden ?? []) {
    io.stderr(
      `acksim: note: ${safeText(modes.join(', '))} set their own ${path}; the sweep's value replaces it in every mode, so on that parameter the modes do not differ\n`,
    );
  }
  const color = useColor(flags.color);
  const text = FORMATS.sweep[flags.format](report, {
    color: flags.out === undefined && color,
    width: outputWidth(),
    page: { glossary: causeGlosses() },
  });
  const table = flags.out === undefined ? '' : FORMATS.sweep.table(report, { color, width: outputWidth() });
  emit(io, { output: flags, text, table, inputs });
  const code = sweepExit(io, report);
  if (report.interrupted !== true) return code;
  io.stderr('acksim: interrupted; the output above holds the points that finished\n');
  return ExitCode.interrupted;
}

/**
 * A sweep's exit code, 0 or 3, saying on stderr which points charted runs that measured nothing (no message)
 * or only part of the run (stopped at the horizon or a limit): a number that is not the answer (at most five).
 */
export function sweepExit(io: Io, report: SweepReport): number {
  const doubts = sweepDoubts(report);
  for (const doubt of doubts.slice(0, 5)) io.stderr(`acksim: sweep: ${safeText(doubt)}\n`);
  if (doubts.length > 5) io.stderr(`acksim: sweep: and ${doubts.length - 5} more such point(s)\n`);
  return doubts.length > 0 ? ExitCode.inconclusive : ExitCode.ok;
}

/** Registers `acksim sweep`. */
export function sweepCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('sweep')
    .description('run a scenario over a grid of one or two parameters and chart a metric per mode')
    .argument('<scenario>', 'a scenario file or built-in scenario name')
    .requiredOption(
      '--param <path=range>',
      'a parameter and its values: path=from:to:step or path=a,b,c (repeat for a second one)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option('--metric <name>', 'the metric to chart and tabulate', 'duplicateRate')
    .addOption(modeOption())
    .addOption(profileOption())
    .addOption(seedOption('seed (the first one with --runs)'))
    .addOption(messagesOption(50_000_000, 'messages per run (overrides the scenario)'))
    .addOption(runsOption('runs per point, seeds seed, seed+1, ...: the table shows means', 100_000))
    .addOption(workersOption())
    .addOption(
      shardOption('run only the i-th of n slices of the grid points (join the JSON reports with acksim merge)'),
    )
    .addOption(formatOption(formatNames('sweep')))
    .addOption(outOption('write the output to a file (the table still goes to stdout)'))
    .addOption(noColorOption())
    .addOption(quietOption())
    .addOption(progressOption())
    .addOption(forceOption())
    .addHelpText('after', `${EXAMPLES}\nMetrics: ${summarisedPaths().join(', ')}`)
    .addOption(handlerOption())
    .action(async (path: string, flags: SweepFlags) => setExit(await sweep(path, flags, io)));
}
