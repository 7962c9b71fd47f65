// What the library API (index.ts) checks of its options and says of a report, apart from the API itself.
import { UsageError } from '../errors.js';
import { extraChecks } from '../run/extra-checks.js';
import { HANDLER_CHECKS, handlerFits, kindOf, userCode } from '../run/user-code.js';
import type { UserCode } from '../run/prepare.js';
import { ExitCode, type Report } from '../run/report.js';
import type { RunOptions } from '../run/run-options.js';
import type { Scenario } from '../scenario/types.js';
import type { SimulateOptions, Verdict } from './types.js';

/** The verdict of a report whose exit code is `exitCode`. */
export function verdictOf(report: Report, exitCode: number): Verdict {
  if (report.interrupted === true) return 'interrupted';
  return exitCode === ExitCode.ok ? 'pass' : exitCode === ExitCode.checkFailed ? 'fail' : 'inconclusive';
}

/** An option that must be a whole number in [min, max]; a UsageError names it and what is allowed. */
export function apiInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`${name}: ${shownValue(value)} (allowed: a whole number from ${min} to ${max})`);
  return value;
}

function shownValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null)
    return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** `timeSeries`: true, or `{ sampleMs }`, for one run per mode (as `--time-series`). */
function timeSeriesOf(value: unknown, runs: number | undefined): Pick<RunOptions, 'timeSeries' | 'sampleMs'> {
  if (value === undefined || value === false) return {};
  if ((runs ?? 1) > 1) throw new UsageError('timeSeries: it samples one run per mode (allowed: without runs above 1)');
  if (value === true) return { timeSeries: true };
  const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
  if (keys.length !== 1 || keys[0] !== 'sampleMs')
    throw new UsageError(`timeSeries: ${shownValue(value)} (allowed: true, false, or { sampleMs: a number of ms })`);
  const sampleMs = apiInteger('timeSeries.sampleMs', (value as { sampleMs: unknown }).sampleMs, 1, 86_400_000);
  return { timeSeries: true, sampleMs };
}

/** The run options of `simulate`'s options (each checked), and the shrink budget. */
export function runOptionsOf(
  loaded: Scenario,
  options: SimulateOptions,
  onError: UserCode['onError'],
): { scenario: Scenario; runOptions: RunOptions; shrinkBudgetMs: number } {
  const modes = modeList(loaded, options.mode);
  const runOptions: RunOptions = { modes };
  if (options.seed !== undefined) runOptions.seed = apiInteger('seed', options.seed, 0, 2 ** 31 - 1);
  if (options.messages !== undefined) runOptions.messages = apiInteger('messages', options.messages, 0, 50_000_000);
  if (options.runs !== undefined) runOptions.runs = apiInteger('runs', options.runs, 1, 1_000_000);
  runOptions.workers = options.workers === undefined ? 1 : apiInteger('workers', options.workers, 1, 64);
  const lastSeed = (runOptions.seed ?? loaded.seed) + (runOptions.runs ?? 1) - 1;
  if (lastSeed > 2 ** 31 - 1)
    throw new UsageError(`runs: the last seed would be ${lastSeed} (allowed: up to 2147483647)`);
  const code = userCode(options, onError);
  if (code !== undefined) {
    runOptions.handler = code;
    handlerFits(loaded, modes, runOptions.workers);
  }
  for (const name of ['shrink', 'checkDeterminism'] as const)
    if (options[name] !== undefined && typeof options[name] !== 'boolean')
      throw new UsageError(`${name}: ${kindOf(options[name])} (allowed: true or false)`);
  if (options.checkDeterminism === true) runOptions.checkDeterminism = true;
  Object.assign(runOptions, timeSeriesOf(options.timeSeries, runOptions.runs));
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    throw new UsageError(`signal: ${kindOf(options.signal)} (allowed: an AbortSignal)`);
  const shrinkBudgetMs =
    options.shrinkBudgetMs === undefined ? 30_000 : apiInteger('shrinkBudgetMs', options.shrinkBudgetMs, 1, 3_600_000);
  // A handler is judged on its effects happening once, unless told otherwise; the scenario's checks were written
  // for its built-in consumer.
  if (options.scenarioChecks !== undefined && typeof options.scenarioChecks !== 'boolean')
    throw new UsageError(`scenarioChecks: ${kindOf(options.scenarioChecks)} (allowed: true or false)`);
  if (
    options.checks !== undefined &&
    (!Array.isArray(options.checks) || options.checks.some((c) => typeof c !== 'string'))
  )
    throw new UsageError(`checks: ${kindOf(options.checks)} (allowed: a list of checks as text, e.g. ['lost == 0'])`);
  const ownChecks = options.scenarioChecks ?? code === undefined;
  const scenario = ownChecks ? loaded : { ...loaded, checks: [] };
  const texts = options.checks ?? (code === undefined ? [] : HANDLER_CHECKS);
  runOptions.checks = extraChecks(texts, [scenario], modes, {
    label: (i) => `checks[${i}]`,
    modes: 'the modes given',
  });
  return { scenario, runOptions, shrinkBudgetMs };
}

/** The modes an option names (a name or a list), each one of the scenario's. */
export function modeList(loaded: Scenario, mode: unknown): string[] {
  if (
    mode !== undefined &&
    typeof mode !== 'string' &&
    !(Array.isArray(mode) && mode.every((m) => typeof m === 'string'))
  )
    throw new UsageError(`mode: ${kindOf(mode)} (allowed: a mode's name, or a list of them)`);
  const modes = typeof mode === 'string' ? [mode] : [...(mode ?? [])];
  const known = loaded.modes.map((m) => m.mode.name);
  for (const name of modes)
    if (!known.includes(name)) throw new UsageError(`mode: unknown mode "${name}" (allowed: ${known.join(', ')})`);
  return modes;
}

export function isScenario(value: unknown): value is Scenario {
  return (
    typeof value === 'object' &&
    value !== null &&
    'modes' in value &&
    'config' in value &&
    'checks' in value &&
    'file' in value
  );
}

export { handlerFits, kindOf, userCode };
