// The terminal report of a single run: a row per mode (loss, duplicate and retry rates, p99, checks),
// then per mode what went wrong and why (causes, dead letters, state errors) and the faults met.
import type { ChalkInstance } from 'chalk';
import type { ScenarioResult } from '../run/report.js';
import { auditAnomalies, auditNotes, auditText, count, nonZero, seedText } from './format.js';
import { fitTable } from './layout.js';
import { noFaultText } from './cause-legend.js';
import { safeText } from '../safe-text.js';
import {
  checkCell,
  latencyColumn,
  modeLines,
  profileText,
  rateCell,
  signedParts,
  titleText,
  type Block,
} from './table-cells.js';

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
  if (endedBy === 'horizon') return "horizonMs: the scenario's horizon was reached";
  return endedBy;
}

/** Per mode: what went wrong and why, then the faults met (or, for an audited log, what the log showed). */
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
    if (m.outOfOrder > 0)
      parts.push(`out of key order ${count(m.outOfOrder)} (${nonZero(result.orderViolationsByCause ?? {})})`);
    if (m.groupBlockedMs > 0) parts.push(`groups blocked ${seconds(m.groupBlockedMs)} behind failing messages`);
    if (m.stateErrorAbs !== 0)
      parts.push(`${stateText(m.stateError, m.stateErrorAbs)} (${signedParts(result.stateErrorByCause)})`);
    if (m.unresolved > 0)
      parts.push(
        chalk.yellow(`${count(m.unresolved)} unresolved when the run stopped (${endText(result.endedBy, m.events)})`),
      );
    // Stopped early with every produced message settled: messages unsent or redeliveries to come are still open.
    else if (result.endedBy !== 'resolved' && result.audit === undefined)
      parts.push(
        chalk.yellow(
          `stopped before the run's end (${endText(result.endedBy, m.events)}), ${count(m.produced)} produced: messages not yet sent, acks and redeliveries still to come are not in these counts`,
        ),
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

/** A single run's block: title, file and seed, the table, the lines under it. */
export function singleBlock(scenario: ScenarioResult, chalk: ChalkInstance, width: number): Block {
  const title = titleText(scenario, chalk);
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

/** A duration in ms as seconds, to three significant digits at most: "61.4 s". */
function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 100 ? count(Math.round(s)) : Number(s.toPrecision(3))} s`;
}
