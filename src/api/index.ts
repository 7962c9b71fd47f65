// acksim as a library: `import { loadScenario, simulate, replay } from 'acksim'`. The same work as the command
// line, returned as data: nothing here prints, exits or writes a file. Every problem with what it is given is a
// thrown AcksimError whose `message` says what is wrong and whose `issues` (for a scenario) name each field.
import { ScenarioError, UsageError } from '../errors.js';
import { SCENARIO_MAX_BYTES } from '../input-file.js';
import { parseFailure } from '../run/failure.js';
import type { Handler, PayloadGenerator } from '../run/prepare.js';
import { replayExitCode, replayFailure } from '../run/replay.js';
import { allChecks, ExitCode, exitCodeOf } from '../run/report.js';
import { runScenarios } from '../run/run-scenario.js';
import { loadScenarios } from '../scenario/load.js';
import type { Issue, Scenario } from '../scenario/types.js';
import { validateScenario } from '../scenario/validate.js';
import { exploreScenario } from '../run/explore.js';
import { forgetLate, noLateUse } from '../run/drive.js';
import { extraChecks } from '../run/extra-checks.js';
import { stateChecks } from '../run/user-code.js';
import { apiInteger, handlerFits, isScenario, kindOf, modeList, runOptionsOf, userCode, verdictOf } from './options.js';
import { shrinkAll } from './shrunk.js';
import type {
  ExploreOptions,
  ExploreResult,
  HandlerError,
  ReplayResult,
  SimulateOptions,
  SimulateResult,
} from './types.js';

export { AcksimError, ScenarioError, UsageError } from '../errors.js';
export { ExitCode } from '../run/report.js';
export type { CheckResult } from '../run/checks.js';
export type { FailureFile } from '../run/failure.js';
export type { ModeResult, ModeRunsResult, Report, ScenarioResult, ScenarioRunsResult } from '../run/report.js';
export type { Issue, Scenario } from '../scenario/types.js';
export type { HandlerError, ReplayResult, ShrunkFailure, SimulateOptions, SimulateResult, Verdict } from './types.js';
export type {
  Handler,
  HandlerContext,
  HandlerMessage,
  HandlerStore,
  HandlerTransaction,
  PayloadGenerator,
} from '../run/prepare.js';

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

/** Runs a scenario (loaded, or anything `loadScenario` takes) in each of its modes and judges its checks. */
export async function simulate(
  scenario: Scenario | string | object,
  options: SimulateOptions = {},
): Promise<SimulateResult> {
  const loaded = isScenario(scenario)
    ? scenario
    : loadScenario(scenario, options.cwd === undefined ? {} : { cwd: options.cwd });
  const errors = new Map<number, HandlerError>();
  const {
    scenario: judged,
    runOptions,
    shrinkBudgetMs,
  } = runOptionsOf(loaded, options, (id, delivery, error) => {
    const known = errors.get(id);
    if (known === undefined) errors.set(id, { id, delivery, error, count: 1 });
    else known.count++;
  });
  if (runOptions.handler !== undefined) forgetLate();
  const report = await runScenarios(
    [judged],
    runOptions,
    options.signal === undefined ? {} : { signal: options.signal },
  );
  // No check judged is no verdict (checks: [], or a scenario without any): never a pass.
  const judgedNone = allChecks(report).length === 0 && report.interrupted !== true;
  const exitCode = judgedNone ? ExitCode.inconclusive : exitCodeOf(report);
  const shrunk =
    options.shrink === false || exitCode !== ExitCode.checkFailed
      ? undefined
      : await shrinkAll(report, judged, runOptions, shrinkBudgetMs);
  // A ctx its handler used after the runs had ended (a timer it left behind) fails the call, as it fails `run`.
  if (runOptions.handler !== undefined) await noLateUse();
  return {
    ok: report.ok && !judgedNone,
    verdict: verdictOf(report, exitCode),
    exitCode: report.interrupted === true ? ExitCode.interrupted : exitCode,
    result: report.scenarios[0],
    report,
    failures: shrunk?.failures ?? [],
    notShrunk: shrunk?.notShrunk ?? [],
    handlerErrors: [...errors.values()].sort((a, b) => a.id - b.id),
  };
}

