// `acksim compare`: the classroom view of one scenario, mode against mode on the same faults.
import { handlerFits } from '../run/user-code.js';
import { handlerOption, loadHandlerModule } from './handler-module.js';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { CompareInterrupted, compareScenario, type CompareHooks } from '../run/compare.js';
import { ExitCode } from '../run/report.js';
import type { RunOptions } from '../run/run-scenario.js';
import { checkModes, checkSeedRange, longWork, runOptionsFrom, type Io, type RunFlagsCommon } from './common.js';
import { loadOne } from './scenario-input.js';
import {
  integer,
  seedOption,
  messagesOption,
  modeOption,
  profileOption,
  formatOption,
  noColorOption,
  quietOption,
  progressOption,
} from './options.js';
import { outputWidth, useColor } from './terminal.js';
import { FORMATS, formatNames } from './formatters.js';
import { causeGlosses } from '../run/cause-glossary.js';
import { scenarioDetails } from '../run/html-data.js';
import { depthSparklines } from '../report/sparkline.js';
import { runScenarios } from '../run/run-scenario.js';
import { sparklineRoom } from './run-series.js';
import type { Scenario } from '../scenario/types.js';

interface CompareFlags extends RunFlagsCommon {
  /** The user's consumer code module (--handler). */
  handler?: string;
  quiet?: boolean;
  progress?: boolean;
  format: 'table' | 'json' | 'html';
  color?: boolean;
}

const EXAMPLES = `
Examples:
  $ acksim compare lost-acks
  $ acksim compare lost-deliveries --mode at-most-once,at-least-once
  $ acksim compare crash-after-effect --runs 50          paired differences with 95% intervals

Modes are compared in order, each with the next: the messages one lost or duplicated and the next did
not, with the first example and its cause. Every mode meets the same faults (same seed, same choices).`;

/** Each compared mode's queue depth over time, from one sampled run at the first seed (on a terminal with room). */
async function compareSparklines(scenario: Scenario, options: RunOptions): Promise<string> {
  const { runs: _runs, ...one } = options;
  const ran = await runScenarios([scenario], { ...one, timeSeries: true, samplePoints: 256, checks: [] });
  const lines = depthSparklines(ran.scenarios[0]!.results, outputWidth());
  if (lines.length === 0) return '';
  const seed = options.seed ?? scenario.seed;
  const which = (options.runs ?? 1) > 1 ? [`  (one run: seed ${seed}, the comparison's first)`] : [];
  return `\n${[...which, ...lines].join('\n')}\n`;
}

/** Registers `acksim compare`. */
export function compareCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('compare')
    .description('compare delivery modes side by side on identical faults, message by message')
    .argument('<scenario>', 'a scenario file or built-in scenario name')
    .addOption(modeOption('compare these modes, in this order (repeat, or separate with commas)'))
    .addOption(profileOption())
    .addOption(seedOption('seed (the first one with --runs)'))
    .addOption(messagesOption(50_000_000))
    .option(
      '--runs <n>',
      'runs with seeds seed, seed+1, ...: means and paired differences with 95% intervals',
      integer('--runs', 1, 100_000),
      1,
    )
    .addOption(formatOption(formatNames('compare'), 'report format'))
    .addOption(noColorOption())
    .addOption(quietOption())
    .addOption(progressOption())
    .addHelpText('after', EXAMPLES)
    .addOption(handlerOption())
    .action(async (path: string, flags: CompareFlags) => {
      const scenario = loadOne(path, io, flags.profile);
      const handler = flags.handler === undefined ? undefined : await loadHandlerModule(flags.handler, io.cwd);
      if (handler !== undefined) handlerFits(scenario, flags.mode ?? [], 1, '--handler: ');
      const known = scenario.modes.map((m) => m.mode.name);
      checkModes(flags.mode, known, `not a mode of ${scenario.name}`);
      checkSeedRange([flags.seed ?? scenario.seed], flags.runs);
      const options: RunOptions = runOptionsFrom(flags, 1);
      if (handler !== undefined) {
        options.handler = handler.code;
        options.handlerPath = handler.path;
      }
      if ((options.modes ?? known).length < 2) throw new UsageError('compare needs at least two modes');
      // Keep the order the user asked for.
      if (options.modes !== undefined)
        scenario.modes.sort((a, b) => options.modes!.indexOf(a.mode.name) - options.modes!.indexOf(b.mode.name));
      let report;
      try {
        report = await longWork(flags, (tools) => {
          const progress = tools.progress;
          const hooks: CompareHooks = { signal: tools.signal, pause: tools.pause };
          if (progress !== undefined)
            hooks.onProgress = (done, total) => progress({ scenario: scenario.name, mode: 'compare', done, total });
          return compareScenario(scenario, options, hooks);
        });
      } catch (error) {
        if (!(error instanceof CompareInterrupted)) throw error;
        io.stderr('acksim: interrupted before the first run finished\n');
        setExit(ExitCode.interrupted);
        return;
      }
      const page = { glossary: causeGlosses(), scenarios: scenarioDetails([scenario]) };
      io.stdout(FORMATS.compare[flags.format](report, { color: useColor(flags.color), width: outputWidth(), page }));
      // One more run of each mode, short beside the comparison's; never after Ctrl-C.
      if (flags.format === 'table' && report.interrupted !== true && sparklineRoom())
        io.stdout(await compareSparklines(scenario, options));
      if (report.interrupted === true) {
        io.stderr(`acksim: interrupted; the comparison above covers the ${report.runs} run(s) that finished\n`);
        setExit(ExitCode.interrupted);
      } else setExit(0);
    });
}
