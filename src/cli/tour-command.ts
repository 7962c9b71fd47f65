// `acksim tour`: the first command to try (npm start runs it): a few built-in lessons in a few lines each.
import { Chalk } from 'chalk';
import { Command } from 'commander';
import { ScenarioError } from '../errors.js';
import { formatTour } from '../report/tour.js';
import { isRunsResult, type ScenarioResult } from '../run/report.js';
import { runScenarios } from '../run/run-scenario.js';
import { BUILTIN_DIR, loadScenarios } from '../scenario/load.js';
import type { Io } from './common.js';
import { outputWidth, useColor } from './terminal.js';

/** The lessons of the tour, in order: lost acks, a crash under auto-ack, a timeout too short, retries after a lost publish. */
export const TOUR_LESSONS = ['lost-acks', 'crash-before-effect', 'visibility-timeout-too-short', 'lossy-publish'] as const;

/** The command that runs every built-in lesson. */
const RUN_ALL = 'acksim run scenarios/';

/** Registers `acksim tour`. */
export function tourCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('tour')
    .description('a short tour: a few built-in lessons, a few lines each, and the command that runs them all')
    .option('--no-color', 'no colour, even on a terminal')
    .addHelpText('after', '\nExamples:\n  $ acksim tour\n  $ acksim list      every lesson, one line each')
    .action(async (flags: { color?: boolean }) => {
      const { scenarios, issues } = loadScenarios([BUILTIN_DIR], io.cwd);
      if (issues.length > 0) throw new ScenarioError(issues);
      const lessons = TOUR_LESSONS.map((name) => scenarios.find((s) => s.name === name)).filter((s) => s !== undefined);
      const report = await runScenarios(lessons, { runs: 1, workers: 1 });
      const results = report.scenarios.filter((s): s is ScenarioResult => !isRunsResult(s));
      const chalk = new Chalk({ level: useColor(flags.color) ? 1 : 0 });
      io.stdout(formatTour(results, { chalk, width: outputWidth(), builtIns: scenarios.length, runAll: RUN_ALL }));
      setExit(0);
    });
}