/**
 * Explores every fault schedule of a few messages within the bounds (`acksim explore`): with a handler, every
 * crash point inside it too. Pruning takes the handler's store into account.
 */
export async function explore(
  scenario: Scenario | string | object,
  options: ExploreOptions = {},
): Promise<ExploreResult> {
  const loaded = isScenario(scenario)
    ? scenario
    : loadScenario(scenario, options.cwd === undefined ? {} : { cwd: options.cwd });
  const modes = modeList(loaded, options.mode);
  const handler = userCode(options, undefined);
  if (handler !== undefined) handlerFits(loaded, modes, 1);
  const maxSeconds = options.maxSeconds === undefined ? 60 : apiInteger('maxSeconds', options.maxSeconds, 1, 86_400);
  const space = options.faultSpace ?? 'all';
  if (space !== 'all' && space !== 'scenario')
    throw new UsageError(`faultSpace: ${kindOf(space)} (allowed: 'all' or 'scenario')`);
  // A handler's schedules are judged on every message having its effect once (no loss, no duplicate, and this).
  const judged =
    handler === undefined
      ? loaded
      : { ...loaded, checks: [...extraChecks(['processed == produced'], [loaded], modes), ...stateChecks(handler)] };
  if (handler !== undefined) forgetLate();
  const exploration = await exploreScenario(judged, {
    messages: options.messages === undefined ? 2 : apiInteger('messages', options.messages, 1, 20),
    maxFaults: options.maxFaults === undefined ? 3 : apiInteger('maxFaults', options.maxFaults, 0, 8),
    maxSchedules:
      options.maxSchedules === undefined ? 200_000 : apiInteger('maxSchedules', options.maxSchedules, 1, 10_000_000),
    faultSpace: space,
    timeLimit: () => {
      const deadline = Date.now() + maxSeconds * 1000;
      return () => Date.now() > deadline;
    },
    modes,
    handler,
    ...(options.seed === undefined ? {} : { seed: apiInteger('seed', options.seed, 0, 2 ** 31 - 1) }),
  });
  if (handler !== undefined) await noLateUse();
  const covered = exploration.modes.every((m) => m.complete && m.noFaultExplored === undefined);
  const broken = exploration.modes.some((m) => m.guarantees.some((g) => !g.holds));
  return { verdict: broken ? 'fail' : covered ? 'pass' : 'inconclusive', exploration };
}

/**
 * Replays a failure (a ShrunkFailure's `failure`, or a failure file's parsed JSON) in its scenario: the one
 * given, else the scenario it names, read as `loadScenario` reads it.
 */
export async function replay(
  failure: unknown,
  scenario?: Scenario,
  options: LoadOptions & {
    handler?: Handler;
    payload?: PayloadGenerator;
    effects?: 'auto' | 'counted';
    check?: (state: Record<string, unknown>) => unknown;
  } = {},
): Promise<ReplayResult> {
  if (scenario !== undefined && !isScenario(scenario))
    throw new UsageError(`replay: the scenario is ${kindOf(scenario)} (allowed: what loadScenario returns, or none)`);
  const parsed = parseFailure(failure);
  if (typeof parsed === 'string') throw new UsageError(`replay: ${parsed}`);
  const target =
    scenario ??
    loadScenario(parsed.scenario, parsed.profile === undefined ? options : { ...options, profile: parsed.profile });
  const code = userCode(options, undefined);
  if (code !== undefined) forgetLate();
  const replayed = await replayFailure(parsed, target, code);
  if (typeof replayed === 'string') throw new UsageError(`replay: ${replayed}`);
  if (code !== undefined) await noLateUse();
  const { status, actual } = replayed.verdict;
  return { status, actual, exitCode: replayExitCode(replayed) };
}
