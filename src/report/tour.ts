// `acksim tour` as text: a few lessons, each a compact block (loss and duplicates per mode, with their
// main cause) under its one-line takeaway, the verdict of every lesson, and the commands that go further.
import type { ChalkInstance } from 'chalk';
import { allChecks, inconclusiveReasons, type Report, type ScenarioResult } from '../run/report.js';
import { safeText } from '../safe-text.js';
import { count, percent } from './format.js';
import { verdictOf } from './verdict.js';
import { wrapLine } from './wrap.js';

/** The largest entry of a count table, as `cause n`, or nothing. */
function mainCause(table: Record<string, number>): string {
  const [name, n] = Object.entries(table).sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  return n > 0 ? `${name} ${count(n)}` : '';
}

/** One lesson: its name and takeaway, a line per mode, and how to see more. */
export function tourBlock(index: number, scenario: ScenarioResult, chalk: ChalkInstance, width: number): string[] {
  const modeWidth = Math.max(...scenario.results.map((r) => r.mode.length));
  const lines = wrapLine(
    `${index}. ${chalk.bold(safeText(scenario.name, 128))}: ${safeText(scenario.summary, 300)}`,
    width,
    { hang: 3 },
  );
  for (const result of scenario.results) {
    const m = result.metrics;
    const causes = [mainCause(result.lossByCause), mainCause(result.duplicatesByCause)]
      .filter((c) => c !== '')
      .join(', ');
    const cells = `loss ${percent(m.lossRate).padStart(6)}  dup ${percent(m.duplicateRate).padStart(6)}`;
    lines.push(
      ...wrapLine(
        `   ${result.mode.padEnd(modeWidth)}  ${cells}${causes === '' ? '' : chalk.dim(`  ${causes}`)}`,
        width,
        { hang: 4 },
      ),
    );
  }
  lines.push(...wrapLine(chalk.dim(`   more: acksim run ${scenario.name}`), width));
  return lines;
}

/**
 * The whole tour: a line on what it is, the lessons shown, the verdict of every lesson run (`report`,
 * all of them, checks included) and the commands that go further.
 */
export function formatTour(
  lessons: readonly ScenarioResult[],
  report: Report,
  options: { chalk: ChalkInstance; width: number; runAll: string },
): string {
  const { chalk, width } = options;
  const all = report.scenarios.length;
  const out = wrapLine(
    `acksim tour: ${all} built-in lessons, each run once in every delivery mode; ${lessons.length} of them in a few lines (loss and duplicate rates, main cause)`,
    width,
  );
  lessons.forEach((scenario, i) => out.push('', ...tourBlock(i + 1, scenario, chalk, width)));
  const verdict = verdictOf(allChecks(report), inconclusiveReasons(report));
  const colour = verdict.status === 'fail' ? chalk.red : verdict.status === 'inconclusive' ? chalk.yellow : chalk.green;
  out.push(
    '',
    ...wrapLine(`All ${all} lessons: ${colour(verdict.text)}`, width, { hang: 2 }),
    ...wrapLine(`Every number and check of them: ${options.runAll}`, width, { hang: 2 }),
    ...wrapLine('Their one-line lessons: acksim list · why a message was lost: acksim explain', width, { hang: 2 }),
  );
  return `${out.join('\n')}\n`;
}
