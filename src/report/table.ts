// The terminal report: one table per scenario (a row per mode, loss, duplicate and retry rates first),
// why each anomaly happened, the faults met, failed checks in red, a verdict and the replay command.
import { escapeControls, safeText } from '../safe-text.js';
import { Chalk, type ChalkInstance } from 'chalk';
import type { CheckResult } from '../run/checks.js';
import {
  isRunsResult,
  type ModeResult,
  type ModeRunsResult,
  type Report,
  type ScenarioResult,
  type ScenarioRunsResult,
} from '../run/report.js';
import {
  actualValue,
  auditAnomalies,
  auditNotes,
  auditText,
  count,
  inUnit,
  latencyUnit,
  nonZero,
  percent,
  seedText,
} from './format.js';
import { fitTable } from './layout.js';
import { summaryLine, verdictOf } from './verdict.js';
import { causeLegend, causesShown, noFaultText } from './cause-legend.js';
import { DEFAULT_WIDTH, displayWidth, wrapLine } from './wrap.js';

/** Options of the human-readable formats. */
export interface FormatOptions {
  color: boolean;
  /** Columns to fit (default 80). */
  width?: number;
  /** Warnings to print under a scenario's table, keyed by its file (e.g. a producer faster than its consumers). */
  warnings?: ReadonlyMap<string, readonly string[]>;
}

function checkCell(result: ModeResult | ModeRunsResult, chalk: ChalkInstance): string {
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

function rateCell(rate: number, chalk: ChalkInstance): string {
  return rate === 0 ? chalk.dim(percent(rate)) : chalk.bold(percent(rate));
}

/** The latency column's header and cells, all in one unit picked from its values. */
function latencyColumn(label: string, valuesMs: readonly number[]): { head: string; cells: string[] } {
  const unit = latencyUnit(valuesMs);
  return { head: `${label} ${unit.name}`, cells: valuesMs.map((ms) => inUnit(ms, unit)) };
}

// Counts (lost, duplicated, dead-lettered, unresolved) are in the lines under the table, with their causes.
function scenarioTable(scenario: ScenarioResult, chalk: ChalkInstance, width: number): string {
  const p99 = latencyColumn(
    'p99',
    scenario.results.map((r) => r.metrics.latencyMs.p99),
  );
  const rows = scenario.results.map((result, i) => {
    const m = result.metrics;
    return [
      result.mode,
      rateCell(m.lossRate, chalk),
      rateCell(m.duplicateRate, chalk),
      rateCell(m.retryRate, chalk),
      p99.cells[i]!,
      checkCell(result, chalk),
    ];
  });
  return fitTable(
    {
      head: ['mode', 'loss', 'dup', 'retry', p99.head, 'checks'],
      rows,
      aligns: ['left', 'right', 'right', 'right', 'right', 'left'],
    },
    chalk,
    width,
  );
}

/** "ackLost +11,400, publishLost -300". */
function signedParts(values: Record<string, number>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== 0)
    .map(([k, v]) => `${k} ${v > 0 ? '+' : ''}${count(v)}`)
    .join(', ');
}

function profileText(scenario: { profile?: string }): string {
  return scenario.profile === undefined ? '' : ` · profile ${scenario.profile}`;
}

/** The sink's state error in words: "sink state off by +2,300" (and the unsigned size when they differ). */
export function stateText(net: number, abs: number): string {
  const signed = `${net > 0 ? '+' : ''}${count(net)}`;
  return Math.abs(net) === abs
    ? `sink state off by ${signed}`
    : `sink state off by ${signed} net (${count(abs)} in extra and missing effects)`;
}

/** Why a run stopped, for the line under the table: the limit named, and what it was. */
function endText(endedBy: string, events: number): string {
  if (endedBy === 'maxEvents') return `maxEvents: the event limit, ${count(events)} events, was reached`;
  if (endedBy === 'maxPending') return 'maxPending: the event queue was full';
  return endedBy;
}

