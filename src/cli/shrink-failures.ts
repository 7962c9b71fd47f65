// After a run with failed checks: shrinks each mode's first failed check (run/failure-files.ts), writes
// each failure file under acksim-failures/, and prints the line that replays it.
import { wrapLine } from '../report/wrap.js';
import { FAILURE_DIR, shrinkFailures } from '../run/failure-files.js';
import type { Report } from '../run/report.js';
import type { Scenario, ScenarioCheck } from '../scenario/types.js';
import { safeText, shellWord } from '../safe-text.js';
import type { Io } from './common.js';
import { writeOwnFile } from './output.js';
import { outputWidth } from './terminal.js';
import { VERSION_TEXT } from '../version.js';
import type { UserCode } from '../run/prepare.js';

/**
 * Shrinks the first failed check of each mode of each scenario and writes its failure file; `budgetMs`
 * bounds the time spent per failure, and a budget hit is reported. The run's verdict stands whatever
 * happens here: a file that cannot be written is one line, not an error.
 */
export async function writeShrunkFailures(
  report: Report,
  scenarios: readonly Scenario[],
  checks: (scenario: Scenario, mode: string) => ScenarioCheck[],
  options: {
    messages?: number;
    budgetMs: number;
    inputs: readonly string[];
    handler?: UserCode | undefined;
    /** The --handler the run had: its replay needs it too. */
    handlerPath?: string | undefined;
  },
  io: Io,
): Promise<void> {
  const budget = () => {
    const deadline = Date.now() + options.budgetMs;
    return () => Date.now() > deadline;
  };
  const width = () => outputWidth(process.stderr);
  for await (const outcome of shrinkFailures(report, scenarios, checks, {
    ...options,
    budget,
    version: VERSION_TEXT,
  })) {
    if (outcome.kind === 'skipped') {
      io.stderr(`${wrapLine(safeText(outcome.text, 600), width()).join('\n')}\n`);
      continue;
    }
    const text = `${JSON.stringify(outcome.failure, null, 2)}\n`;
    const folder = FAILURE_DIR;
    const problem = writeOwnFile({ cwd: io.cwd, folder, name: outcome.name, text, inputs: options.inputs });
    const hit = outcome.budgetHit
      ? ` (shrink budget of ${options.budgetMs / 1000} s hit: smaller, maybe not minimal)`
      : '';
    const replay =
      problem === undefined
        ? `replay: acksim replay ${outcome.file}${options.handlerPath === undefined ? '' : ` --handler ${shellWord(options.handlerPath)}`}`
        : `the failure file ${outcome.file} could not be written: ${problem}`;
    // With a handler, what went wrong in it (or, without a story, where in it each crash fell); the replay command
    // on a line of its own, whole, to copy it.
    const story = outcome.story.length > 0;
    const faults =
      options.handler === undefined
        ? []
        : [
            ...outcome.story,
            ...outcome.faults.flatMap(({ fault, where }) => [
              `${story ? 'fault: ' : ''}${fault}`,
              ...(where === '' || story ? [] : [`  ${where}`]),
            ]),
          ];
    const lines = faults.map((f) => wrapLine(`  ${safeText(f, 400)}`, width()).join('\n'));
    io.stderr(
      `${wrapLine(`${outcome.text}${hit}`, width()).join('\n')}\n${lines.map((l) => `${l}\n`).join('')}  ${replay}\n`,
    );
  }
}
