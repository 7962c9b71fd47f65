// After a run with failed checks: shrink each mode's first failed check to a minimal set of faults,
// write a failure file under acksim-failures/, and print the line that replays it.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { wrapLine } from '../report/wrap.js';
import { outputWidth } from './terminal.js';
import { FAILURE_FORMAT, type FailureFile } from '../run/failure.js';
import { parseCheck, type Check } from '../run/check-expression.js';
import { judge, type CheckResult } from '../run/checks.js';
import type { RunRecord } from '../run/runs.js';
import { isRunsResult, type Report } from '../run/report.js';
import { failsWith, shrink } from '../run/shrink.js';
import type { Scenario, ScenarioCheck } from '../scenario/types.js';
import type { Io } from './common.js';
import { writeOwnFile } from './output.js';
import { VERSION_TEXT } from './version.js';
import { safeText } from '../safe-text.js';

/** Where failure files go, below the working folder. */
export const FAILURE_DIR = 'acksim-failures';

/** A name or mode as part of a file name: letters, digits, `.`, `-` and `_` only, and not too long. */
function fileName(text: string): string {
  return text.replace(/[^\w.-]+/g, '_').slice(0, 80);
}

/**
 * The check as part of a file name: a short slug of its text and a hash of the whole text, so two
 * checks of one run never share a failure file ("duplicaterate-0-5-1a2b3c4d").
 */
export function checkFileTag(expr: string): string {
  const slug = expr
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 32)
    .replace(/-+$/, '');
  const hash = createHash('sha256').update(expr).digest('hex').slice(0, 8);
  return slug === '' ? hash : `${slug}-${hash}`;
}

/**
 * A failed check and the run to shrink it in. A bare check over many runs names its first failing seed.
 * An aggregate (`max(duplicateRate) < 1%`) is shrunk as its bare form in the first run that breaks
 * that; when none does (an interval bound over runs can fail with every run fine), there is no single
 * story to shrink, and the reason is returned instead.
 */
function toShrink(
  result: Report['scenarios'][number],
  modeResult: { checks: CheckResult[]; runs?: RunRecord[] },
  checks: readonly ScenarioCheck[],
): { check: Check; seed: number; from?: string } | { skipped: string } | undefined {
  const runs = isRunsResult(result);
  const failed = modeResult.checks.filter((c) => c.status === 'fail');
  const bare = failed.find((c) => !runs || c.seed !== undefined);
  const usable = (expr: string) => checks.find((c) => c.check.expr === expr && c.determinism !== true)?.check;
  if (bare !== undefined) {
    const check = usable(bare.expr);
    if (check !== undefined && check.aggregate === undefined) return { check, seed: bare.seed ?? result.seed };
  }
  for (const f of failed) {
    const check = usable(f.expr);
    if (check?.aggregate === undefined || !runs) continue;
    const parsed = parseCheck(check.expr.replace(/^\s*\w+\(\s*(\w+)\s*\)/, '$1'));
    if (!parsed.ok) continue;
    const run = (modeResult.runs ?? []).find((r) => judge(parsed.check, r).status === 'fail');
    if (run === undefined)
      return {
        skipped: `no single run breaks "${parsed.check.expr}", so "${check.expr}" fails only over runs: not shrunk`,
      };
    return { check: parsed.check, seed: run.seed, from: check.expr };
  }
  return undefined;
}

/**
 * Shrinks the first failed check of each mode of each scenario (see `toShrink` for which run).
 * `budgetMs` bounds the time spent per failure; a budget hit is reported.
 */
export function shrinkFailures(
  report: Report,
  scenarios: readonly Scenario[],
  checks: (scenario: Scenario, mode: string) => ScenarioCheck[],
  options: { messages?: number; budgetMs: number; inputs: readonly string[] },
  io: Io,
): void {
  for (const result of report.scenarios) {
    const scenario = scenarios.find((s) => s.name === result.name && s.file === result.file);
    if (scenario === undefined) continue;
    for (const modeResult of result.results as Array<{ mode: string; checks: CheckResult[]; runs?: RunRecord[] }>) {
      const target = toShrink(result, modeResult, checks(scenario, modeResult.mode));
      if (target === undefined) continue;
      if ('skipped' in target) {
        io.stderr(
          `${wrapLine(safeText(`${result.name} ${modeResult.mode}: ${target.skipped}`, 600), outputWidth(process.stderr)).join('\n')}\n`,
        );
        continue;
      }
      const { check, seed } = target;
      const mode = scenario.modes.find((m) => m.mode.name === modeResult.mode)!;
      const config = { ...mode.config, messages: options.messages ?? mode.config.messages, mode: mode.mode };
      // A check that fails with no fault at all has nothing to shrink: a failure file would be empty.
      if (failsWith(config, seed, [], check)) {
        const text = `${result.name} ${modeResult.mode}: "${check.expr}" fails without any fault for this configuration (seed ${seed}, ${config.messages} messages): nothing to shrink, no failure file written`;
        io.stderr(`${wrapLine(safeText(text, 600), outputWidth(process.stderr)).join('\n')}\n`);
        continue;
      }
      const deadline = Date.now() + options.budgetMs;
      const shrunk = shrink(config, seed, check, () => Date.now() > deadline);
      const failure: FailureFile = {
        acksimFailure: FAILURE_FORMAT,
        acksimVersion: VERSION_TEXT,
        scenario: result.file,
        ...(scenario.profileOverride === undefined ? {} : { profile: scenario.profileOverride }),
        mode: modeResult.mode,
        seed,
        messages: shrunk.messages,
        check: check.expr,
        originalFaults: shrunk.originalFaults,
        faults: shrunk.faults,
      };
      const name = `${fileName(result.name)}.${fileName(modeResult.mode)}.seed${seed}.${checkFileTag(check.expr)}.json`;
      const file = join(FAILURE_DIR, name);
      // The run's verdict stands whatever happens here: a file that cannot be written is one line, not an error.
      const text = `${JSON.stringify(failure, null, 2)}\n`;
      const problem = writeOwnFile({ cwd: io.cwd, folder: FAILURE_DIR, name, text, inputs: options.inputs });
      const budget = shrunk.budgetHit
        ? ` (shrink budget of ${options.budgetMs / 1000} s hit: smaller, maybe not minimal)`
        : '';
      const replay =
        problem === undefined
          ? `replay: acksim replay ${file}`
          : `the failure file ${file} could not be written: ${problem}`;
      // The replay command on a line of its own, whole, so that it can be copied.
      const shrunkText = `shrunk ${safeText(result.name)} ${safeText(modeResult.mode)} "${safeText(check.expr)}"${target.from === undefined ? '' : ` (seed ${seed}, the first run that breaks "${safeText(target.from)}")`} from ${shrunk.originalFaults} faults to ${shrunk.faults.length} in ${shrunk.trials} runs${budget}`;
      io.stderr(`${wrapLine(shrunkText, outputWidth(process.stderr)).join('\n')}\n  ${replay}\n`);
    }
  }
}
