// What a run takes (options, hooks, progress) and what it selects from them: the modes, the seeds of a
// shard, each mode's checks, and the commands that reproduce a run or one of its modes.
import { shellWord } from '../safe-text.js';
import type { DeliveryMode } from '../model/config.js';
import type { UserCode } from '../model/handler.js';
import { STATE_SCENARIO_CHECK } from './user-code.js';
import type { Scenario, ScenarioCheck } from '../scenario/types.js';

/** Options of a run, as the command line gives them. */
export interface RunOptions {
  /** Overrides every scenario's seed (the first seed with `runs`). */
  seed?: number;
  /** Overrides every scenario's message count. */
  messages?: number;
  /** Runs only these modes (names). */
  modes?: readonly string[];
  /** Extra checks (from --check). */
  checks?: readonly ScenarioCheck[];
  /** Runs per scenario and mode, with seeds seed, seed + 1, ...; 1 gives the single-run report. */
  runs?: number;
  /** Worker threads for many runs (1 runs in this thread). */
  workers?: number;
  /** Runs only the i-th (1-based) of n slices of the seeds: [i, n]. */
  shard?: readonly [number, number];
  /** Runs every case twice and fails on any difference (--check-determinism). */
  checkDeterminism?: boolean;
  /** Samples each mode's run into a time series (--time-series), every `sampleMs` (default: defaultSampleMs). */
  timeSeries?: boolean;
  sampleMs?: number;
  /** The most points each series keeps (default: DEFAULT_POINTS without sampleMs, else MAX_POINTS). */
  samplePoints?: number;
  /** The user's consumer code (the library's `handler`): runs stay in this thread. */
  handler?: UserCode;
  /** Where the command line read it (`--handler`), for the commands that reproduce a run. */
  handlerPath?: string;
}

/** Progress of long work, for a progress bar. */
export interface Progress {
  scenario: string;
  mode: string;
  /** Units done (resolved messages for single runs, finished runs for many) and in all. */
  done: number;
  total: number;
}

/** Called between slices of work; may wait (to let a progress bar draw). */
export type ProgressHook = (progress: Progress) => void | Promise<void>;

/** Hooks of a long run. */
export interface RunHooks {
  onProgress?: ProgressHook;
  /** Aborting (Ctrl-C) stops the work; the report then holds what finished. */
  signal?: AbortSignal;
  /** Lets the caller's event loop run between slices of work (so a Ctrl-C handler can fire). */
  pause?: () => Promise<void>;
}

/** The command that runs a scenario again with `seed`, `extra` arguments and only `modes` (all when empty). */
export function commandFor(
  scenario: Scenario,
  seed: number,
  options: RunOptions,
  extra: string[] = [],
  modes = options.modes ?? [],
): string {
  const parts = ['acksim', 'run', shellWord(scenario.file), '--seed', String(seed), ...extra];
  if (scenario.profileOverride !== undefined) parts.push('--profile', scenario.profileOverride);
  if (options.handlerPath !== undefined) parts.push('--handler', shellWord(options.handlerPath));
  if (options.messages !== undefined) parts.push('--messages', String(options.messages));
  for (const mode of modes) parts.push('--mode', shellWord(mode));
  return parts.join(' ');
}

/** The broker profile of a scenario, as a report field (absent without one). */
export function profileOf(scenario: Scenario): { profile?: string } {
  const profile = scenario.config.broker.profile;
  return profile === undefined ? {} : { profile };
}

/** The command that reproduces a scenario's run (or batch of runs). */
export function reproduceCommand(scenario: Scenario, seed: number, options: RunOptions): string {
  const runs = options.runs ?? 1;
  return commandFor(scenario, seed, options, runs > 1 ? ['--runs', String(runs)] : []);
}

/** The modes of a scenario that a run includes. */
export function selectedModes(scenario: Scenario, options: RunOptions): Scenario['modes'] {
  const wanted = options.modes;
  return wanted === undefined || wanted.length === 0
    ? scenario.modes
    : scenario.modes.filter((m) => wanted.includes(m.mode.name));
}

/** The seeds of a batch, or of one shard of it. */
export function shardSeeds(first: number, runs: number, shard: readonly [number, number] | undefined): number[] {
  const [index, count] = shard ?? [1, 1];
  const from = Math.floor(((index - 1) * runs) / count);
  const to = Math.floor((index * runs) / count);
  return Array.from({ length: to - from }, (_, i) => first + from + i);
}

/** The checks a mode is judged by: the scenario's, --check's and --check-determinism's. */
export function checksFor(scenario: Scenario, mode: DeliveryMode, options: RunOptions): ScenarioCheck[] {
  const checks = [...scenario.checks, ...(options.checks ?? [])].filter(
    (c) => c.mode === undefined || c.mode === mode.name,
  );
  if (options.checkDeterminism === true) checks.push(DETERMINISM_CHECK);
  if (options.handler?.check !== undefined) checks.push(STATE_SCENARIO_CHECK);
  return checks;
}

/** What `--check-determinism` adds to every mode: each run, run again, must repeat exactly. */
export const DETERMINISM_CHECK: ScenarioCheck = {
  mode: undefined,
  source: 'cli',
  determinism: true,
  check: { expr: 'deterministic (every run repeated twice)', metric: 'events', operator: '==', value: 1 },
};
