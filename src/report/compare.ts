// The compare report for a terminal (and Markdown): modes side by side, then the per-message story.
import { escapeControls, safeText } from '../safe-text.js';
import { Chalk, type ChalkInstance } from 'chalk';
import type { CompareReport, PairStory, Transition } from '../run/compare.js';
import type { Metrics } from '../run/metrics.js';
import { count, inUnit, latencyUnit, percent } from './format.js';
import { causeLegend } from './cause-legend.js';
import { fitTable } from './layout.js';
import { DEFAULT_WIDTH, wrapLine } from './wrap.js';

interface Row {
  label: string;
  value: (m: Metrics) => number;
  show: (v: number) => string;
  /** A latency: shown in one unit for the whole row, named after the label. */
  latency?: boolean;
  /** True when a higher value is better (green). */
  higherIsBetter?: boolean;
}

const ROWS: Row[] = [
  { label: 'loss rate', value: (m) => m.lossRate, show: percent },
  { label: 'duplicate rate', value: (m) => m.duplicateRate, show: percent },
  { label: 'retry rate', value: (m) => m.retryRate, show: percent },
  { label: 'lost', value: (m) => m.lost, show: (v) => count(Math.round(v * 100) / 100) },
  { label: 'duplicated', value: (m) => m.duplicates, show: (v) => count(Math.round(v * 100) / 100) },
  { label: 'dead-lettered', value: (m) => m.deadLettered, show: (v) => count(Math.round(v * 100) / 100) },
  { label: 'unresolved', value: (m) => m.unresolved, show: (v) => count(Math.round(v * 100) / 100) },
  { label: 'deliveries', value: (m) => m.deliveries, show: (v) => count(Math.round(v)) },
  { label: 'dedupe dropped', value: (m) => m.suppressedDuplicates, show: (v) => count(Math.round(v)) },
  { label: 'latency p50', value: (m) => m.latencyMs.p50, show: String, latency: true },
  { label: 'latency p99', value: (m) => m.latencyMs.p99, show: String, latency: true },
];

function sideBySide(report: CompareReport, chalk: ChalkInstance, width: number): string {
  const rows = ROWS.map((row) => {
    const values = report.modes.map((mode) => row.value(report.metrics[mode]!));
    const best = row.higherIsBetter === true ? Math.max(...values) : Math.min(...values);
    const worst = row.higherIsBetter === true ? Math.min(...values) : Math.max(...values);
    const differ = best !== worst;
    // A latency row is in one unit, picked from its values and named in its label.
    const unit = row.latency === true ? latencyUnit(values) : undefined;
    const show = unit === undefined ? row.show : (v: number) => inUnit(v, unit);
    return [
      unit === undefined ? row.label : `${row.label} ${unit.name}`,
      ...values.map((v) =>
        differ && v === best ? chalk.green(show(v)) : differ && v === worst ? chalk.red.bold(show(v)) : show(v),
      ),
    ];
  });
  return fitTable(
    { head: ['', ...report.modes], rows, aligns: ['left', ...report.modes.map(() => 'right' as const)] },
    chalk,
    width,
  );
}

function line(transition: Transition, text: string): string | undefined {
  if (transition.count === 0) return undefined;
  const example =
    transition.example === undefined ? '' : ` (e.g. #${transition.example.id}: ${transition.example.cause})`;
  return `  ${text}: ${count(transition.count)}${example}`;
}

function difference(pair: PairStory, metric: string, show: (v: number) => string, runs: number): string {
  const d = pair.differences[metric]!;
  const sign = (v: number) => (v > 0 ? `+${show(v)}` : show(v));
  return runs > 1 ? `${sign(d.mean)} (95% CI ${sign(d.lower)} to ${sign(d.upper)})` : sign(d.mean);
}

function story(report: CompareReport, pair: PairStory, chalk: ChalkInstance): string[] {
  const { from, to } = pair;
  const over = report.runs > 1 ? ` over ${report.runs} runs` : '';
  const lines = [chalk.bold(`${from} → ${to}, message by message${over}:`)];
  const entries = [
    line(pair.lostThenDelivered, `lost under ${from}, delivered under ${to}`),
    line(pair.deliveredThenLost, `delivered under ${from}, lost under ${to}`),
    line(
      pair.duplicatedThenSingle,
      `duplicated under ${from}, ${to.includes('exactly') || to.includes('dedupe') ? 'suppressed' : 'once'} under ${to}`,
    ),
    line(pair.singleThenDuplicated, `once under ${from}, duplicated under ${to}`),
    pair.lostInBoth > 0 ? `  lost under both: ${count(pair.lostInBoth)}` : undefined,
    pair.duplicatedInBoth > 0 ? `  duplicated under both: ${count(pair.duplicatedInBoth)}` : undefined,
  ].filter((l): l is string => l !== undefined);
  lines.push(...(entries.length > 0 ? entries : [chalk.dim('  every message fared the same')]));
  lines.push(
    chalk.dim(
      `  change in loss rate ${difference(pair, 'lossRate', percent, report.runs)}, duplicate rate ${difference(pair, 'duplicateRate', percent, report.runs)}, retry rate ${difference(pair, 'retryRate', percent, report.runs)}`,
    ),
  );
  return lines;
}

/** Formats a compare report for a terminal. */
export function formatCompare(report: CompareReport, options: { color: boolean; width?: number }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const width = options.width ?? DEFAULT_WIDTH;
  const runs =
    report.runs > 1
      ? `${count(report.runs)} runs, seeds ${report.seed}..${report.seed + report.runs - 1} (means)`
      : `seed ${report.seed}`;
  const out = [
    report.summary === ''
      ? chalk.bold(safeText(report.name, 128))
      : `${chalk.bold(safeText(report.name, 128))} — ${safeText(report.summary, 300)}`,
    chalk.dim(
      `  ${safeText(report.file, 400)} · ${runs} · ${count(report.messages)} messages · every mode meets the same faults`,
    ),
  ].flatMap((line) => wrapLine(line, width));
  out.push(sideBySide(report, chalk, width));
  const more: string[] = [];
  for (const pair of report.pairs) more.push('', ...story(report, pair, chalk));
  if (report.interrupted === true)
    more.push('', chalk.yellow(`INTERRUPTED: only ${count(report.runs)} run(s) finished before Ctrl-C`));
  out.push(...more.flatMap((line) => wrapLine(line, width, { hang: 4 })));
  const causes = report.pairs.flatMap((pair) =>
    [pair.lostThenDelivered, pair.deliveredThenLost, pair.duplicatedThenSingle, pair.singleThenDuplicated].flatMap(
      (t) => (t.count > 0 && t.example !== undefined ? [t.example.cause] : []),
    ),
  );
  if (causes.length > 0) out.push('', ...causeLegend([...new Set(causes)], chalk, width));
  // The reproduce command whole, to be copied.
  out.push('', chalk.dim(`reproduce: ${escapeControls(report.reproduce)}`));
  return `${out.join('\n')}\n`;
}
