// acksim as a library: `import { loadScenario, simulate, replay } from 'acksim'`. The same work as the command
// line, returned as data: nothing here prints, exits or writes a file. Every problem with what it is given is a
// thrown AcksimError whose `message` says what is wrong and whose `issues` (for a scenario) name each field.
import { ScenarioError, UsageError } from '../errors.js';
import { SCENARIO_MAX_BYTES } from '../input-file.js';
import { extraChecks } from '../run/extra-checks.js';
import { describeFault, parseFailure, type FailureFile } from '../run/failure.js';
import { shrinkFailures } from '../run/failure-files.js';
import { replayExitCode, replayFailure } from '../run/replay.js';
import { exitCodeOf, type Report, type ScenarioResult, type ScenarioRunsResult } from '../run/report.js';
import { runScenarios } from '../run/run-scenario.js';
import type { RunOptions } from '../run/run-options.js';
import { loadScenarios } from '../scenario/load.js';
import type { Issue, Scenario } from '../scenario/types.js';
import { validateScenario } from '../scenario/validate.js';
import { VERSION_TEXT } from '../version.js';
import { apiInteger, ExitCodeName, verdictOf, type Verdict } from './options.js';

export { AcksimError, ScenarioError, UsageError } from '../errors.js';
export { ExitCode } from '../run/report.js';
export type { CheckResult } from '../run/checks.js';
export type { FailureFile } from '../run/failure.js';
export type { ModeResult, ModeRunsResult, Report, ScenarioResult, ScenarioRunsResult } from '../run/report.js';
export type { Issue, Scenario } from '../scenario/types.js';
export type { Verdict } from './options.js';

/** Where `loadScenario` reads from, and what it changes. */
export interface LoadOptions {
  /** The folder a relative path is read from (the process's working folder by default). */
  cwd?: string;
  /** A broker profile to swap in, as `--profile` does. */
  profile?: string;
  /** The name of a scenario given as an object (its `name` field wins; "inline" by default). */
  name?: string;
}

/**
 * A validated scenario: a built-in's name ("lost-acks"), a scenario file (YAML or JSON), or a scenario object (what
 * such a file holds, as data). Throws a ScenarioError whose `issues` name each problem (the same messages as
 * `acksim validate`), or a UsageError for a source that names no single scenario.
 */
export function loadScenario(source: string | object, options: LoadOptions = {}): Scenario {
  const overrides = options.profile === undefined ? {} : { profile: options.profile };
  if (typeof source === 'string') {
    const { scenarios, issues } = loadScenarios([source], options.cwd ?? process.cwd(), overrides);
    if (issues.length > 0) throw new ScenarioError(issues);
    if (scenarios.length !== 1)
      throw new UsageError(`${source}: ${scenarios.length} scenarios (allowed: a source that names one scenario)`);
    return scenarios[0]!;
  }
  if (typeof source !== 'object' || source === null || Array.isArray(source))
    throw new UsageError(
      `loadScenario: ${kindOf(source)} (allowed: a built-in name, a file path or a scenario object)`,
    );
  const name = options.name ?? 'inline';
  let text: string;
  try {
    text = JSON.stringify(source);
  } catch (error) {
    throw new ScenarioError([
      { file: name, path: '', message: `not data a scenario file can hold: ${(error as Error).message}` },
    ]);
  }
  if (text.length > SCENARIO_MAX_BYTES)
    throw new ScenarioError([
      { file: name, path: '', message: `larger than a scenario may be (allowed: ${SCENARIO_MAX_BYTES} bytes as JSON)` },
    ]);
  const result = validateScenario(text, name, name, overrides);
  // Lines and columns would point into JSON text the caller never saw: the field path says where.
  if (!result.ok) throw new ScenarioError(result.issues.map(({ line: _l, column: _c, ...issue }): Issue => issue));
  return result.scenario;
}

