// The trace of each smallest counterexample an exploration found (`explore --trace`): run here, shown by
// report/explore.ts.
import type { UserCode } from '../model/handler.js';
import type { Scenario } from '../scenario/types.js';
import type { Exploration } from './explore-types.js';
import { traceScenario, type TraceResult } from './trace.js';

/** The key of a guarantee's counterexample trace in the map `counterexampleTraces` gives. */
export function counterexampleKey(mode: string, guarantee: string): string {
  return `${mode}\u0000${guarantee}`;
}

/** Traces each smallest counterexample of `result` (the faults' messages, or the first anomaly), by key. */
export async function counterexampleTraces(
  result: Exploration,
  scenario: Scenario,
  handler: UserCode | undefined,
): Promise<Map<string, TraceResult>> {
  const traces = new Map<string, TraceResult>();
  for (const mode of result.modes) {
    for (const g of mode.guarantees) {
      const ce = g.counterexample;
      if (g.holds || ce === undefined) continue;
      const ids = [...new Set(ce.faults.map((f) => f.a))];
      const trace = await traceScenario(scenario, {
        mode: mode.mode,
        seed: result.seed,
        messages: result.messages,
        faults: ce.faults,
        faultSpace: result.faultSpace,
        limit: 200,
        handler,
        ...(ids.length > 0 ? { messageIds: ids } : { anomalies: 1 }),
      });
      traces.set(counterexampleKey(mode.mode, g.name), trace);
    }
  }
  return traces;
}
