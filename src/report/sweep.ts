// Sweep reports: a table and an ASCII line chart per mode for the terminal, CSV and JSON for files.
import { escapeControls, safeText } from '../safe-text.js';
import asciichart from 'asciichart';
import { Chalk } from 'chalk';
import type { SweepReport } from '../run/sweep.js';
import { count, inUnit, latencyUnit, percent, type TimeUnit } from './format.js';
import { fitTable } from './layout.js';
import { DEFAULT_WIDTH, wrapLine } from './wrap.js';

/** Columns a chart's curve takes at most; narrower on a narrow terminal (the labels take about 15). */
const CHART_WIDTH = 60;

/** Stretches a series to about `width` columns by linear interpolation, so a few points still draw a readable curve. */
function widen(values: readonly number[], width: number): number[] {
  if (values.length >= width || values.length < 2) return [...values];
  const step = Math.max(1, Math.floor((width - 1) / (values.length - 1)));
  const out: number[] = [];
  for (let i = 0; i + 1 < values.length; i++) {
    for (let j = 0; j < step; j++) out.push(values[i]! + ((values[i + 1]! - values[i]!) * j) / step);
  }
  out.push(values[values.length - 1]!);
  return out;
}

const CHART_COLORS = [
  asciichart.blue,
  asciichart.red,
  asciichart.green,
  asciichart.magenta,
  asciichart.cyan,
  asciichart.yellow,
];

function isTime(metric: string): boolean {
  return metric.startsWith('latencyMs.') || metric === 'simulatedMs';
}

function show(metric: string, value: number, unit: TimeUnit): string {
  if (/Rate$/.test(metric)) return percent(value);
  if (isTime(metric)) return inUnit(value, unit);
  return count(Math.round(value * 100) / 100);
}

/** Formats a sweep for a terminal: the table of the chosen metric, and a chart for one parameter. */
export function formatSweepTable(report: SweepReport, options: { color: boolean; width?: number }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const width = options.width ?? DEFAULT_WIDTH;
  const chartWidth = Math.max(10, Math.min(CHART_WIDTH, width - 16));
  const modes = report.points[0]?.results.map((r) => r.mode) ?? [];
  const metric = report.metric;
  const runs = report.runs > 1 ? `${count(report.runs)} runs per point (means)` : `seed ${report.seed}`;
  const shard = report.shard === undefined ? '' : ` · shard ${report.shard}`;
  // A time metric is in one unit for the whole table, named in the title.
  const unit = latencyUnit(report.points.flatMap((p) => p.results.map((r) => r.mean[metric]!)));
  const inUnitText = isTime(metric) ? ` (${unit.name})` : '';
  const out = [
    `${chalk.bold(safeText(report.name, 128))} — ${metric}${inUnitText} over ${report.params.map((p) => p.path).join(' × ')}`,
    chalk.dim(
      `  ${safeText(report.file, 400)} · ${report.points.length} points${shard} · ${runs} · ${count(report.messages)} messages`,
    ),
  ];
  if (report.interrupted === true) out.push(chalk.yellow('  INTERRUPTED: only the points that finished before Ctrl-C'));
  const head = out.splice(0).flatMap((line) => wrapLine(line, width));
  out.push(...head);
  const rows = report.points.map((point) => [
    ...point.values.map(String),
    ...point.results.map((r) => show(metric, r.mean[metric]!, unit)),
  ]);
  out.push(
    fitTable(
      {
        head: [...report.params.map((p) => p.path), ...modes],
        rows,
        aligns: [...report.params.map(() => 'right' as const), ...modes.map(() => 'right' as const)],
        title: { columns: report.params.length, labelled: true },
      },
      chalk,
      width,
    ),
  );
  if (report.params.length === 1 && report.points.length >= 2) {
    const scale = /Rate$/.test(metric) ? 100 : isTime(metric) ? 1 / unit.ms : 1;
    const series = modes.map((_, m) =>
      widen(
        report.points.map((p) => p.results[m]!.mean[metric]! * scale),
        chartWidth,
      ),
    );
    const format = (v: number) => `${v.toFixed(2).padStart(9)}${/Rate$/.test(metric) ? '%' : ' '} `;
    const param = report.params[0]!;
    const axis = chalk.dim(
      `  x: ${param.path} from ${String(param.values[0])} to ${String(param.values[param.values.length - 1])} (${param.values.length} points)`,
    );
    if (options.color || modes.length === 1) {
      // One chart, a colour per mode.
      out.push(
        '',
        asciichart.plot(series, {
          height: 12,
          format,
          ...(options.color ? { colors: CHART_COLORS.slice(0, series.length) } : {}),
        }),
        axis,
      );
      out.push(
        `  ${modes.map((mode, i) => (options.color ? `${CHART_COLORS[i % CHART_COLORS.length]}──${asciichart.reset} ${mode}` : mode)).join('   ')}`,
      );
    } else {
      // Without colour the lines cannot be told apart: one small chart per mode.
      modes.forEach((mode, i) =>
        out.push('', chalk.bold(`  ${mode}`), asciichart.plot(series[i]!, { height: 6, format })),
      );
      out.push(axis);
    }
  } else if (report.params.length === 2) {
    // Two parameters: a chart per mode over the first, one line per value of the second.
    const [first, second] = report.params as [SweepReport['params'][number], SweepReport['params'][number]];
    if (second.values.length <= CHART_COLORS.length && first.values.length >= 2) {
      const scale = /Rate$/.test(metric) ? 100 : isTime(metric) ? 1 / unit.ms : 1;
      const format = (v: number) => `${v.toFixed(2).padStart(9)}${/Rate$/.test(metric) ? '%' : ' '} `;
      modes.forEach((mode, m) => {
        const lines = second.values.map((v2) =>
          widen(
            report.points.filter((p) => p.values[1] === v2).map((p) => p.results[m]!.mean[metric]! * scale),
            chartWidth,
          ),
        );
        out.push('', chalk.bold(`  ${mode}`));
        if (options.color) {
          out.push(asciichart.plot(lines, { height: 8, format, colors: CHART_COLORS.slice(0, lines.length) }));
          out.push(
            `  ${second.path}: ${second.values.map((v, i) => `${CHART_COLORS[i]}──${asciichart.reset} ${String(v)}`).join('   ')}`,
          );
        } else {
          lines.forEach((line, i) =>
            out.push(
              chalk.dim(`  ${second.path} = ${String(second.values[i])}`),
              asciichart.plot(line, { height: 4, format }),
            ),
          );
        }
      });
      out.push(
        chalk.dim(
          `  x: ${first.path} from ${String(first.values[0])} to ${String(first.values[first.values.length - 1])}`,
        ),
      );
    }
  }
  out.push('', chalk.dim(`reproduce: ${escapeControls(report.reproduce)}`));
  return `${out.join('\n')}\n`;
}

function csvCell(value: string | number | boolean): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Formats a sweep as CSV: one row per point and mode, every metric's mean (and the chosen metric's interval). */
export function formatSweepCsv(report: SweepReport): string {
  const metrics = Object.keys(report.points[0]?.results[0]?.mean ?? {});
  const header = [
    ...report.params.map((p) => p.path),
    'mode',
    'runs',
    ...metrics,
    `${report.metric}.lower`,
    `${report.metric}.upper`,
  ];
  const rows = [header.map(csvCell).join(',')];
  for (const point of report.points) {
    for (const r of point.results) {
      rows.push(
        [
          ...point.values,
          r.mode,
          report.runs,
          ...metrics.map((m) => r.mean[m]!),
          r.lower[report.metric]!,
          r.upper[report.metric]!,
        ]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}
