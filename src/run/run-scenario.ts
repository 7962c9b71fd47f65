// Runs each scenario in each of its modes, with one seed or many (`runs`), measures, and judges the
// checks. A single run steps here, in slices between progress ticks; many runs go to run-batch.ts.
import type { SimulationConfig } from '../model/config.js';
import { DEFAULT_POINTS, defaultSampleMs, MAX_POINTS } from '../model/time-series.js';
import type { Scenario } from '../scenario/types.js';
import { configuredFaults } from './aggregate.js';
import type { ModeResult, Report, ScenarioResult } from './report.js';
import { fingerprintedSimulation, recordOf, replays, runOnce, type RunRecord } from './runs.js';
import { stepped } from './drive.js';
import { runConfig } from './prepare.js';
import { runMany } from './run-batch.js';
import { judgeAll, nothingTestedField, reportOf } from './run-judging.js';
import {
  checksFor,
  profileOf,
  reproduceCommand,
  selectedModes,
  type ProgressHook,
  type RunHooks,
  type RunOptions,
} from './run-options.js';

// What the run's callers import from here; each lives in the part that owns it.
export { batchFingerprint } from './run-batch.js';
export { judgeAll, nothingTestedField, reportOf } from './run-judging.js';
export { DETERMINISM_CHECK, reproduceCommand, selectedModes, shardSeeds } from './run-options.js';
export type { Progress, ProgressHook, RunHooks, RunOptions } from './run-options.js';

const SLICE_EVENTS = 1 << 18;

/** The run's config, sampling its time series when asked (--time-series). */
function sampled(config: SimulationConfig, options: RunOptions): SimulationConfig {
  if (options.timeSeries !== true) return config;
  config.sampleMs = options.sampleMs ?? defaultSampleMs(config.messages, config.producer.ratePerSec);
  config.samplePoints = options.samplePoints ?? (options.sampleMs === undefined ? DEFAULT_POINTS : MAX_POINTS);
  return config;
}

/** Runs one scenario once in each selected mode, in slices when progress is shown or Ctrl-C may stop it. */
async function runSingle(
  scenario: Scenario,
  options: RunOptions,
  hooks: RunHooks,
  progress: { done: number; total: number; interrupted: boolean },
): Promise<ScenarioResult> {
  const seed = options.seed ?? scenario.seed;
  const results: ModeResult[] = [];
  for (const { mode, config } of selectedModes(scenario, options)) {
    const simConfig = sampled(runConfig(config, mode, options), options);
    let record: RunRecord;
    if (hooks.onProgress === undefined && hooks.pause === undefined && hooks.signal === undefined) {
      record = await runOnce(simConfig, seed, false);
    } else {
      const { simulation, choices } = fingerprintedSimulation(simConfig, seed);
      while (!(await stepped(simulation, SLICE_EVENTS))) {
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
    if (options.checkDeterminism === true) record.deterministic = await replays(simConfig, seed, record);
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
