// The terminal report: one table per scenario (a row per mode, loss, duplicate and retry rates first),
// why each anomaly happened, the faults met, failed checks in red, a verdict and the replay command.
import { escapeControls, safeText } from '../safe-text.js';
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { CheckResult } from '../run/checks.js';
import {
  isRunsResult,
  type ModeResult,
  type ModeRunsResult,
  type Report,
  type ScenarioResult,
  type ScenarioRunsResult,
} from '../run/report.js';
import { actualValue, auditAnomalies, auditNotes, auditText, count, millis, nonZero, percent, seedText } from './format.js';
import { summaryLine, verdictOf } from './verdict.js';
import { causeLegend, causesShown, noFaultText } from './cause-legend.js';
import { wrap } from './wrap.js';

/** Options of the human-readable formats. */
export interface FormatOptions {
  color: boolean;
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

function scenarioTable(scenario: ScenarioResult, chalk: ChalkInstance): string {
  const table = new Table({
    head: ['mode', 'loss', 'dup', 'retry', 'lost', 'dups', 'DLQ', 'unresolved', 'p99 ms', 'checks'],
    style: { head: chalk.level > 0 ? ['cyan'] : [], border: chalk.level > 0 ? ['grey'] : [], compact: true },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  });
  for (const result of scenario.results) {
    const m = result.metrics;
    table.push([
      result.mode,
      rateCell(m.lossRate, chalk),
      rateCell(m.duplicateRate, chalk),
      rateCell(m.retryRate, chalk),
      count(m.lost),
      count(m.duplicates),
      count(m.deadLettered),
      m.unresolved > 0 ? chalk.yellow(count(m.unresolved)) : count(m.unresolved),
      millis(m.latencyMs.p99),
      checkCell(result, chalk),
    ]);
  }
  return table.toString();
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

function whyLines(scenario: ScenarioResult, chalk: ChalkInstance): string[] {
  const width = Math.max(...scenario.results.map((r) => r.mode.length));
  const lines: string[] = [];
  for (const result of scenario.results) {
    const m = result.metrics;
    const parts: string[] = [];
    if (m.lost > 0) parts.push(`lost ${count(m.lost)} (${nonZero(result.lossByCause)})`);
    if (m.duplicates > 0) parts.push(`duplicated ${count(m.duplicates)} (${nonZero(result.duplicatesByCause)})`);
    if (m.deadLettered > 0) {
      const processed = m.deadLetteredProcessed > 0 ? ` (${count(m.deadLetteredProcessed)} after their effect ran)` : '';
      parts.push(`dead-lettered ${count(m.deadLettered)}${processed}`);
    }
    if (m.suppressedDuplicates > 0) parts.push(`dedupe dropped ${count(m.suppressedDuplicates)} copies`);
    if (m.stateErrorAbs !== 0) parts.push(`${stateText(m.stateError, m.stateErrorAbs)} (${signedParts(result.stateErrorByCause)})`);
    if (m.unresolved > 0)
      parts.push(chalk.yellow(`${count(m.unresolved)} unresolved when the run stopped (${endText(result.endedBy, m.events)})`));
    if (result.audit !== undefined) parts.push(...auditAnomalies(result.audit).map((text) => chalk.yellow(text)));
    const faults = nonZero(result.faultsInjected as unknown as Record<string, number>);
    const why =
      parts.length > 0 ? parts.join('; ') : result.inconclusive !== undefined ? chalk.yellow(result.inconclusive) : chalk.dim('no anomaly');
    lines.push(`  ${result.mode.padEnd(width)}  ${why}`);
    if (result.audit !== undefined) {
      // A real log: no injected faults to list, but what only a log shows, and the rules it was read by.
      const pad = ' '.repeat(width);
      lines.push(`  ${pad}  ${chalk.dim(auditText(result.audit))}`);
      for (const note of auditNotes(result.audit)) lines.push(`  ${pad}  ${note.warn ? chalk.yellow(note.text) : chalk.dim(note.text)}`);
      if (result.inconclusive !== undefined && parts.length > 0) lines.push(`  ${pad}  ${chalk.yellow(result.inconclusive)}`);
      continue;
    }
    // A pass that met no fault proves little: say so where it is easy to miss.
    // Anomalies with no fault met came from timing or the configuration: the words say which.
    const metText = faults === '' ? noFaultText(result) : `faults met: ${faults}`;
    const metColour = faults === '' && (result.checks.length > 0 || metText.includes(';')) ? chalk.yellow : chalk.dim;
    const pad = `  ${' '.repeat(width)}  `;
    lines.push(...wrap(metText, 80, pad).map((line) => `${pad}${metColour(line.slice(pad.length))}`));
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

function rateWithInterval(summary: { mean: number; lower: number; upper: number }): string {
  return `${percent(summary.mean)} (${percent(summary.lower)}–${percent(summary.upper)})`;
}

function runsTable(scenario: ScenarioRunsResult, chalk: ChalkInstance): string {
  const table = new Table({
    head: ['mode', 'loss (95% CI)', 'dup (95% CI)', 'retry', 'lost max', 'dups max', 'p99 ms', 'checks'],
    style: { head: chalk.level > 0 ? ['cyan'] : [], border: chalk.level > 0 ? ['grey'] : [], compact: true },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  });
  for (const result of scenario.results) {
    const m = result.aggregate.metrics;
    table.push([
      result.mode,
      rateWithInterval(m.lossRate!),
      rateWithInterval(m.duplicateRate!),
      percent(m.retryRate!.mean),
      count(m.lost!.max),
      count(m.duplicates!.max),
      millis(m['latencyMs.p99']!.mean),
      checkCell(result, chalk),
    ]);
  }
  return table.toString();
}

function runsWhyLines(scenario: ScenarioRunsResult, chalk: ChalkInstance): string[] {
  const width = Math.max(...scenario.results.map((r) => r.mode.length));
  const pad = ' '.repeat(width);
  const lines: string[] = [];
  for (const result of scenario.results) {
    const a = result.aggregate;
    const parts: string[] = [];
    const lost = nonZero(a.lossByCause);
    const duplicated = nonZero(a.duplicatesByCause);
    if (lost !== '') parts.push(`lost in all runs: ${lost}`);
    if (duplicated !== '') parts.push(`duplicated in all runs: ${duplicated}`);
    const state = signedParts(a.stateErrorByCause ?? {});
    if (state !== '') parts.push(`sink state error in all runs: ${state}`);
    if (a.complete < a.runs) parts.push(chalk.yellow(`${a.runs - a.complete} run(s) ended with messages unresolved`));
    const coverage = a.configuredFaults.map((f) => `${f} ${a.coverage[f] ?? 0}/${a.runs}`).join(', ');
    const unmet = a.configuredFaults.some((f) => (a.coverage[f] ?? 0) === 0);
    lines.push(`  ${result.mode.padEnd(width)}  ${parts.length > 0 ? parts.join('; ') : chalk.dim('no anomaly in any run')}`);
    const met = coverage === '' ? 'no fault configured' : `runs that met each fault: ${coverage}`;
    lines.push(`  ${pad}  ${unmet ? chalk.yellow(met) : chalk.dim(met)}`);
    lines.push(`  ${pad}  ${chalk.dim(`worst run: ${result.worstRun}`)}`);
  }
  return lines;
}

function runsBlock(scenario: ScenarioRunsResult, chalk: ChalkInstance): string[] {
  const title =
    scenario.summary === ''
      ? chalk.bold(safeText(scenario.name, 128))
      : `${chalk.bold(safeText(scenario.name, 128))} — ${safeText(scenario.summary, 300)}`;
  const last = scenario.seed + scenario.runs - 1;
  const shard = scenario.shard === undefined ? '' : ` · shard ${scenario.shard}`;
  // An interrupted batch says how many runs it holds.
  const finished = Math.max(...scenario.results.map((r) => r.aggregate.runs));
  const partial = scenario.shard === undefined && finished < scenario.runs ? chalk.yellow(` · only ${count(finished)} finished`) : '';
  return [
    title,
    chalk.dim(
      `  ${safeText(scenario.file, 400)}${profileText(scenario)} · ${count(scenario.runs)} runs, seeds ${scenario.seed}..${last}${shard} · ${count(scenario.messages)} messages each`,
    ) + partial,
    runsTable(scenario, chalk),
    ...runsWhyLines(scenario, chalk),
  ];
}

/** Formats the report for a terminal. */
export function formatTable(report: Report, options: FormatOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const blocks: string[] = [];
  for (const scenario of report.scenarios) {
    const lines: string[] = isRunsResult(scenario) ? runsBlock(scenario, chalk) : singleBlock(scenario, chalk);
    lines.push(...causeLegend(causesShown(scenario), chalk));
    const checks = (scenario.results as Array<{ checks: CheckResult[] }>).flatMap((r) => r.checks);
    lines.push(...checks.filter((c) => c.status !== 'pass').map((c) => checkLine(c, chalk)));
    const verdict = verdictOf(checks, isRunsResult(scenario) ? [] : scenario.results.flatMap((r) => r.inconclusive ?? []));
    const colour = verdict.status === 'fail' ? chalk.red : verdict.status === 'inconclusive' ? chalk.yellow : chalk.green;
    lines.push(`  ${colour(verdict.text)} · reproduce: ${escapeControls(scenario.reproduce)}`);
    blocks.push(lines.join('\n'));
  }
  if (report.interrupted === true) blocks.push(chalk.yellow('INTERRUPTED: the report holds only what finished before Ctrl-C'));
  blocks.push(summaryLine(report));
  return `${blocks.join('\n\n')}\n`;
}

function singleBlock(scenario: ScenarioResult, chalk: ChalkInstance): string[] {
  const title =
    scenario.summary === ''
      ? chalk.bold(safeText(scenario.name, 128))
      : `${chalk.bold(safeText(scenario.name, 128))} — ${safeText(scenario.summary, 300)}`;
  return [
    title,
    chalk.dim(`  ${safeText(scenario.file, 400)}${profileText(scenario)}${seedText(scenario)} · ${count(scenario.messages)} messages`),
    scenarioTable(scenario, chalk),
    ...whyLines(scenario, chalk),
  ];
}
