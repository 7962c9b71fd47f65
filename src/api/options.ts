// What the library API (index.ts) checks of its options and says of a report, apart from the API itself.
import { UsageError } from '../errors.js';
import { extraChecks } from '../run/extra-checks.js';
import type { Handler, PayloadGenerator, UserCode } from '../run/prepare.js';
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

/** What a handler's run checks when given no checks: every message had its effect, once. */
export const HANDLER_CHECKS = ['lost == 0', 'duplicates == 0', 'processed == produced'];

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
  if (options.shrink !== undefined && typeof options.shrink !== 'boolean')
    throw new UsageError(`shrink: ${kindOf(options.shrink)} (allowed: true or false)`);
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

/** A handler runs in this thread, in modes whose consumers do not write their effects in Kafka transactions. */
export function handlerFits(loaded: Scenario, modes: readonly string[], workers: number): void {
  const transactional = loaded.modes.find(
    (m) => (modes.length === 0 || modes.includes(m.mode.name)) && m.config.consumers.transactional,
  );
  if (transactional !== undefined)
    throw new UsageError(
      `handler: mode ${transactional.mode.name} writes its effects in Kafka transactions, which a handler cannot join ` +
        '(allowed: a handler with modes whose consumers are not transactional; choose them with `mode`)',
    );
  if (workers > 1) throw new UsageError(`workers: ${workers} (allowed: 1 with a handler, which runs in this thread)`);
}

/** The user's code from the options (checked), or undefined without a handler. */
export function userCode(
  options: { handler?: unknown; payload?: unknown; effects?: unknown },
  onError: UserCode['onError'],
): UserCode | undefined {
  const { handler, payload, effects } = options;
  const kind = typeof handler === 'function' ? handler.constructor.name : '';
  if (handler === undefined) {
    if (payload !== undefined) throw new UsageError('payload: given without a handler (allowed: with `handler`)');
    if (effects !== undefined) throw new UsageError('effects: given without a handler (allowed: with `handler`)');
    return undefined;
  }
  if (typeof handler !== 'function') throw new UsageError(`handler: ${kindOf(handler)} (allowed: a function)`);
  if (kind === 'AsyncFunction' || kind === 'AsyncGeneratorFunction')
    throw new UsageError(
      'handler: an async function (allowed: a synchronous function for now: its store calls return at once)',
    );
  if (kind === 'GeneratorFunction')
    throw new UsageError('handler: a generator function, whose body would never run (allowed: a plain function)');
  if (payload !== undefined && typeof payload !== 'function')
    throw new UsageError(`payload: ${kindOf(payload)} (allowed: a function of the message id)`);
  if (effects !== undefined && effects !== 'auto' && effects !== 'counted')
    throw new UsageError(`effects: ${kindOf(effects)} (allowed: 'auto' or 'counted')`);
  return { handler: handler as Handler, payload: payload as PayloadGenerator | undefined, effects, onError };
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

export function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
