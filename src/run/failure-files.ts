// After a run with failed checks: which run to shrink for each mode's first failed check, the shrinking
// itself, and the failure file it gives (the CLI writes it and prints what happened).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { safeText } from '../safe-text.js';
import type { UserCode } from '../model/handler.js';
import type { Scenario, ScenarioCheck } from '../scenario/types.js';
import { parseCheck, type Check } from '../scenario/check-expression.js';
import { judge, type CheckResult } from './checks.js';
import { describeFault, FAILURE_FORMAT, type FailureFile } from './failure-file.js';
import { faultsInWords, handlerStory, replayFailure, type FaultInWords } from './replay.js';
import { modeConfig } from './prepare.js';
import { isRunsResult, type Report } from './report.js';
import type { RunRecord } from './runs.js';
import { failsWith, shrink } from './shrink.js';

/** Where failure files go, below the working folder. */
export const FAILURE_DIR = 'acksim-failures';

/** A failure's faults in words: with a handler, from a replay's trace (where in it each crash fell). */
async function inWords(
  failure: FailureFile,
  scenario: Scenario,
  handler: UserCode | undefined,
): Promise<{ faults: FaultInWords[]; story: string[] }> {
  const crashPoint = scenario.modes.find((m) => m.mode.name === failure.mode)?.config.consumers.crash.point;
  const plain = { faults: failure.faults.map((f) => ({ fault: describeFault(f, crashPoint), where: '' })), story: [] };
  if (handler === undefined) return plain;
  const replayed = await replayFailure(failure, scenario, handler);
  if (typeof replayed === 'string') return plain;
  return { faults: faultsInWords(replayed), story: handlerStory(replayed) };
}

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

/** What shrinking one mode's failed check came to. */
export type ShrinkOutcome =
  /** Not shrunk, and why (one line for the user, not yet made safe to print). */
  | { kind: 'skipped'; text: string }
  /** Shrunk: the failure file to write under FAILURE_DIR, and the line that says so (safe to print). */
  | {
      kind: 'shrunk';
      name: string;
      file: string;
      failure: FailureFile;
      text: string;
      budgetHit: boolean;
      /** Its faults in words; with a handler, where in it each crash fell ('' for other faults). */
      faults: FaultInWords[];
      /** With a handler, what went wrong in it, per anomalous message (replay.ts's handlerStory); else empty. */
      story: string[];
    };

/** How failures are shrunk. */
export interface ShrinkFailureOptions {
  /** Messages the run overrode the scenarios' with. */
  messages?: number | undefined;
  /** A fresh stop condition for each failure (its time budget). */
  budget: () => () => boolean;
  /** The version written into each failure file. */
  version: string;
  /** The user's consumer code the runs had (the library's `handler`). */
  handler?: UserCode | undefined;
}

/**
 * Shrinks the first failed check of each mode of each scenario (see `toShrink` for which run), one
 * outcome at a time, so that each can be reported as it comes.
 */
export async function* shrinkFailures(
  report: Report,
  scenarios: readonly Scenario[],
  checks: (scenario: Scenario, mode: string) => ScenarioCheck[],
  options: ShrinkFailureOptions,
): AsyncGenerator<ShrinkOutcome> {
  for (const result of report.scenarios) {
    const scenario = scenarios.find((s) => s.name === result.name && s.file === result.file);
    if (scenario === undefined) continue;
    for (const modeResult of result.results as Array<{ mode: string; checks: CheckResult[]; runs?: RunRecord[] }>) {
      const target = toShrink(result, modeResult, checks(scenario, modeResult.mode));
      if (target === undefined) continue;
      if ('skipped' in target) {
        yield { kind: 'skipped', text: `${result.name} ${modeResult.mode}: ${target.skipped}` };
        continue;
      }
      const { check, seed } = target;
      const config = modeConfig(scenario, modeResult.mode, options);
      // A check that fails with no fault at all has nothing to shrink: a failure file would be empty.
      if (await failsWith(config, seed, [], check)) {
        const text = `${result.name} ${modeResult.mode}: "${check.expr}" fails without any fault for this configuration (seed ${seed}, ${config.messages} messages): nothing to shrink, no failure file written`;
        yield { kind: 'skipped', text };
        continue;
      }
      const shrunk = await shrink(config, seed, check, options.budget());
      const failure: FailureFile = {
        acksimFailure: FAILURE_FORMAT,
        acksimVersion: options.version,
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
      const from =
        target.from === undefined ? '' : ` (seed ${seed}, the first run that breaks "${safeText(target.from)}")`;
      const text = `shrunk ${safeText(result.name)} ${safeText(modeResult.mode)} "${safeText(check.expr)}"${from} from ${shrunk.originalFaults} faults to ${shrunk.faults.length} in ${shrunk.trials} runs`;
      yield {
        kind: 'shrunk',
        name,
        file: join(FAILURE_DIR, name),
        failure,
        text,
        budgetHit: shrunk.budgetHit,
        ...(await inWords(failure, scenario, options.handler)),
      };
    }
  }
}
