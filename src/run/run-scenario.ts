// Runs each scenario in each of its modes, with one seed or many (`runs`), measures, and judges the
// checks. Many runs go through `execute`, on worker threads, and come back in seed order.
import { createHash } from 'node:crypto';
import { shellWord } from '../safe-text.js';
import type { DeliveryMode } from '../model/config.js';
import type { Scenario, ScenarioCheck } from '../scenario/types.js';
import { aggregate, configuredFaults, type RunsAggregate } from './aggregate.js';
import { judgeRuns, nothingTested, type CheckResult, type RunsVerdict } from './checks.js';
import { execute } from './execute.js';
import {
  FORMAT_VERSION,
  type ModeResult,
  type ModeRunsResult,
  type Report,
  type ScenarioResult,
  type ScenarioRunsResult,
} from './report.js';
import { fingerprintedSimulation, recordOf, replays, runOnce, type RunRecord, type RunTask } from './runs.js';
import { runConfig } from './prepare.js';

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

const SLICE_EVENTS = 1 << 18;

function commandFor(
  scenario: Scenario,
  seed: number,
  options: RunOptions,
  extra: string[] = [],
  modes = options.modes ?? [],
): string {
  const parts = ['acksim', 'run', shellWord(scenario.file), '--seed', String(seed), ...extra];
  if (scenario.profileOverride !== undefined) parts.push('--profile', scenario.profileOverride);
  if (options.messages !== undefined) parts.push('--messages', String(options.messages));
  for (const mode of modes) parts.push('--mode', shellWord(mode));
  return parts.join(' ');
}

/** The broker profile of a scenario, as a report field (absent without one). */
function profileOf(scenario: Scenario): { profile?: string } {
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

function checksFor(scenario: Scenario, mode: DeliveryMode, options: RunOptions): ScenarioCheck[] {
  const checks = [...scenario.checks, ...(options.checks ?? [])].filter(
    (c) => c.mode === undefined || c.mode === mode.name,
  );
  if (options.checkDeterminism === true) checks.push(DETERMINISM_CHECK);
  return checks;
}

/** What `--check-determinism` adds to every mode: each run, run again, must repeat exactly. */
export const DETERMINISM_CHECK: ScenarioCheck = {
  mode: undefined,
  source: 'cli',
  determinism: true,
  check: { expr: 'deterministic (every run repeated twice)', metric: 'events', operator: '==', value: 1 },
};

/** Judges the determinism check: fails at the first run whose replay differed. */
function judgeDeterminism(records: readonly RunRecord[]): RunsVerdict {
  const differing = records.find((r) => r.deterministic === false);
  if (differing !== undefined)
    return {
      status: 'fail',
      actual: 0,
      seed: differing.seed,
      reason: `fingerprint ${differing.fingerprint} was not repeated`,
    };
  return { status: 'pass', actual: 1 };
}

/** Judges checks over runs (one run included); `configured` names the faults the mode could meet. */
export function judgeAll(
  checks: readonly ScenarioCheck[],
  mode: string,
  records: readonly RunRecord[],
  summary: RunsAggregate | undefined,
  configured: readonly string[] = summary?.configuredFaults ?? [],
): CheckResult[] {
  return checks.map((c) => {
    const verdict =
      c.determinism === true ? judgeDeterminism(records) : judgeRuns(c.check, records, summary, configured);
    const result: CheckResult = {
      expr: c.check.expr,
      mode,
      source: c.source,
      status: verdict.status,
      ok: verdict.status === 'pass',
      actual: verdict.actual,
    };
    if (summary !== undefined && verdict.seed !== undefined) result.seed = verdict.seed;
    if (verdict.reason !== undefined) result.reason = verdict.reason;
    return result;
  });
}

async function runSingle(
  scenario: Scenario,
  options: RunOptions,
  hooks: RunHooks,
  progress: { done: number; total: number; interrupted: boolean },
): Promise<ScenarioResult> {
  const seed = options.seed ?? scenario.seed;
  const results: ModeResult[] = [];
  for (const { mode, config } of selectedModes(scenario, options)) {
    const simConfig = runConfig(config, mode, options);
    let record: RunRecord;
    if (hooks.onProgress === undefined && hooks.pause === undefined) {
      record = runOnce(simConfig, seed, false);
    } else {
      const { simulation, choices } = fingerprintedSimulation(simConfig, seed);
      while (!simulation.step(SLICE_EVENTS)) {
        await hooks.onProgress?.({
          scenario: scenario.name,
          mode: mode.name,
          done: progress.done + simulation.resolved,
          total: progress.total,
        });
        await hooks.pause?.();
        if (hooks.signal?.aborted === true) break;
      }
      if (hooks.signal?.aborted === true) {
        progress.interrupted = true;
        break;
      }
      record = recordOf(seed, simulation, choices, false);
    }
    if (options.checkDeterminism === true) record.deterministic = replays(simConfig, seed, record);
    progress.done += simConfig.messages;
    // A tick per mode too: most runs end within one slice, and a batch of them should still show progress.
    await hooks.onProgress?.({ scenario: scenario.name, mode: mode.name, done: progress.done, total: progress.total });
    const {
      seed: _seed,
      latencyHistogram: _histogram,
      fingerprint,
      deterministic: _deterministic,
      ...measured
    } = record;
    results.push({
      mode: mode.name,
      fingerprint,
      ...measured,
      checks: judgeAll(
        checksFor(scenario, mode, options),
        mode.name,
        [record],
        undefined,
        configuredFaults(config, mode),
      ),
      ...nothingTestedField([record]),
    });
  }
  return {
    name: scenario.name,
    file: scenario.file,
    summary: scenario.summary,
    ...profileOf(scenario),
    seed,
    messages: options.messages ?? scenario.config.messages,
    reproduce: reproduceCommand(scenario, seed, options),
    results,
  };
}

/** A result's `inconclusive` field when its runs produced no message: exit 3 even without checks. */
export function nothingTestedField(records: readonly RunRecord[]): { inconclusive?: string } {
  const why = nothingTested(records);
  return why === undefined ? {} : { inconclusive: `nothing was tested: ${why}` };
}

/** The command that replays the worst run of a mode: most lost, then most duplicates. */
function worstRunCommand(scenario: Scenario, mode: string, records: readonly RunRecord[], options: RunOptions): string {
  let worst = records[0]!;
  for (const r of records) {
    const a = r.metrics;
    const b = worst.metrics;
    if (a.lost > b.lost || (a.lost === b.lost && a.duplicates > b.duplicates)) worst = r;
  }
  return commandFor(scenario, worst.seed, options, [], [mode]);
}

/** A hash of what a batch runs (each selected mode's configuration and checks), so shards of different batches never
 * merge. */
export function batchFingerprint(scenario: Scenario, options: RunOptions): string {
  const what = selectedModes(scenario, options).map(({ mode, config }) => ({
    mode,
    config: { ...config, messages: options.messages ?? config.messages },
    checks: checksFor(scenario, mode, options).map((c) => `${c.source}:${c.check.expr}`),
  }));
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 16);
}

