// Many runs of each scenario and mode (`--runs`, `--shard`): their tasks on worker threads, and each
// scenario's result assembled from its records, with the statistics, checks and worst run of each mode.
import { createHash } from 'node:crypto';
import type { Scenario } from '../scenario/types.js';
import { aggregate, configuredFaults } from './aggregate.js';
import { execute, taskSize } from './execute.js';
import type { ModeRunsResult, ScenarioRunsResult } from './report.js';
import type { RunRecord, RunTask } from './runs.js';
import { runConfig } from './prepare.js';
import { judgeAll, nothingTestedField } from './run-judging.js';
import {
  checksFor,
  commandFor,
  profileOf,
  reproduceCommand,
  selectedModes,
  shardSeeds,
  type RunHooks,
  type RunOptions,
} from './run-options.js';

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

/** Assembles a batch's scenario result from its records. */
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

/** Runs every scenario's batch, on worker threads; `interrupted` when Ctrl-C stopped it before the end. */
export async function runMany(
  scenarios: readonly Scenario[],
  options: RunOptions,
  hooks: RunHooks,
): Promise<{ results: ScenarioRunsResult[]; interrupted: boolean }> {
  const runs = options.runs ?? 1;
  const workers = Math.max(1, options.workers ?? 1);
  const tasks: RunTask[] = [];
  const owners: Array<{ scenario: number; mode: string }> = [];
  const seedsOf = scenarios.map((scenario) => shardSeeds(options.seed ?? scenario.seed, runs, options.shard));
  const total = scenarios.reduce(
    (sum, scenario, i) => sum + seedsOf[i]!.length * selectedModes(scenario, options).length,
    0,
  );
  let left = total;
  scenarios.forEach((scenario, index) => {
    const seeds = seedsOf[index]!;
    for (const { mode, config } of selectedModes(scenario, options)) {
      const simConfig = runConfig(config, mode, options);
      for (let i = 0; i < seeds.length;) {
        const size = Math.min(taskSize(left, seeds.length, workers), seeds.length - i);
        tasks.push({
          config: simConfig,
          seeds: seeds.slice(i, i + size),
          histograms: true,
          verify: options.checkDeterminism === true,
        });
        owners.push({ scenario: index, mode: mode.name });
        i += size;
        left -= size;
      }
    }
  });
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
