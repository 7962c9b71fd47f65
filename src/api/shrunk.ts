// Failed checks shrunk for the library: what `acksim run` writes as failure files, returned as data.
import { stateChecks } from '../run/user-code.js';
import { shrinkFailures } from '../run/failure-files.js';
import type { Report } from '../run/report.js';
import type { RunOptions } from '../run/run-options.js';
import type { Scenario } from '../scenario/types.js';
import { VERSION_TEXT } from '../version.js';
import type { ShrunkFailure } from './types.js';

/** Shrinks each mode's first failed check, as `acksim run` does, without writing anything. */
export async function shrinkAll(
  report: Report,
  scenario: Scenario,
  runOptions: RunOptions,
  budgetMs: number,
): Promise<{ failures: ShrunkFailure[]; notShrunk: string[] }> {
  const budget = () => {
    const deadline = Date.now() + budgetMs;
    return () => Date.now() > deadline;
  };
  const extra = [...(runOptions.checks ?? []), ...(runOptions.handler ? stateChecks(runOptions.handler) : [])];
  const checks = (s: Scenario, mode: string) =>
    [...s.checks, ...extra].filter((c) => c.mode === undefined || c.mode === mode);
  const failures: ShrunkFailure[] = [];
  const notShrunk: string[] = [];
  // The shrink's trials run the handler too, without telling the run's error list.
  const handler = runOptions.handler === undefined ? undefined : { ...runOptions.handler, onError: undefined };
  const shrinkOptions = { messages: runOptions.messages, budget, version: VERSION_TEXT, handler };
  for await (const outcome of shrinkFailures(report, [scenario], checks, shrinkOptions)) {
    if (outcome.kind === 'skipped') {
      notShrunk.push(outcome.text);
      continue;
    }
    const { failure } = outcome;
    failures.push({
      scenario: scenario.name,
      mode: failure.mode,
      check: failure.check,
      seed: failure.seed,
      faults: outcome.faults.map((f) => f.fault),
      crashes: outcome.faults.map((f) => f.where),
      story: outcome.story,
      failure,
      fileName: outcome.name,
      budgetHit: outcome.budgetHit,
    });
  }
  return { failures, notShrunk };
}
