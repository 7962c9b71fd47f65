// What the causes a report shows mean: a legend under the table, one line per cause, and the words
// that say where anomalies came from when no fault was met.
import type { ChalkInstance } from 'chalk';
import { causeEntry } from '../run/cause-glossary.js';
import { isRunsResult, type ModeResult, type ScenarioResult, type ScenarioRunsResult } from '../run/report.js';
import { safeText } from '../safe-text.js';
import { DEFAULT_WIDTH, wrap } from './wrap.js';

function named(table: Record<string, number> | undefined): string[] {
  return Object.entries(table ?? {})
    .filter(([, n]) => n !== 0)
    .map(([name]) => name);
}

/** The cause names a scenario's table and why-lines show, in glossary order. */
export function causesShown(scenario: ScenarioResult | ScenarioRunsResult): string[] {
  const names = isRunsResult(scenario)
    ? scenario.results.flatMap((r) => [
        ...named(r.aggregate.lossByCause),
        ...named(r.aggregate.duplicatesByCause),
        ...named(r.aggregate.stateErrorByCause),
      ])
    : scenario.results.flatMap((r) => [
        ...named(r.lossByCause),
        ...named(r.duplicatesByCause),
        ...named(r.stateErrorByCause),
      ]);
  return [...new Set(names)];
}

/** The legend: a title line and one line per cause (wrapped to `columns`), or nothing when no cause is shown. */
export function causeLegend(causes: readonly string[], chalk: ChalkInstance, columns = DEFAULT_WIDTH): string[] {
  if (causes.length === 0) return [];
  // Names from a merged report are input: escaped like everything echoed.
  const names = causes.map((name) => safeText(name, 100));
  const width = Math.max(...names.map((n) => n.length));
  const lines = [chalk.dim('  causes (more: acksim explain --cause <name>):')];
  for (const name of names) {
    const gloss = causeEntry(causes[names.indexOf(name)]!)?.gloss ?? 'no gloss (not a cause acksim knows)';
    lines.push(
      ...wrap(gloss, columns, `  ${name.padEnd(width)}  `, ' '.repeat(width + 4)).map((line) => chalk.dim(line)),
    );
  }
  return lines;
}

/**
 * "faults met: none", and when the run still lost or duplicated messages, where that came from: timing
 * (a timer or retention ran out) or the configuration (how the scenario is set up).
 */
export function noFaultText(result: ModeResult): string {
  const parts: string[] = [];
  for (const [what, table] of [
    ['losses', result.lossByCause],
    ['duplicates', result.duplicatesByCause],
  ] as const) {
    const causes = named(table);
    if (causes.length === 0) continue;
    const timing = causes.filter((c) => causeEntry(c)?.timing === true);
    const other = causes.filter((c) => causeEntry(c)?.timing !== true);
    const from = [
      timing.length > 0 ? `timing (${timing.join(', ')})` : '',
      other.length > 0 ? `the configuration (${other.join(', ')})` : '',
    ].filter((s) => s !== '');
    parts.push(`the ${what} come from ${from.join(' and ')}`);
  }
  return ['faults met: none', ...parts].join('; ');
}