/** Lines under a table: `  mode  text`, wrapped so that a long text continues under itself. */
function modeLines(
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

function whyLines(scenario: ScenarioResult, chalk: ChalkInstance, columns: number): string[] {
  const row = modeLines(
    scenario.results.map((r) => r.mode),
    columns,
  );
  const lines: string[] = [];
  for (const result of scenario.results) {
    const m = result.metrics;
    const parts: string[] = [];
    if (m.lost > 0) parts.push(`lost ${count(m.lost)} (${nonZero(result.lossByCause)})`);
    if (m.duplicates > 0) parts.push(`duplicated ${count(m.duplicates)} (${nonZero(result.duplicatesByCause)})`);
    if (m.deadLettered > 0) {
      const processed =
        m.deadLetteredProcessed > 0 ? ` (${count(m.deadLetteredProcessed)} after their effect ran)` : '';
      parts.push(`dead-lettered ${count(m.deadLettered)}${processed}`);
    }
    if (m.suppressedDuplicates > 0) parts.push(`dedupe dropped ${count(m.suppressedDuplicates)} copies`);
    if (m.stateErrorAbs !== 0)
      parts.push(`${stateText(m.stateError, m.stateErrorAbs)} (${signedParts(result.stateErrorByCause)})`);
    if (m.unresolved > 0)
      parts.push(
        chalk.yellow(`${count(m.unresolved)} unresolved when the run stopped (${endText(result.endedBy, m.events)})`),
      );
    if (result.audit !== undefined) parts.push(...auditAnomalies(result.audit).map((text) => chalk.yellow(text)));
    const faults = nonZero(result.faultsInjected);
    const why =
      parts.length > 0
        ? parts.join('; ')
        : result.inconclusive !== undefined
          ? chalk.yellow(result.inconclusive)
          : chalk.dim('no anomaly');
    lines.push(...row.first(result.mode, why));
    if (result.audit !== undefined) {
      // A real log: no injected faults to list, but what only a log shows, and the rules it was read by.
      lines.push(...row.more(chalk.dim(auditText(result.audit))));
      for (const note of auditNotes(result.audit))
        lines.push(...row.more(note.warn ? chalk.yellow(note.text) : chalk.dim(note.text)));
      if (result.inconclusive !== undefined && parts.length > 0)
        lines.push(...row.more(chalk.yellow(result.inconclusive)));
      continue;
    }
    // A pass that met no fault proves little: say so where it is easy to miss.
    // Anomalies with no fault met came from timing or the configuration: the words say which.
    const metText = faults === '' ? noFaultText(result) : `faults met: ${faults}`;
    const metColour = faults === '' && (result.checks.length > 0 || metText.includes(';')) ? chalk.yellow : chalk.dim;
    lines.push(...row.more(metColour(metText)));
  }
  return lines;
}

function checkLine(check: CheckResult, chalk: ChalkInstance): string {
  const actual = actualValue(check.expr, check.actual);
  const seed = check.seed === undefined ? '' : `, seed ${check.seed}`;
  if (check.status === 'fail') return chalk.red(`  ✗ ${check.mode}: ${check.expr}  (actual ${actual}${seed})`);
  const reason = check.reason ?? 'messages were still unresolved when the run stopped';
  return chalk.yellow(`  ? ${check.mode}: ${check.expr}  (actual ${actual}${seed}; inconclusive: ${reason})`);
}

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

function runsBlock(scenario: ScenarioRunsResult, chalk: ChalkInstance, width: number): Block {
  const title =
    scenario.summary === ''
      ? chalk.bold(safeText(scenario.name, 128))
      : `${chalk.bold(safeText(scenario.name, 128))} — ${safeText(scenario.summary, 300)}`;
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

/** A scenario's report: the lines above its table (wrapped by the caller), the table, the lines under it (wrapped). */
interface Block {
  head: string[];
  table: string;
  tail: string[];
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

function singleBlock(scenario: ScenarioResult, chalk: ChalkInstance, width: number): Block {
  const title =
    scenario.summary === ''
      ? chalk.bold(safeText(scenario.name, 128))
      : `${chalk.bold(safeText(scenario.name, 128))} — ${safeText(scenario.summary, 300)}`;
  return {
    head: [
      title,
      chalk.dim(
        `  ${safeText(scenario.file, 400)}${profileText(scenario)}${seedText(scenario)} · ${count(scenario.messages)} messages`,
      ),
    ],
    table: scenarioTable(scenario, chalk, width),
    tail: whyLines(scenario, chalk, width),
  };
}
