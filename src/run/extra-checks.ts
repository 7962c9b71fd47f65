// Checks given beside a scenario's own (`acksim run --check`, or the library's `checks` option), each as
// `expr` or `mode:expr`, read against the scenarios and modes being run.
import { UsageError } from '../errors.js';
import { parseCheck } from '../scenario/check-expression.js';
import { unpricedCheck } from '../scenario/pricing.js';
import type { Scenario, ScenarioCheck } from '../scenario/types.js';

/** How a refusal names where the checks and the selected modes came from. */
export interface CheckSource {
  /** The check at `index` ("--check", "checks[0]"). */
  label: (index: number) => string;
  /** The modes selected ("the --mode given"). */
  modes: string;
}

const COMMAND_LINE: CheckSource = { label: () => '--check', modes: 'the --mode given' };

/**
 * Reads extra checks. A mode before a colon must be one of the scenarios' modes, and one of those `selected`
 * when some are.
 */
export function extraChecks(
  texts: readonly string[],
  scenarios: readonly Scenario[],
  selected: readonly string[],
  source: CheckSource = COMMAND_LINE,
): ScenarioCheck[] {
  const modeNames = new Set(scenarios.flatMap((s) => s.modes.map((m) => m.mode.name)));
  return texts.map((text, index) => {
    const where = source.label(index);
    const colon = text.indexOf(':');
    const mode = colon >= 0 ? text.slice(0, colon).trim() : undefined;
    const expr = colon >= 0 ? text.slice(colon + 1) : text;
    if (mode !== undefined && !modeNames.has(mode)) {
      throw new UsageError(`${where} "${text}": unknown mode "${mode}" (allowed: ${[...modeNames].join(', ')})`);
    }
    if (mode !== undefined && selected.length > 0 && !selected.includes(mode)) {
      throw new UsageError(
        `${where} "${text}": mode "${mode}" is not run (allowed: ${source.modes}: ${selected.join(', ')})`,
      );
    }
    const parsed = parseCheck(expr);
    if (!parsed.ok) throw new UsageError(`${where}: ${parsed.message}`);
    const metrics = [parsed.check.metric, parsed.check.against ?? ''];
    for (const m of scenarios.flatMap((s) => s.modes)) {
      const applies =
        (mode ?? m.mode.name) === m.mode.name && (selected.length === 0 || selected.includes(m.mode.name));
      const why = applies ? unpricedCheck(metrics, m.mode.name, m.config.broker.pricing) : undefined;
      if (why !== undefined) throw new UsageError(`${where} "${text}": ${why}`);
    }
    return { mode, check: parsed.check, source: 'cli' as const };
  });
}