/** Assembles a batch's scenario result from its records (also used by `merge`). */
export function runsResult(
  scenario: Scenario,
  options: RunOptions,
  records: ReadonlyMap<string, RunRecord[]>,
  faults: ReadonlyMap<string, string[]>,
): ScenarioRunsResult {
  const seed = options.seed ?? scenario.seed;
  const results: ModeRunsResult[] = [];
  for (const { mode } of selectedModes(scenario, options)) {
    const runs = [...(records.get(mode.name) ?? [])].sort((a, b) => a.seed - b.seed);
    if (runs.length === 0) continue;
    const summary = aggregate(runs, faults.get(mode.name) ?? []);
    results.push({
      mode: mode.name,
      aggregate: summary,
      checks: judgeAll(checksFor(scenario, mode, options), mode.name, runs, summary),
      worstRun: worstRunCommand(scenario, mode.name, runs, options),
      runs,
      ...nothingTestedField(runs),
    });
  }
  const result: ScenarioRunsResult = {
    name: scenario.name,
    file: scenario.file,
    summary: scenario.summary,
    ...profileOf(scenario),
    seed,
    runs: options.runs ?? 1,
    messages: options.messages ?? scenario.config.messages,
    reproduce: reproduceCommand(scenario, seed, options),
    batch: batchFingerprint(scenario, options),
    results,
  };
  if (options.shard !== undefined && options.shard[1] > 1) result.shard = `${options.shard[0]}/${options.shard[1]}`;
  return result;
}

