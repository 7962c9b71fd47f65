// What `acksim run` samples over virtual time, and for what: the JSON report's time series (--time-series,
// --sample-ms), the HTML page's charts, and the table's sparklines on a terminal with room; and the messages the
// page draws the timelines of (--message).
import { Option } from 'commander';
import { UsageError } from '../errors.js';
import { PAGE_POINTS, type TimelineRequest } from '../run/html-data.js';
import type { RunOptions } from '../run/run-scenario.js';
import { integer } from './options.js';
import { outputWidth } from './terminal.js';

/** The flags these choices read. */
export interface SeriesFlags {
  format: string;
  runs: number;
  seed?: number;
  timeSeries?: boolean;
  sampleMs?: number;
  message?: number[];
  out?: string;
}

/** Points a sparkline's run keeps: a few per column of the widest line. */
const SPARK_POINTS = 256;

/** Stdout is a terminal wide enough for a sparkline beside the modes' names. */
export function sparklineRoom(): boolean {
  return process.stdout.isTTY === true && outputWidth() >= 60;
}

/**
 * Sets what the run samples, refusing what cannot be: a series of many runs, --message without a page or beyond
 * every scenario's messages.
 */
export function sampling(
  flags: SeriesFlags,
  options: RunOptions,
  scenarios: ReadonlyArray<{ config: { messages: number } }>,
): void {
  checkMessageIds(flags.message, scenarios, options.messages);
  if (flags.timeSeries === true || flags.sampleMs !== undefined) {
    if (flags.runs > 1) throw new UsageError('--time-series samples one run per mode (allowed: without --runs)');
    options.timeSeries = true;
    if (flags.sampleMs !== undefined) options.sampleMs = flags.sampleMs;
  }
  if (flags.message !== undefined && flags.format !== 'html')
    throw new UsageError('--message chooses the timelines of an HTML report (allowed: with --format html)');
  if (flags.runs > 1 || options.timeSeries === true) return;
  // The page charts each mode's run over time: a few hundred points each keep it small enough to attach.
  if (flags.format === 'html') {
    options.timeSeries = true;
    options.samplePoints = PAGE_POINTS;
  }
  // On a terminal with room, the table draws each mode's queue depth over time (a sparkline): the run samples it.
  // Only for the table on stdout: a report written elsewhere is the same wherever it is run.
  if (flags.format === 'table' && flags.out === undefined && sparklineRoom()) {
    options.timeSeries = true;
    options.samplePoints = SPARK_POINTS;
  }
}

/** What the page's timelines are drawn from: the run's seed and messages, and the messages asked for. */
export function pageRequest(options: RunOptions, flags: SeriesFlags): TimelineRequest {
  return {
    seed: flags.seed,
    messages: options.messages,
    handler: options.handler,
    ...(flags.message === undefined ? {} : { messageIds: flags.message }),
  };
}

/** `--time-series`. */
export function timeSeriesOption(): Option {
  return new Option('--time-series', "sample each mode's counters on virtual time into the JSON report (timeSeries)");
}

/** `--sample-ms <ms>`. */
export function sampleMsOption(): Option {
  return new Option(
    '--sample-ms <ms>',
    'the time series interval in ms of virtual time (implies --time-series; default: 512 to 1,023 points a run)',
  ).argParser(integer('--sample-ms', 1, 86_400_000));
}

/** `--message <id>`, repeatable. */
export function messageOption(): Option {
  return new Option(
    '--message <id>',
    "with --format html: draw this message's timeline in every mode (repeatable; default: the first of each cause)",
  ).argParser((v: string, prev: number[] | undefined) => [...(prev ?? []), integer('--message', 0, 50_000_000)(v)]);
}

/** Refuses a --message id no scenario run has (ids run from 0 to messages - 1). */
function checkMessageIds(
  ids: readonly number[] | undefined,
  scenarios: ReadonlyArray<{ config: { messages: number } }>,
  messages: number | undefined,
): void {
  const most = Math.max(...scenarios.map((s) => messages ?? s.config.messages));
  const beyond = (ids ?? []).find((id) => id >= most);
  if (beyond !== undefined)
    throw new UsageError(`--message ${beyond}: no scenario sends that many messages (allowed: 0 to ${most - 1})`);
}