/** What `simulate` runs. */
export interface SimulateOptions {
  /** The delivery modes to run, by name: every mode of the scenario by default. */
  mode?: string | readonly string[];
  /** The seed of every random choice (the scenario's by default); with `runs`, the first of seed, seed + 1, ... */
  seed?: number;
  /** Messages to send (the scenario's by default). */
  messages?: number;
  /** Runs per mode (1 by default): more give means, intervals and the worst seed, as `--runs` does. */
  runs?: number;
  /** Worker threads for many runs (1 by default: this thread). */
  workers?: number;
  /** Checks beside the scenario's own, as `--check` takes them: "lost == 0", "at-least-once:duplicateRate < 1%". */
  checks?: readonly string[];
  /** Shrink each mode's first failed check to its fewest faults (true by default). */
  shrink?: boolean;
  /** Time allowed to shrink each failure, in ms (30,000 by default; cut short, a shrink is smaller, maybe not
   * minimal). */
  shrinkBudgetMs?: number;
  /** Stops the runs; the result then holds what finished (`interrupted`). */
  signal?: AbortSignal;
  /** The folder a relative scenario path is read from. */
  cwd?: string;
}

/** A failed check shrunk to its fewest faults: replay it with `replay(failure)` or `acksim replay <file>`. */
export interface ShrunkFailure {
  scenario: string;
  mode: string;
  check: string;
  seed: number;
  /** Each fault in words: "ack of #0 (delivery 0): dropped". */
  faults: string[];
  /** What a failure file holds (`acksim replay` reads it once written as JSON). */
  failure: FailureFile;
  /** The name `acksim run` would write it under, in acksim-failures/. */
  fileName: string;
  /** True when the shrink budget ran out first. */
  budgetHit: boolean;
}

/** What `simulate` found. */
export interface SimulateResult {
  /** True when every check passed and something was tested (exit code 0). */
  ok: boolean;
  verdict: Verdict;
  /** The exit code `acksim run` gives for the same run. */
  exitCode: number;
  /** The scenario's results, as the JSON report holds them (per mode: metrics, causes, checks, fingerprint). */
  result: ScenarioResult | ScenarioRunsResult | undefined;
  /** The whole report, byte for byte what `acksim run --format json` prints for the same run. */
  report: Report;
  /** Each mode's first failed check, shrunk (with `shrink`). */
  failures: ShrunkFailure[];
  /** Failed checks not shrunk, and why. */
  notShrunk: string[];
}

/** Runs a scenario (loaded, or anything `loadScenario` takes) in each of its modes and judges its checks. */
export async function simulate(
  scenario: Scenario | string | object,
  options: SimulateOptions = {},
): Promise<SimulateResult> {
  const loaded = isScenario(scenario)
    ? scenario
    : loadScenario(scenario, options.cwd === undefined ? {} : { cwd: options.cwd });
  const modes = typeof options.mode === 'string' ? [options.mode] : [...(options.mode ?? [])];
  const known = loaded.modes.map((m) => m.mode.name);
  for (const mode of modes)
    if (!known.includes(mode)) throw new UsageError(`mode: unknown mode "${mode}" (allowed: ${known.join(', ')})`);
  const runOptions: RunOptions = { modes };
  if (options.seed !== undefined) runOptions.seed = apiInteger('seed', options.seed, 0, 2 ** 31 - 1);
  if (options.messages !== undefined) runOptions.messages = apiInteger('messages', options.messages, 0, 50_000_000);
  if (options.runs !== undefined) runOptions.runs = apiInteger('runs', options.runs, 1, 1_000_000);
  runOptions.workers = options.workers === undefined ? 1 : apiInteger('workers', options.workers, 1, 64);
  const lastSeed = (runOptions.seed ?? loaded.seed) + (runOptions.runs ?? 1) - 1;
  if (lastSeed > 2 ** 31 - 1)
    throw new UsageError(`runs: the last seed would be ${lastSeed} (allowed: up to 2147483647)`);
  const shrinkBudgetMs =
    options.shrinkBudgetMs === undefined ? 30_000 : apiInteger('shrinkBudgetMs', options.shrinkBudgetMs, 1, 3_600_000);
  runOptions.checks = extraChecks(options.checks ?? [], [loaded], modes, {
    label: (i) => `checks[${i}]`,
    modes: 'the modes given',
  });
  const report = await runScenarios(
    [loaded],
    runOptions,
    options.signal === undefined ? {} : { signal: options.signal },
  );
  const exitCode = exitCodeOf(report);
  const shrunk =
    options.shrink === false || exitCode !== ExitCodeName.checkFailed
      ? undefined
      : shrinkAll(report, loaded, runOptions, shrinkBudgetMs);
  return {
    ok: report.ok,
    verdict: verdictOf(report, exitCode),
    exitCode: report.interrupted === true ? ExitCodeName.interrupted : exitCode,
    result: report.scenarios[0],
    report,
    failures: shrunk?.failures ?? [],
    notShrunk: shrunk?.notShrunk ?? [],
  };
}

