// `acksim tour`: the first command to try (npm start runs it). It runs every built-in lesson in every
// mode, as `run --all` does, shows a few of them in a few lines each, and ends with the verdict of all
// of them, which is its exit code: the main job, told in a screenful.
import { Chalk } from 'chalk';
import { Command } from 'commander';
import { ScenarioError } from '../errors.js';
import { formatTour } from '../report/tour.js';
import { ExitCode, exitCodeOf, isRunsResult, type ScenarioResult } from '../run/report.js';
import { runScenarios, type RunHooks } from '../run/run-scenario.js';
import { BUILTIN_DIR, loadScenarios } from '../scenario/load.js';
import { longWork, type Io, type ProgressFlags } from './common.js';
import { noColorOption, quietOption, progressOption } from './options.js';
import { outputWidth, useColor } from './terminal.js';

/** The lessons of the tour, in order: lost acks, a crash under auto-ack, a timeout too short, retries after a lost
 * publish. */
export const TOUR_LESSONS = [
  'lost-acks',
  'crash-before-effect',
  'visibility-timeout-too-short',
  'lossy-publish',
] as const;

/** The command that runs every built-in lesson. */
const RUN_ALL = 'acksim run --all';

/** Registers `acksim tour`. */
export function tourCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('tour')
    .description('every built-in lesson in every mode: a few of them shown in a few lines each, and the verdict of all')
    .addOption(noColorOption())
    .addOption(quietOption())
    .addOption(progressOption())
    .addHelpText('after', '\nExamples:\n  $ acksim tour\n  $ acksim list      every lesson, one line each')
    .action(async (flags: { color?: boolean } & ProgressFlags) => {
      const { scenarios, issues } = loadScenarios([BUILTIN_DIR], io.cwd);
      if (issues.length > 0) throw new ScenarioError(issues);
      // A few seconds of work: a progress bar on a terminal, as run --all shows.
      const report = await longWork(flags, (tools) => {
        const hooks: RunHooks = { signal: tools.signal, pause: tools.pause };
        if (tools.progress !== undefined) hooks.onProgress = tools.progress;
        return runScenarios(scenarios, { runs: 1, workers: 1 }, hooks);
      });
      const results = report.scenarios.filter((s): s is ScenarioResult => !isRunsResult(s));
      const lessons = TOUR_LESSONS.flatMap((name) => results.filter((s) => s.name === name));
      const chalk = new Chalk({ level: useColor(flags.color) ? 1 : 0 });
      io.stdout(formatTour(lessons, report, { chalk, width: outputWidth(), runAll: RUN_ALL }));
      if (report.interrupted === true) {
        io.stderr('acksim: interrupted; the tour above holds what finished\n');
        setExit(ExitCode.interrupted);
      } else setExit(exitCodeOf(report));
    });
}
