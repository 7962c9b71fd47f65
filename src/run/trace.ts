// `trace`: the life of chosen messages in one run of one mode, as trace events. Long runs are cut by
// message, by time window, or to the first anomalies, and to a maximum number of events.
import type { UserCode } from '../model/handler.js';
import type { SimulationConfig } from '../model/config.js';
import { Outcome } from '../model/state.js';
import type { TraceEvent } from '../model/trace.js';
import type { Scenario } from '../scenario/types.js';
import { type FaultChoice } from '../sim/choice.js';
import { outcomeOf, type Verdict } from './explain.js';
import { explorationConfig, type FaultSpace } from './explore.js';
import { finished } from './drive.js';
import { runConfig, seededSimulation } from './prepare.js';

/** What to trace. */
export interface TraceOptions {
  mode: string;
  seed?: number;
  messages?: number;
  /** Only these message ids (events about no message, such as crashes, are kept too). */
  messageIds?: readonly number[];
  /** Only the first `anomalies` messages that ended lost or duplicated. */
  anomalies?: number;
  fromMs?: number;
  toMs?: number;
  /** Replay these faults (and no other) instead of drawing them from the seed. */
  faults?: readonly FaultChoice[];
  /** The fault space the faults were found in by `explore` (default: the scenario's). */
  faultSpace?: FaultSpace;
  /** Most events kept. */
  limit: number;
  /** The user's consumer code (the library's `handler`). */
  handler?: UserCode | undefined;
}

/** A trace and how it was cut. */
export interface TraceResult {
  scenario: string;
  file: string;
  mode: string;
  seed: number;
  messages: number;
  /** The messages traced, when the trace was cut by message. */
  messageIds?: number[];
  events: TraceEvent[];
  /** True when more events matched than `limit`. */
  truncated: boolean;
  /** How each message of the trace ended (those traced by id, else those its events show), by id. */
  verdicts: Verdict[];
  /** Virtual time at which the run ended, ms. */
  endMs: number;
}

async function anomalous(config: SimulationConfig, seed: number, count: number): Promise<number[]> {
  const result = await finished(seededSimulation(config, seed));
  const ids: number[] = [];
  for (let m = 0; m < result.outcome.length && ids.length < count; m++) {
    const lost = result.effects[m] === 0 && result.outcome[m] === Outcome.lost;
    if (lost || result.effects[m]! > 1) ids.push(m);
  }
  return ids;
}

/** Runs one mode of a scenario with tracing and returns the chosen events. */
export async function traceScenario(scenario: Scenario, options: TraceOptions): Promise<TraceResult> {
  const selected = scenario.modes.find((m) => m.mode.name === options.mode)!;
  const seed = options.seed ?? scenario.seed;
  const config = explorationConfig(
    runConfig(selected.config, selected.mode, options),
    options.faultSpace ?? 'scenario',
  );
  let ids = options.messageIds === undefined ? undefined : new Set(options.messageIds);
  if (options.anomalies !== undefined)
    ids = new Set([...(ids ?? []), ...(await anomalous(config, seed, options.anomalies))]);
  const from = options.fromMs ?? -Infinity;
  const to = options.toMs ?? Infinity;
  const events: TraceEvent[] = [];
  let truncated = false;
  // A consumer's restart matters only after a kept crash of that consumer.
  const down = new Set<number>();
  const keep = (event: TraceEvent): void => {
    if (event.t < from || event.t > to) return;
    if (ids !== undefined && event.message !== undefined && !ids.has(event.message)) return;
    if (ids !== undefined && ids.size === 0) return;
    // Following some messages, the log broker's routine commits and joins of every partition are noise.
    if (ids !== undefined && event.message === undefined && (event.event === 'commit' || event.event === 'join'))
      return;
    if (event.actor === 'consumer' && event.event === 'restart') {
      if (!down.has(event.consumer!)) return;
      down.delete(event.consumer!);
    }
    if (event.actor === 'consumer' && event.event === 'crash') down.add(event.consumer!);
    if (events.length >= options.limit) {
      truncated = true;
      return;
    }
    events.push(event);
  };
  const run = await finished(seededSimulation(config, seed, { faults: options.faults, trace: keep }));
  const shown = ids ?? new Set(events.flatMap((e) => (e.message === undefined ? [] : [e.message])));
  const verdicts = [...shown].sort((a, b) => a - b).map((m) => ({ message: m, ...outcomeOf(run, m) }));
  const result: TraceResult = {
    scenario: scenario.name,
    file: scenario.file,
    mode: selected.mode.name,
    seed,
    messages: config.messages,
    events,
    truncated,
    verdicts,
    endMs: run.simulatedMs,
  };
  if (ids !== undefined) result.messageIds = [...ids].sort((a, b) => a - b);
  return result;
}