/** Shrinks each mode's first failed check, as `acksim run` does, without writing anything. */
function shrinkAll(report: Report, scenario: Scenario, runOptions: RunOptions, budgetMs: number) {
  const budget = () => {
    const deadline = Date.now() + budgetMs;
    return () => Date.now() > deadline;
  };
  const extra = runOptions.checks ?? [];
  const checks = (s: Scenario, mode: string) =>
    [...s.checks, ...extra].filter((c) => c.mode === undefined || c.mode === mode);
  const failures: ShrunkFailure[] = [];
  const notShrunk: string[] = [];
  const shrinkOptions = { messages: runOptions.messages, budget, version: VERSION_TEXT };
  for (const outcome of shrinkFailures(report, [scenario], checks, shrinkOptions)) {
    if (outcome.kind === 'skipped') {
      notShrunk.push(outcome.text);
      continue;
    }
    const { failure } = outcome;
    const crashPoint = scenario.modes.find((m) => m.mode.name === failure.mode)?.config.consumers.crash.point;
    failures.push({
      scenario: scenario.name,
      mode: failure.mode,
      check: failure.check,
      seed: failure.seed,
      faults: failure.faults.map((f) => describeFault(f, crashPoint)),
      failure,
      fileName: outcome.name,
      budgetHit: outcome.budgetHit,
    });
  }
  return { failures, notShrunk };
}

/** What replaying a failure found. */
export interface ReplayResult {
  /** The failure's check on the replayed run: 'fail' when it fails again. */
  status: 'pass' | 'fail' | 'inconclusive';
  /** The metric's value in the replayed run, as the check reads it. */
  actual: number | undefined;
  /** The exit code `acksim replay` gives. */
  exitCode: number;
}

/**
 * Replays a failure (a ShrunkFailure's `failure`, or a failure file's parsed JSON) in its scenario: the one
 * given, else the scenario it names, read as `loadScenario` reads it.
 */
export function replay(failure: unknown, scenario?: Scenario, options: LoadOptions = {}): ReplayResult {
  const parsed = parseFailure(failure);
  if (typeof parsed === 'string') throw new UsageError(`replay: ${parsed}`);
  const target =
    scenario ??
    loadScenario(parsed.scenario, parsed.profile === undefined ? options : { ...options, profile: parsed.profile });
  const replayed = replayFailure(parsed, target);
  if (typeof replayed === 'string') throw new UsageError(`replay: ${replayed}`);
  const { status, actual } = replayed.verdict;
  return { status, actual, exitCode: replayExitCode(replayed) };
}

function isScenario(value: unknown): value is Scenario {
  return (
    typeof value === 'object' &&
    value !== null &&
    'modes' in value &&
    'config' in value &&
    'checks' in value &&
    'file' in value
  );
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
