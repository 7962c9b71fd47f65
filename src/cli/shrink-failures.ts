// After a run with failed checks: shrink each mode's first failed check to a minimal set of faults,
// write a failure file under acksim-failures/, and print the line that replays it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAILURE_FORMAT, type FailureFile } from '../run/failure.js';
import type { CheckResult } from '../run/checks.js';
import { isRunsResult, type Report } from '../run/report.js';
import { shrink } from '../run/shrink.js';
import type { Scenario, ScenarioCheck } from '../scenario/types.js';
import type { Io } from './common.js';
import { VERSION_TEXT } from './version.js';

/** Where failure files go, below the working folder. */
export const FAILURE_DIR = 'acksim-failures';

function fileName(text: string): string {
  return text.replace(/[^\w.-]+/g, '_');
}

/**
 * Shrinks the first failed bare check of each mode of each scenario (over many runs, in its first
 * failing seed). `budgetMs` bounds the
 * time spent per failure; a budget hit is reported.
 */
export function shrinkFailures(
  report: Report,
  scenarios: readonly Scenario[],
  checks: (scenario: Scenario, mode: string) => ScenarioCheck[],
  options: { messages?: number; budgetMs: number },
  io: Io,
): void {
  for (const result of report.scenarios) {
    const scenario = scenarios.find((s) => s.name === result.name && s.file === result.file);
    if (scenario === undefined) continue;
    for (const modeResult of result.results as Array<{ mode: string; checks: CheckResult[] }>) {
      // Over many runs, a failed bare check names its first failing seed: that run is shrunk.
      const failed = modeResult.checks.find((c) => c.status === 'fail' && (!isRunsResult(result) || c.seed !== undefined));
      const seed = failed?.seed ?? result.seed;
      const check =
        failed === undefined
          ? undefined
          : checks(scenario, modeResult.mode).find(
              (c) => c.check.expr === failed.expr && c.check.aggregate === undefined && c.determinism !== true,
            );
      if (check === undefined) continue;
      const mode = scenario.modes.find((m) => m.mode.name === modeResult.mode)!;
      const config = { ...mode.config, messages: options.messages ?? mode.config.messages, mode: mode.mode };
      const deadline = Date.now() + options.budgetMs;
      const shrunk = shrink(config, seed, check.check, () => Date.now() > deadline);
      const failure: FailureFile = {
        acksimFailure: FAILURE_FORMAT,
        acksimVersion: VERSION_TEXT,
        scenario: result.file,
        mode: modeResult.mode,
        seed,
        messages: shrunk.messages,
        check: check.check.expr,
        originalFaults: shrunk.originalFaults,
        faults: shrunk.faults,
      };
      mkdirSync(join(io.cwd, FAILURE_DIR), { recursive: true });
      const file = join(FAILURE_DIR, `${fileName(result.name)}.${fileName(modeResult.mode)}.seed${seed}.json`);
      writeFileSync(join(io.cwd, file), `${JSON.stringify(failure, null, 2)}\n`);
      const budget = shrunk.budgetHit ? ` (shrink budget of ${options.budgetMs / 1000} s hit: smaller, maybe not minimal)` : '';
      io.stderr(
        `shrunk ${result.name} ${modeResult.mode} "${check.check.expr}" from ${shrunk.originalFaults} faults to ${shrunk.faults.length} in ${shrunk.trials} runs${budget}; replay: acksim replay ${file}\n`,
      );
    }
  }
}
