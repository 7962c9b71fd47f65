// The user's consumer code as the library and the command line take it (`handler`, `--handler`): checked, with
// what a handler's run judges by default.
import { UsageError } from '../errors.js';
import type { Handler, PayloadGenerator, UserCode } from '../model/handler.js';
import { parseCheck, type Check } from '../scenario/check-expression.js';
import type { Scenario, ScenarioCheck } from '../scenario/types.js';
import { STATE_CHECK_METRIC } from './metrics.js';

/** The check of the handler's `check` over the final store (judged on STATE_CHECK_METRIC). */
export const STATE_CHECK: Check = { expr: 'check(state)', metric: STATE_CHECK_METRIC, operator: '==', value: 0 };

/** The same, as a check of every mode. */
export const STATE_SCENARIO_CHECK: ScenarioCheck = { mode: undefined, source: 'cli', check: STATE_CHECK };

/** A check's text parsed, the handler's `check(state)` included (a failure file may name it). */
export function checkOf(expr: string): ReturnType<typeof parseCheck> {
  return expr === STATE_CHECK.expr ? { ok: true, check: STATE_CHECK } : parseCheck(expr);
}

/** The handler's `check(state)` as a check of every mode, when it has one. */
export function stateChecks(code: UserCode): ScenarioCheck[] {
  return code.check === undefined ? [] : [STATE_SCENARIO_CHECK];
}

/** What a handler's run checks when given no checks: every message had its effect, once. */
export const HANDLER_CHECKS = ['lost == 0', 'duplicates == 0', 'processed == produced'];

/** A handler runs in this thread, in modes whose consumers do not write their effects in Kafka transactions. */
export function handlerFits(loaded: Scenario, modes: readonly string[], workers: number, where = ''): void {
  const transactional = loaded.modes.find(
    (m) => (modes.length === 0 || modes.includes(m.mode.name)) && m.config.consumers.transactional,
  );
  if (transactional !== undefined)
    throw new UsageError(
      `${where}handler: mode ${transactional.mode.name} writes its effects in Kafka transactions, which a handler cannot join ` +
        '(allowed: a handler with modes whose consumers are not transactional; choose them with `mode`)',
    );
  if (workers > 1)
    throw new UsageError(`${where}workers: ${workers} (allowed: 1 with a handler, which runs in this thread)`);
}

/** The user's code from the options (checked), or undefined without a handler. */
export function userCode(
  options: { handler?: unknown; payload?: unknown; effects?: unknown; check?: unknown },
  onError: UserCode['onError'],
  where = '',
): UserCode | undefined {
  const { handler, payload, effects, check } = options;
  const kind = typeof handler === 'function' ? handler.constructor.name : '';
  if (handler === undefined) {
    if (payload !== undefined)
      throw new UsageError(where + 'payload: given without a handler (allowed: with `handler`)');
    if (effects !== undefined)
      throw new UsageError(where + 'effects: given without a handler (allowed: with `handler`)');
    if (check !== undefined) throw new UsageError(where + 'check: given without a handler (allowed: with `handler`)');
    return undefined;
  }
  if (typeof handler !== 'function') throw new UsageError(`${where}handler: ${kindOf(handler)} (allowed: a function)`);
  if (kind === 'GeneratorFunction' || kind === 'AsyncGeneratorFunction')
    throw new UsageError(
      where + 'handler: a generator function, whose body would never run (allowed: a plain or async function)',
    );
  if (payload !== undefined && typeof payload !== 'function')
    throw new UsageError(`${where}payload: ${kindOf(payload)} (allowed: a function of the message id)`);
  if (effects !== undefined && effects !== 'auto' && effects !== 'counted')
    throw new UsageError(`${where}effects: ${kindOf(effects)} (allowed: 'auto' or 'counted')`);
  if (check !== undefined && typeof check !== 'function')
    throw new UsageError(`${where}check: ${kindOf(check)} (allowed: a function of the final store)`);
  const code: UserCode = {
    handler: handler as Handler,
    payload: payload as PayloadGenerator | undefined,
    effects,
    onError,
  };
  if (check !== undefined) code.check = check as UserCode['check'];
  return code;
}

/** What a value is, in words, for a refusal. */
export function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
