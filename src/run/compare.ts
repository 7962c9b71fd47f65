// `compare`: the modes of one scenario side by side on identical faults, then per message: which
// messages one mode lost or duplicated and the next did not, with an example and its cause.
import { DUPLICATE_CAUSES, LOSS_CAUSES } from '../model/causes.js';
import { type SimulationResult } from '../model/simulation.js';
import { Outcome } from '../model/state.js';
import type { Scenario } from '../scenario/types.js';
import { measure, type Metrics } from './metrics.js';
import { FORMAT_VERSION } from './report.js';
import { reproduceCommand, selectedModes, type RunOptions } from './run-scenario.js';
import { mean, meanInterval } from './stats.js';
import { finished } from './drive.js';
import { runConfig, seededSimulation } from './prepare.js';

/** A count of messages that changed between two modes, with the smallest such id as an example. */
export interface Transition {
  count: number;
  /** The smallest message id with this change, and why (the cause in the mode where it went wrong). */
  example?: { id: number; cause: string };
}

/** How the messages fared between two modes run on the same seeds. */
export interface PairStory {
  from: string;
  to: string;
  lostThenDelivered: Transition;
  deliveredThenLost: Transition;
  duplicatedThenSingle: Transition;
  singleThenDuplicated: Transition;
  lostInBoth: number;
  duplicatedInBoth: number;
  /** Paired differences `to - from` over runs: mean and 95 % normal interval. */
  differences: Record<string, { mean: number; lower: number; upper: number }>;
}

/** The compare report. */
export interface CompareReport {
  formatVersion: typeof FORMAT_VERSION;
  kind: 'compare';
  name: string;
  file: string;
  summary: string;
  seed: number;
  runs: number;
  messages: number;
  reproduce: string;
  modes: string[];
  /** Per mode: mean of each metric over runs (the metrics themselves for one run). */
  metrics: Record<string, Metrics>;
  pairs: PairStory[];
  /** Set when Ctrl-C stopped the work: `runs` then counts the runs that finished. */
  interrupted?: boolean;
}

/** Ctrl-C came before the first run finished: there is nothing to report. */
export class CompareInterrupted extends Error {}

/** Hooks of a long comparison. */
export interface CompareHooks {
  signal?: AbortSignal;
  pause?: () => Promise<void>;
  onProgress?: (runsDone: number, total: number) => void | Promise<void>;
}

/** Metrics whose paired differences are reported. */
export const DIFFERENCE_METRICS = [
  'lossRate',
  'duplicateRate',
  'retryRate',
  'lost',
  'duplicates',
  'stateError',
  'latencyMs.p99',
] as const;

interface Accumulator {
  story: Omit<PairStory, 'differences'>;
  deltas: Record<string, number[]>;
}

function note(transition: Transition, id: number, cause: string): void {
  transition.count++;
  if (transition.example === undefined) transition.example = { id, cause };
}

function tally(story: Omit<PairStory, 'differences'>, a: SimulationResult, b: SimulationResult): void {
  const n = Math.min(a.outcome.length, b.outcome.length);
  for (let m = 0; m < n; m++) {
    const lostA = a.effects[m] === 0 && a.outcome[m] === Outcome.lost;
    const lostB = b.effects[m] === 0 && b.outcome[m] === Outcome.lost;
    const dupA = a.effects[m]! > 1;
    const dupB = b.effects[m]! > 1;
    if (lostA && b.effects[m]! > 0) note(story.lostThenDelivered, m, LOSS_CAUSES[a.cause[m]!]!);
    if (lostB && a.effects[m]! > 0) note(story.deliveredThenLost, m, LOSS_CAUSES[b.cause[m]!]!);
    if (dupA && b.effects[m] === 1) note(story.duplicatedThenSingle, m, DUPLICATE_CAUSES[a.cause[m]!]!);
    if (dupB && a.effects[m] === 1) note(story.singleThenDuplicated, m, DUPLICATE_CAUSES[b.cause[m]!]!);
    if (lostA && lostB) story.lostInBoth++;
    if (dupA && dupB) story.duplicatedInBoth++;
  }
}

function read(metrics: Metrics, path: string): number {
  return path === 'latencyMs.p99' ? metrics.latencyMs.p99 : (metrics as unknown as Record<string, number>)[path]!;
}

function meanMetrics(all: readonly Metrics[]): Metrics {
  const first = all[0]!;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first)) {
    if (typeof value === 'number') out[key] = mean(all.map((m) => (m as unknown as Record<string, number>)[key]!));
    else
      out[key] = Object.fromEntries(
        Object.keys(value as object).map((k) => [
          k,
          mean(all.map((m) => (m as unknown as Record<string, Record<string, number>>)[key]![k]!)),
        ]),
      );
  }
  return out as unknown as Metrics;
}

/** Runs the modes of a scenario on the same seeds and compares them, mode by mode and message by message. */
export async function compareScenario(
  scenario: Scenario,
  options: RunOptions,
  hooks: CompareHooks = {},
): Promise<CompareReport> {
  const modes = selectedModes(scenario, options);
  const first = options.seed ?? scenario.seed;
  const runs = options.runs ?? 1;
  const messages = options.messages ?? scenario.config.messages;
  const perMode: Metrics[][] = modes.map(() => []);
  const pairs: Accumulator[] = [];
  for (let i = 0; i + 1 < modes.length; i++) {
    const empty = (): Transition => ({ count: 0 });
    pairs.push({
      story: {
        from: modes[i]!.mode.name,
        to: modes[i + 1]!.mode.name,
        lostThenDelivered: empty(),
        deliveredThenLost: empty(),
        duplicatedThenSingle: empty(),
        singleThenDuplicated: empty(),
        lostInBoth: 0,
        duplicatedInBoth: 0,
      },
      deltas: Object.fromEntries(DIFFERENCE_METRICS.map((m) => [m, []])),
    });
  }
  let done = 0;
  for (let seed = first; seed < first + runs; seed++) {
    if (hooks.signal?.aborted === true) break;
    const results: SimulationResult[] = [];
    const overrides = { messages, handler: options.handler };
    for (const { mode, config } of modes)
      results.push(await finished(seededSimulation(runConfig(config, mode, overrides), seed)));
    const metrics = results.map((r) => measure(r).metrics);
    metrics.forEach((m, i) => perMode[i]!.push(m));
    pairs.forEach((pair, i) => {
      tally(pair.story, results[i]!, results[i + 1]!);
      for (const path of DIFFERENCE_METRICS)
        pair.deltas[path]!.push(read(metrics[i + 1]!, path) - read(metrics[i]!, path));
    });
    done++;
    await hooks.onProgress?.(done, runs);
    await hooks.pause?.();
  }
  if (done === 0) throw new CompareInterrupted();
  const report: CompareReport = {
    formatVersion: FORMAT_VERSION,
    kind: 'compare',
    name: scenario.name,
    file: scenario.file,
    summary: scenario.summary,
    seed: first,
    runs: done,
    messages,
    reproduce: reproduceCommand(scenario, first, options).replace(/^acksim run/, 'acksim compare'),
    modes: modes.map((m) => m.mode.name),
    metrics: Object.fromEntries(
      modes.map((m, i) => [m.mode.name, done === 1 ? perMode[i]![0]! : meanMetrics(perMode[i]!)]),
    ),
    pairs: pairs.map(({ story, deltas }) => ({
      ...story,
      differences: Object.fromEntries(
        Object.entries(deltas).map(([path, values]) => [path, { mean: mean(values), ...meanInterval(values) }]),
      ),
    })),
  };
  if (done < runs) report.interrupted = true;
  return report;
}
