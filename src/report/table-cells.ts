// What the terminal's two tables (one run, many runs) share: the checks and rate cells, the latency
// column, a scenario's title, and the lines under a table, each led by its mode.
import { safeText } from '../safe-text.js';
import type { ChalkInstance } from 'chalk';
import type { ModeResult, ModeRunsResult } from '../run/report.js';
import { count, inUnit, latencyUnit, percent } from './format.js';
import { wrapLine } from './wrap.js';

/** A scenario's report: the lines above its table (wrapped by the caller), the table, the lines under it (wrapped). */
export interface Block {
  head: string[];
  table: string;
  tail: string[];
}

/** The checks cell: passed out of all, marked by the worst status ("none" without checks). */
export function checkCell(result: ModeResult | ModeRunsResult, chalk: ChalkInstance): string {
  const checks = result.checks;
  // A result with nothing in it is no pass, with or without checks.
  if (checks.length === 0)
    return 'inconclusive' in result && result.inconclusive !== undefined ? chalk.yellow('none ?') : chalk.dim('none');
  const passed = checks.filter((c) => c.status === 'pass').length;
  const text = `${passed}/${checks.length}`;
  if (checks.some((c) => c.status === 'fail')) return chalk.red(`${text} ✗`);
  if (checks.some((c) => c.status === 'inconclusive')) return chalk.yellow(`${text} ?`);
  return chalk.green(`${text} ✓`);
}

/** A rate's cell: dim when zero. */
export function rateCell(rate: number, chalk: ChalkInstance): string {
  return rate === 0 ? chalk.dim(percent(rate)) : chalk.bold(percent(rate));
}

/** The latency column's header and cells, all in one unit picked from its values. */
export function latencyColumn(label: string, valuesMs: readonly number[]): { head: string; cells: string[] } {
  const unit = latencyUnit(valuesMs);
  return { head: `${label} ${unit.name}`, cells: valuesMs.map((ms) => inUnit(ms, unit)) };
}

/** "ackLost +11,400, publishLost -300". */
export function signedParts(values: Record<string, number>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== 0)
    .map(([k, v]) => `${k} ${v > 0 ? '+' : ''}${count(v)}`)
    .join(', ');
}

/** " · profile kafka" after the scenario's file (nothing without a profile). */
export function profileText(scenario: { profile?: string }): string {
  return scenario.profile === undefined ? '' : ` · profile ${scenario.profile}`;
}

/** The scenario's title line: its name in bold, then its summary. */
export function titleText(scenario: { name: string; summary: string }, chalk: ChalkInstance): string {
  return scenario.summary === ''
    ? chalk.bold(safeText(scenario.name, 128))
    : `${chalk.bold(safeText(scenario.name, 128))} — ${safeText(scenario.summary, 300)}`;
}

/** Lines under a table: `  mode  text`, wrapped so that a long text continues under itself. */
export function modeLines(
  modes: readonly string[],
  width: number,
): {
  first: (mode: string, text: string) => string[];
  more: (text: string) => string[];
  command: (text: string) => string[];
} {
  const modeWidth = Math.max(...modes.map((m) => m.length));
  const pad = ' '.repeat(modeWidth);
  return {
    first: (mode, text) => wrapLine(`  ${mode.padEnd(modeWidth)}  ${text}`, width, { hang: modeWidth + 4 }),
    more: (text) => wrapLine(`  ${pad}  ${text}`, width, { hang: 2 }),
    command: (text) => [`  ${pad}  ${text}`],
  };
}
