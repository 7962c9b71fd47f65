// The terminal report of many runs: a row per mode (loss and duplicate rates with their 95% intervals,
// retry, p99, checks), then per mode the causes over all runs, the faults each run met, the worst run.
import type { ChalkInstance } from 'chalk';
import type { ScenarioRunsResult } from '../run/report.js';
import { count, nonZero, percent } from './format.js';
import { fitTable } from './layout.js';
import { safeText } from '../safe-text.js';
import { checkCell, latencyColumn, modeLines, profileText, signedParts, titleText, type Block } from './table-cells.js';

/** "0.98% (0.94–1.03)": the mean, then the 95% interval's bounds in the same unit. */
function rateWithInterval(summary: { mean: number; lower: number; upper: number }): string {
  const bare = (rate: number) => percent(rate).replace(/%$/, '');
  return `${percent(summary.mean)} (${bare(summary.lower)}–${bare(summary.upper)})`;
}

// The most lost and duplicated in one run are in the lines under the table, beside the worst run.
function runsTable(scenario: ScenarioRunsResult, chalk: ChalkInstance, width: number): string {
  const p99 = latencyColumn(
    'p99',
    scenario.results.map((r) => r.aggregate.metrics['latencyMs.p99']!.mean),
  );
  const rows = scenario.results.map((result, i) => {
    const m = result.aggregate.metrics;
    return [
      result.mode,
      rateWithInterval(m.lossRate!),
      rateWithInterval(m.duplicateRate!),
      percent(m.retryRate!.mean),
      p99.cells[i]!,
      checkCell(result, chalk),
    ];
  });
  return fitTable(
    {
      head: ['mode', 'loss (95% CI)', 'dup (95% CI)', 'retry', p99.head, 'checks'],
      rows,
      aligns: ['left', 'right', 'right', 'right', 'right', 'left'],
    },
    chalk,
    width,
  );
}

/** Per mode: the causes over all runs, how many runs met each fault, and the worst run's command. */
function runsWhyLines(scenario: ScenarioRunsResult, chalk: ChalkInstance, columns: number): string[] {
  const row = modeLines(
    scenario.results.map((r) => r.mode),
    columns,
  );
  const lines: string[] = [];
  for (const result of scenario.results) {
    const a = result.aggregate;
    const parts: string[] = [];
    const lost = nonZero(a.lossByCause);
    const duplicated = nonZero(a.duplicatesByCause);
    const most = (n: number) => (n > 0 ? ` (at most ${count(n)} in one run)` : '');
    if (lost !== '') parts.push(`lost in all runs: ${lost}${most(a.metrics.lost!.max)}`);
    if (duplicated !== '') parts.push(`duplicated in all runs: ${duplicated}${most(a.metrics.duplicates!.max)}`);
    const state = signedParts(a.stateErrorByCause ?? {});
    if (state !== '') parts.push(`sink state error in all runs: ${state}`);
    if (a.complete < a.runs) parts.push(chalk.yellow(`${a.runs - a.complete} run(s) ended with messages unresolved`));
    const coverage = a.configuredFaults.map((f) => `${f} ${a.coverage[f] ?? 0}/${a.runs}`).join(', ');
    const unmet = a.configuredFaults.some((f) => (a.coverage[f] ?? 0) === 0);
    lines.push(...row.first(result.mode, parts.length > 0 ? parts.join('; ') : chalk.dim('no anomaly in any run')));
    const met = coverage === '' ? 'no fault configured' : `runs that met each fault: ${coverage}`;
    lines.push(...row.more(unmet ? chalk.yellow(met) : chalk.dim(met)));
    // A command to copy stays whole, however long.
    lines.push(...row.command(chalk.dim(`worst run: ${result.worstRun}`)));
  }
  return lines;
}

/** A batch's block: title, file, seeds and shard, the table, the lines under it. */
export function runsBlock(scenario: ScenarioRunsResult, chalk: ChalkInstance, width: number): Block {
  const title = titleText(scenario, chalk);
  const last = scenario.seed + scenario.runs - 1;
  const shard = scenario.shard === undefined ? '' : ` · shard ${scenario.shard}`;
  // An interrupted batch says how many runs it holds.
  const finished = Math.max(...scenario.results.map((r) => r.aggregate.runs));
  const partial =
    scenario.shard === undefined && finished < scenario.runs ? chalk.yellow(` · only ${count(finished)} finished`) : '';
  return {
    head: [
      title,
      chalk.dim(
        `  ${safeText(scenario.file, 400)}${profileText(scenario)} · ${count(scenario.runs)} runs, seeds ${scenario.seed}..${last}${shard} · ${count(scenario.messages)} messages each`,
      ) + partial,
    ],
    table: runsTable(scenario, chalk, width),
    tail: runsWhyLines(scenario, chalk, width),
  };
}
