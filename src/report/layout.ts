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

/** The rows stacked: `first cell` then `  header value · header value` lines, wrapped to `width`. */
export function stackedTable(spec: TableSpec, chalk: ChalkInstance, width: number): string {
  const lines: string[] = [];
  for (const row of spec.rows) {
    const [first, ...rest] = row;
    lines.push(first ?? '');
    const pairs = rest.map((cell, i) => `${chalk.dim(spec.head[i + 1] ?? '')} ${cell}`).join(chalk.dim(' · '));
    lines.push(...wrapLine(`  ${pairs}`, width));
  }
  return lines.join('\n');
}

/** The table boxed when it fits `width` columns, else stacked. */
export function fitTable(spec: TableSpec, chalk: ChalkInstance, width: number): string {
  const boxed = boxedTable(spec, chalk);
  const widest = Math.max(...boxed.split('\n').map(displayWidth));
  return widest <= width ? boxed : stackedTable(spec, chalk, width);
}
