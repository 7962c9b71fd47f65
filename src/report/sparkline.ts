// One-line charts of a run's time series for the terminal (issue 18 §4): each mode's queue depth (a log's consumer
// lag) over virtual time, on one scale, so the modes of a scenario compare at a glance.
import { count } from '../number-text.js';
import type { TimeSeriesData } from '../model/time-series.js';
import { displayWidth, wrapLine } from './wrap.js';

const BARS = '▁▂▃▄▅▆▇█';

/** Narrowest a sparkline is drawn (fewer columns say nothing). */
export const MIN_SPARK = 16;

/** `values` in `width` columns: each the largest value of its stretch, one of 8 heights up to `top` (0 the lowest). */
export function sparkline(values: readonly number[], width: number, top: number): string {
  if (values.length === 0) return '';
  const columns = Math.min(width, values.length);
  let line = '';
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * values.length) / columns);
    const to = Math.max(from + 1, Math.floor(((c + 1) * values.length) / columns));
    const largest = Math.max(...values.slice(from, to));
    line += BARS[top <= 0 ? 0 : Math.min(7, Math.floor((largest / top) * 8))]!;
  }
  return line;
}

/** A run's length: 850 ms, 31.2 s, 12.5 min, 3.1 h. */
function spanText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** The level drawn: what the queue holds, or a log's consumer lag (a log holds no queue). */
function depthOf(series: TimeSeriesData): { name: string; values: number[] } {
  const lag = series.series.consumerLag;
  return lag.some((v) => v > 0)
    ? { name: 'consumer lag', values: lag }
    : { name: 'queue depth', values: series.series.stored };
}

/**
 * The sparklines of the modes that have a time series, fitting `width` columns (none when there is no room, no
 * series, or nothing was ever queued).
 */
export function depthSparklines(
  results: ReadonlyArray<{ mode: string; timeSeries?: TimeSeriesData }>,
  width: number,
): string[] {
  const drawn = results.flatMap((r) =>
    r.timeSeries === undefined ? [] : [{ mode: r.mode, ...depthOf(r.timeSeries), end: r.timeSeries.t.at(-1) ?? 0 }],
  );
  const top = Math.max(0, ...drawn.flatMap((d) => d.values));
  if (drawn.length === 0 || top === 0) return [];
  const label = Math.max(...drawn.map((d) => displayWidth(d.mode)));
  const room = Math.min(60, width - label - 6);
  if (room < MIN_SPARK) return [];
  const name = drawn.every((d) => d.name === drawn[0]!.name) ? drawn[0]!.name : 'queue depth or consumer lag';
  const endMs = Math.max(...drawn.map((d) => d.end));
  const heading = `  ${name} over ${spanText(endMs)} of virtual time (full height: ${count(top)})`;
  const lines = wrapLine(heading, width);
  // Every mode on the run's longest time axis: a mode that ended sooner stops short.
  for (const d of drawn) {
    const columns = Math.max(1, Math.round((room * d.end) / (endMs || 1)));
    lines.push(`  ${d.mode.padEnd(label)}  ${sparkline(d.values, columns, top)}`);
  }
  return lines;
}
