// The terminal report: one table per scenario (a row per mode, loss, duplicate and retry rates first),
// why each anomaly happened, the faults met, failed checks in red, a verdict and the replay command.
import { depthSparklines } from './sparkline.js';
import { escapeControls } from '../safe-text.js';
import { Chalk, type ChalkInstance } from 'chalk';
import type { CheckResult } from '../run/checks.js';
import { isRunsResult, type Report } from '../run/report.js';
import { actualValue } from './format.js';
import { summaryLine, verdictOf } from './verdict.js';
import { causeLegend, causesShown } from './cause-legend.js';
import { DEFAULT_WIDTH, displayWidth, wrapLine } from './wrap.js';
import { singleBlock } from './table-run.js';
import { runsBlock } from './table-runs.js';

/** Options of the human-readable formats. */
export interface FormatOptions {
  color: boolean;
  /** Draw each mode's queue depth over time under its table (a terminal with room; the run sampled it). */
  sparklines?: boolean;
  /** Columns to fit (default 80). */
  width?: number;
  /** Warnings to print under a scenario's table, keyed by its file (e.g. a producer faster than its consumers). */
  warnings?: ReadonlyMap<string, readonly string[]>;
}

/** A failed or inconclusive check, with what was measured. */
function checkLine(check: CheckResult, chalk: ChalkInstance): string {
  const actual = actualValue(check.expr, check.actual);
  const seed = check.seed === undefined ? '' : `, seed ${check.seed}`;
  // A failure's reason says what broke where the value cannot (the handler's check(state), determinism).
  const why = check.reason === undefined ? '' : `: ${escapeControls(check.reason)}`;
  if (check.status === 'fail') return chalk.red(`  ✗ ${check.mode}: ${check.expr}  (actual ${actual}${seed}${why})`);
  const reason = check.reason ?? 'messages were still unresolved when the run stopped';
  return chalk.yellow(`  ? ${check.mode}: ${check.expr}  (actual ${actual}${seed}; inconclusive: ${reason})`);
}

/** Formats the report for a terminal, fitting `options.width` columns. */
export function formatTable(report: Report, options: FormatOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const width = options.width ?? DEFAULT_WIDTH;
  const fit = (line: string) => wrapLine(line, width);
  const blocks: string[] = [];
  for (const scenario of report.scenarios) {
    const block = isRunsResult(scenario) ? runsBlock(scenario, chalk, width) : singleBlock(scenario, chalk, width);
    const lines = [...block.head.flatMap(fit), block.table, ...block.tail];
    if (options.sparklines === true && !isRunsResult(scenario)) lines.push(...depthSparklines(scenario.results, width));
    lines.push(...causeLegend(causesShown(scenario), chalk, width));
    for (const warning of options.warnings?.get(scenario.file) ?? [])
      lines.push(...fit(chalk.yellow(`  warning: ${warning}`)));
    const checks = (scenario.results as Array<{ checks: CheckResult[] }>).flatMap((r) => r.checks);
    lines.push(...checks.filter((c) => c.status !== 'pass').flatMap((c) => fit(checkLine(c, chalk))));
    const verdict = verdictOf(
      checks,
      isRunsResult(scenario) ? [] : scenario.results.flatMap((r) => r.inconclusive ?? []),
    );
    const colour =
      verdict.status === 'fail' ? chalk.red : verdict.status === 'inconclusive' ? chalk.yellow : chalk.green;
    // The reproduce command stays whole, to be copied: on a line of its own when the verdict's has no room.
    const reproduce = `reproduce: ${escapeControls(scenario.reproduce)}`;
    const together = `  ${colour(verdict.text)} · ${reproduce}`;
    lines.push(
      ...(displayWidth(together) <= width ? [together] : [...fit(`  ${colour(verdict.text)}`), `  ${reproduce}`]),
    );
    blocks.push(lines.join('\n'));
  }
  if (report.interrupted === true)
    blocks.push(fit(chalk.yellow('INTERRUPTED: the report holds only what finished before Ctrl-C')).join('\n'));
  blocks.push(fit(summaryLine(report)).join('\n'));
  return `${blocks.join('\n\n')}\n`;
}