async function runMany(
  scenarios: readonly Scenario[],
  options: RunOptions,
  hooks: RunHooks,
): Promise<{ results: ScenarioRunsResult[]; interrupted: boolean }> {
  const runs = options.runs ?? 1;
  const workers = Math.max(1, options.workers ?? 1);
  const tasks: RunTask[] = [];
  const owners: Array<{ scenario: number; mode: string }> = [];
  scenarios.forEach((scenario, index) => {
    const seeds = shardSeeds(options.seed ?? scenario.seed, runs, options.shard);
    for (const { mode, config } of selectedModes(scenario, options)) {
      const simConfig = runConfig(config, mode, options);
      // Several batches per worker keep every thread busy to the end; in this thread, one seed per
      // task lets Ctrl-C stop between runs.
      const size = workers <= 1 ? 1 : Math.max(1, Math.ceil(seeds.length / (workers * 4)));
      for (let i = 0; i < seeds.length; i += size) {
        tasks.push({
          config: simConfig,
          seeds: seeds.slice(i, i + size),
          histograms: true,
          verify: options.checkDeterminism === true,
        });
        owners.push({ scenario: index, mode: mode.name });
      }
    }
  });
  const total = tasks.reduce((sum, t) => sum + t.seeds.length, 0);
  const executeOptions: Parameters<typeof execute>[1] = { workers };
  if (hooks.signal !== undefined) executeOptions.signal = hooks.signal;
  if (hooks.pause !== undefined) executeOptions.pause = hooks.pause;
  const onProgress = hooks.onProgress;
  if (onProgress !== undefined)
    executeOptions.onProgress = (done) =>
      onProgress({ scenario: `${scenarios.length} scenario(s)`, mode: `${runs} runs each`, done, total });
  const finished = await execute(tasks, executeOptions);
  const results = scenarios.map((scenario, index) => {
    const records = new Map<string, RunRecord[]>();
    const faults = new Map<string, string[]>();
    for (const { mode, config } of selectedModes(scenario, options)) {
      records.set(mode.name, []);
      faults.set(mode.name, configuredFaults(config, mode));
    }
    finished.forEach((batch, i) => {
      if (batch !== undefined && owners[i]!.scenario === index) records.get(owners[i]!.mode)!.push(...batch);
    });
    return runsResult(scenario, options, records, faults);
  });
  // An interrupted batch keeps the scenarios that finished at least one run.
  return {
    results: results.filter((r) => r.results.length > 0),
    interrupted: finished.some((batch) => batch === undefined),
  };
}

/** Runs scenarios and returns the report. */
export async function runScenarios(
  scenarios: readonly Scenario[],
  options: RunOptions,
  hooks: RunHooks | ProgressHook = {},
): Promise<Report> {
  const runHooks: RunHooks = typeof hooks === 'function' ? { onProgress: hooks } : hooks;
  const many = (options.runs ?? 1) > 1 || options.shard !== undefined;
  const scenarioResults: Report['scenarios'] = [];
  let interrupted = false;
  if (many) {
    const outcome = await runMany(scenarios, options, runHooks);
    scenarioResults.push(...outcome.results);
    interrupted = outcome.interrupted;
  } else {
    const total = scenarios.reduce(
      (sum, s) => sum + selectedModes(s, options).length * (options.messages ?? s.config.messages),
      0,
    );
    const progress = { done: 0, total, interrupted: false };
    for (const scenario of scenarios) {
      if (runHooks.signal?.aborted === true) progress.interrupted = true;
      if (progress.interrupted) break;
      if (selectedModes(scenario, options).length === 0) continue;
      const result = await runSingle(scenario, options, runHooks, progress);
      if (result.results.length > 0) scenarioResults.push(result);
    }
    interrupted = progress.interrupted;
  }
  return reportOf(scenarioResults, { kind: many ? 'runs' : 'run', interrupted });
}

/** Wraps scenario results into a report, with its overall verdict. */
export function reportOf(
  scenarios: Report['scenarios'],
  options: { kind: 'run' | 'runs'; interrupted?: boolean },
): Report {
  const interrupted = options.interrupted === true;
  const report: Report = { formatVersion: FORMAT_VERSION, kind: options.kind, ok: true, scenarios };
  if (interrupted) report.interrupted = true;
  report.ok =
    !interrupted &&
    scenarios.length > 0 &&
    scenarios.every((s) =>
      (s.results as Array<{ checks: CheckResult[] }>).every((r) => r.checks.every((c) => c.status === 'pass')),
    );
  return report;
}
