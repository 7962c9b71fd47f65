// Which mode `trace` and `explain` show when no --mode is given: the first, in the scenario's order,
// where a message the request is about was lost or duplicated.
import type { UserCode } from '../model/handler.js';
import type { Scenario } from '../scenario/types.js';
import { outcomeOf } from './explain.js';
import { finished } from './drive.js';
import { modeConfig, seededSimulation } from './prepare.js';

/** What counts as an anomaly for the request. */
export interface AnomalyRequest {
  seed?: number;
  messages?: number;
  /** Only these messages count (all when absent). */
  messageIds?: readonly number[];
  lost: boolean;
  duplicated: boolean;
  /** The user's consumer code (`--handler`). */
  handler?: UserCode | undefined;
}

/** The name of the first mode with a lost or duplicated message matching `request`, or undefined when none has one. */
export async function firstAnomalousMode(scenario: Scenario, request: AnomalyRequest): Promise<string | undefined> {
  const seed = request.seed ?? scenario.seed;
  for (const { mode } of scenario.modes) {
    const config = modeConfig(scenario, mode.name, request);
    const result = await finished(seededSimulation(config, seed));
    const ids = request.messageIds ?? Array.from({ length: result.counters.produced }, (_, m) => m);
    const found = ids.some((m) => {
      const { outcome } = outcomeOf(result, m);
      return (request.lost && outcome === 'lost') || (request.duplicated && outcome === 'duplicated');
    });
    if (found) return mode.name;
  }
  return undefined;
}
