// Tables that fit the terminal: a boxed table when it fits the width, else the same cells stacked, one
// block per row (its first cell as a title, then `header value` pairs wrapped to the width).
import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { displayWidth, wrapLine } from './wrap.js';

/** What a table shows: a header row, rows of cells, and each column's alignment. */
export interface TableSpec {
  head: readonly string[];
  rows: ReadonlyArray<readonly string[]>;
  aligns: ReadonlyArray<'left' | 'right'>;
  /** Stacked: how many leading cells make a row's title (default 1), and whether they are named by their headers. */
  title?: { columns: number; labelled: boolean };
}

/** A boxed table in the house style (compact, cyan headers and grey borders when coloured). */
export function boxedTable(spec: TableSpec, chalk: ChalkInstance): string {
  const table = new Table({
    head: [...spec.head],
    style: { head: chalk.level > 0 ? ['cyan'] : [], border: chalk.level > 0 ? ['grey'] : [], compact: true },
    colAligns: [...spec.aligns],
  });
  for (const row of spec.rows) table.push([...row]);
  return table.toString();
}

/** The rows stacked: a title (the first cells), then `  header value · header value` lines, wrapped to `width`. */
export function stackedTable(spec: TableSpec, chalk: ChalkInstance, width: number): string {
  const { columns, labelled } = spec.title ?? { columns: 1, labelled: false };
  const named = (cell: string, i: number) => `${chalk.dim(spec.head[i] ?? '')} ${cell}`;
  const lines: string[] = [];
  for (const row of spec.rows) {
    const title = row.slice(0, columns).map((cell, i) => (labelled ? named(cell, i) : cell));
    lines.push(...wrapLine(title.join(chalk.dim(' · ')), width));
    const pairs = row.slice(columns).map((cell, i) => named(cell, i + columns));
    lines.push(...wrapLine(`  ${pairs.join(chalk.dim(' · '))}`, width));
  }
  return lines.join('\n');
}

/** The table boxed when it fits `width` columns, else stacked. */
export function fitTable(spec: TableSpec, chalk: ChalkInstance, width: number): string {
  const boxed = boxedTable(spec, chalk);
  const widest = Math.max(...boxed.split('\n').map(displayWidth));
  return widest <= width ? boxed : stackedTable(spec, chalk, width);
}
