// The formatter registry: for each kind of result a command gets from run/, audit/ or live/, its output
// formats keyed by --format name (the keys are the flag's choices, in order). A new format is one entry
// here, its formatter in report/.
import { Chalk } from 'chalk';
import type { FidelityRow, RateFidelity } from '../live/fidelity.js';
import type { LiveRun } from '../live/run-live.js';
import type { Judged } from '../live/verdict.js';
import { formatCompare } from '../report/compare.js';
import { formatExploration, type ExplorationTextOptions } from '../report/explore.js';
import { count, percent } from '../report/format.js';
import { fitTable } from '../report/layout.js';
import { formatProfiles } from '../report/profiles.js';
import { formatSweepCsv, formatSweepTable } from '../report/sweep.js';
import { formatJsonl, formatLanes, formatMermaid, formatMermaidMarkdown } from '../report/trace.js';
import { wrapLine } from '../report/wrap.js';
import type { CompareReport } from '../run/compare.js';
import type { Exploration } from '../run/explore.js';
import { FORMAT_VERSION } from '../run/report.js';
import type { SweepReport } from '../run/sweep.js';
import type { TraceResult } from '../run/trace.js';
import type { Profile } from '../scenario/profiles.js';
import type { Scenario } from '../scenario/types.js';
import { html, RUN_FORMATS, type PageOptions } from './run-formats.js';

export type { PageOptions } from './run-formats.js';

/** How text is laid out: colour or not, and the columns it may use. */
export interface TextOptions {
  color: boolean;
  width: number;
}

/** Pretty-printed JSON, one trailing newline. */
function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Every result kind's formats. */
export const FORMATS = {
  /** A run's report (`acksim run`, `acksim merge`). */
  run: RUN_FORMATS,
  /** An audit's report: a run's shape. */
  audit: RUN_FORMATS,
  sweep: {
    table: (report: SweepReport, options: { color: boolean; width?: number }) => formatSweepTable(report, options),
    csv: (report: SweepReport, _options?: unknown) => formatSweepCsv(report),
    json: (report: SweepReport, _options?: unknown) => json(report),
    html: (report: SweepReport, options: PageOptions) => html(report, options),
  },
  compare: {
    table: (report: CompareReport, options: TextOptions) => formatCompare(report, options),
    json: (report: CompareReport) => json(report),
    html: (report: CompareReport, options: PageOptions) => html(report, options),
  },
  explore: {
    table: (result: { exploration: Exploration; scenario: Scenario }, options: ExplorationTextOptions) =>
      formatExploration(result.exploration, result.scenario, options),
    json: (result: { exploration: Exploration }) =>
      json({ formatVersion: FORMAT_VERSION, kind: 'explore', ...result.exploration }),
    html: (result: { exploration: Exploration }, options: PageOptions) =>
      html({ formatVersion: FORMAT_VERSION, kind: 'explore', ...result.exploration }, options),
  },
  live: {
    table: (run: LiveRun, options: TextOptions) =>
      liveTable(run.scenario, run.broker, run.modes, options.width, run.confidence),
    json: (run: LiveRun) => json({ formatVersion: FORMAT_VERSION, kind: 'live', ...run }),
    html: (run: LiveRun, options: PageOptions) =>
      html({ formatVersion: FORMAT_VERSION, kind: 'live', ...run }, options),
  },
  trace: {
    lanes: (trace: TraceResult, options: TextOptions) => formatLanes(trace, options),
    mermaid: (trace: TraceResult) => formatMermaid(trace),
    'mermaid-md': (trace: TraceResult) => formatMermaidMarkdown(trace),
    jsonl: (trace: TraceResult) => formatJsonl(trace),
  },
  profiles: {
    table: (chosen: { profiles: readonly Profile[]; sources: boolean }, options: TextOptions) =>
      formatProfiles(chosen.profiles, chosen.sources, options.width),
    json: (chosen: { profiles: readonly Profile[] }) => json(chosen.profiles),
  },
} as const;

/** The --format choices of a result kind, in the registry's order. */
export function formatNames(kind: keyof typeof FORMATS): string[] {
  return Object.keys(FORMATS[kind]);
}

function cell(r: RateFidelity): string {
  const bare = (rate: number) => percent(rate).replace(/%$/, '');
  return `${percent(r.live)} (${bare(r.interval.lower)}–${bare(r.interval.upper)})`;
}

/** The model's rate, with the scatter timing alone gives one run where there is one. */
function predicted(r: RateFidelity): string {
  return r.modelSpread >= 0.0005 ? `${percent(r.predicted)} ±${percent(r.modelSpread)}` : percent(r.predicted);
}

const MARK = { agree: '✓', disagree: '✗', inconclusive: '?' } as const;

/** The live run beside the model, one row per mode, fitting `width` columns (stacked when it cannot). */
export function liveTable(
  scenario: string,
  broker: string,
  rows: ReadonlyArray<FidelityRow & Judged>,
  width: number,
  confidence = 0.95,
): string {
  // The level as written, to 6 decimals, never rounded up to a 100 % no interval has.
  const rounded = Number((confidence * 100).toFixed(6));
  const level = `${rounded < 100 ? rounded : Math.floor(confidence * 1e8) / 1e6}%`;
  const spec = {
    head: ['mode', 'messages', `loss live (${level})`, 'model', `dup live (${level})`, 'model', 'agree'],
    rows: rows.map((r) => [
      r.mode,
      count(r.produced),
      cell(r.lossRate),
      predicted(r.lossRate),
      cell(r.duplicateRate),
      predicted(r.duplicateRate),
      MARK[r.verdict],
    ]),
    aligns: ['left', 'right', 'right', 'right', 'right', 'right', 'left'] as const,
  };
  return `${wrapLine(`${scenario} on ${broker}: live run vs model`, width).join('\n')}\n${fitTable(spec, new Chalk({ level: 0 }), width)}\n`;
}
