// What the HTML report shows beside the JSON report (issue 18 §2): each scenario's lesson and its faults as time
// bands, and the timelines of selected messages (the first of each cause of loss and duplicate in each mode, or the
// messages asked for), cut from one traced run of the mode.
import type { SimulationConfig } from '../model/config.js';
import type { TraceEvent } from '../model/trace.js';
import type { Scenario } from '../scenario/types.js';
import type { FaultChoice } from '../sim/choice.js';
import { causeGlosses } from './cause-glossary.js';
import { finished } from './drive.js';
import { outcomeOf } from './explain.js';
import type { FaultSpace } from './explore.js';
import { runConfig, seededSimulation, type ConfigOverrides } from './prepare.js';
import { traceScenario, type TraceResult } from './trace.js';

/** A stretch of virtual time a scenario's fault covers (an instant when `toMs` equals `fromMs`). */
export interface FaultBand {
  label: string;
  fromMs: number;
  toMs: number;
}

/** A scenario as the page shows it beside its results. */
export interface ScenarioDetails {
  description: string;
  bands: FaultBand[];
}

/** One message's life in one mode, as the page draws it. */
export interface Timeline {
  file: string;
  mode: string;
  message: number;
  outcome: string;
  cause?: string;
  events: TraceEvent[];
  /** More events happened to the message than are drawn. */
  truncated: boolean;
  /** Why it is drawn, when not for its cause (explore: the guarantee it breaks). */
  label?: string;
}

/** Most timelines drawn per mode, and most events per timeline. */
export const TIMELINES_PER_MODE = 8;
export const EVENTS_PER_TIMELINE = 80;

/** The time bands of a configuration's scheduled faults. */
export function faultBands(faults: SimulationConfig['faults']): FaultBand[] {
  return faults.map((f) => {
    switch (f.type) {
      case 'broker-crash':
        return {
          label: `broker down ${f.atMs}-${f.atMs + f.durationMs} ms`,
          fromMs: f.atMs,
          toMs: f.atMs + f.durationMs,
        };
      case 'leader-failover':
        return { label: `leader failover at ${f.atMs} ms`, fromMs: f.atMs, toMs: f.atMs + f.durationMs };
      case 'consumer-crash':
        return {
          label: `consumer ${f.consumer} down ${f.atMs}-${f.atMs + f.durationMs} ms`,
          fromMs: f.atMs,
          toMs: f.atMs + f.durationMs,
        };
      case 'partition':
        return {
          label: `${f.link} link partitioned ${f.atMs}-${f.atMs + f.durationMs} ms`,
          fromMs: f.atMs,
          toMs: f.atMs + f.durationMs,
        };
      case 'dlq-redrive':
        return { label: `dead-letter redrive at ${f.atMs} ms`, fromMs: f.atMs, toMs: f.atMs };
    }
  });
}

/** Each scenario's lesson and fault bands, keyed by its file (as the report names it). */
export function scenarioDetails(scenarios: readonly Scenario[]): Record<string, ScenarioDetails> {
  return Object.fromEntries(
    scenarios.map((s) => [s.file, { description: s.description ?? '', bands: faultBands(s.config.faults) }]),
  );
}

/** What to draw the timelines of. */
export interface TimelineRequest extends ConfigOverrides {
  seed?: number | undefined;
  /** These messages (else the first lost or duplicated message of each cause). */
  messageIds?: readonly number[] | undefined;
  /** Replay these faults (explore's counterexamples) in this fault space. */
  faults?: readonly FaultChoice[];
  faultSpace?: FaultSpace;
}

/** The first message of each cause of loss and duplicate in a run (at most TIMELINES_PER_MODE). */
async function firstOfEachCause(config: SimulationConfig, seed: number, request: TimelineRequest): Promise<number[]> {
  const run = await finished(seededSimulation(config, seed, { faults: request.faults }));
  const seen = new Set<string>();
  const ids: number[] = [];
  for (let m = 0; m < run.counters.produced && ids.length < TIMELINES_PER_MODE; m++) {
    const { outcome, cause } = outcomeOf(run, m);
    if ((outcome !== 'lost' && outcome !== 'duplicated') || seen.has(`${outcome}:${cause}`)) continue;
    seen.add(`${outcome}:${cause}`);
    ids.push(m);
  }
  return ids;
}

/** The timelines of one mode of a scenario: one traced run, cut into one timeline per chosen message. */
export async function timelinesOf(scenario: Scenario, mode: string, request: TimelineRequest): Promise<Timeline[]> {
  const selected = scenario.modes.find((m) => m.mode.name === mode)!;
  const seed = request.seed ?? scenario.seed;
  const config = runConfig(selected.config, selected.mode, request);
  const ids = (request.messageIds ?? (await firstOfEachCause(config, seed, request))).slice(0, TIMELINES_PER_MODE);
  if (ids.length === 0) return [];
  const trace = await traceScenario(scenario, {
    mode,
    seed,
    messageIds: ids,
    limit: 4 * TIMELINES_PER_MODE * EVENTS_PER_TIMELINE,
    handler: request.handler,
    ...(request.messages === undefined ? {} : { messages: request.messages }),
    ...(request.faults === undefined ? {} : { faults: request.faults }),
    ...(request.faultSpace === undefined ? {} : { faultSpace: request.faultSpace }),
  });
  return splitTrace(trace, ids, scenario.file);
}

/** A trace cut into one timeline per message of `ids` (with the crashes of the consumers it met meanwhile). */
export function splitTrace(trace: TraceResult, ids: readonly number[], file: string, label?: string): Timeline[] {
  return ids.map((message) => {
    const verdict = trace.verdicts.find((v) => v.message === message);
    const own = trace.events.filter((e) => e.message === message);
    const consumers = new Set(own.flatMap((e) => (e.consumer === undefined ? [] : [e.consumer])));
    const firstMs = own[0]?.t ?? 0;
    const lastMs = own.at(-1)?.t ?? 0;
    // A crash or restart of a consumer the message met, while the message was about, belongs to its story.
    const events = trace.events.filter(
      (e) =>
        e.message === message ||
        (e.message === undefined &&
          e.t >= firstMs &&
          e.t <= lastMs &&
          (e.consumer === undefined || consumers.has(e.consumer))),
    );
    const timeline: Timeline = {
      file,
      mode: trace.mode,
      message,
      outcome: verdict?.outcome ?? 'unresolved',
      events: events.slice(0, EVENTS_PER_TIMELINE),
      truncated: events.length > EVENTS_PER_TIMELINE || trace.truncated,
    };
    if (verdict?.cause !== undefined) timeline.cause = verdict.cause;
    if (label !== undefined) timeline.label = label;
    return timeline;
  });
}

/** Most points per series of a run drawn in a page (`--format html`): enough for a chart, small enough to attach. */
export const PAGE_POINTS = 400;

/** What a page shows beside a report: the scenarios' lessons and faults, cause glosses, and timelines. */
export interface PageData {
  scenarios: Record<string, ScenarioDetails>;
  glossary: Record<string, string>;
  timelines: Timeline[];
}

/** The page of a run's report: the timelines of every mode the report holds, for the scenarios it ran. */
export async function runPage(
  report: {
    scenarios: ReadonlyArray<{
      file: string;
      results: ReadonlyArray<{ mode: string; metrics?: { lost: number; duplicates: number } }>;
    }>;
  },
  scenarios: readonly Scenario[],
  request: TimelineRequest,
): Promise<PageData> {
  const timelines: Timeline[] = [];
  for (const ran of report.scenarios) {
    const scenario = scenarios.find((s) => s.file === ran.file);
    if (scenario === undefined) continue;
    for (const { mode, metrics } of ran.results) {
      // A single run with no message lost or duplicated has no first anomaly: no run to look for one.
      const clean = metrics !== undefined && metrics.lost === 0 && metrics.duplicates === 0;
      if (clean && request.messageIds === undefined) continue;
      timelines.push(...(await timelinesOf(scenario, mode, request)));
    }
  }
  return { scenarios: scenarioDetails(scenarios), glossary: causeGlosses(), timelines };
}

/** The timelines of explore's smallest counterexamples, one per message each involves, labelled by guarantee. */
export function counterexampleTimelines(traces: ReadonlyMap<string, TraceResult>, file: string): Timeline[] {
  return [...traces.entries()].flatMap(([key, trace]) => {
    const guarantee = key.slice(key.indexOf('\u0000') + 1);
    const ids = trace.messageIds ?? trace.verdicts.map((v) => v.message);
    return splitTrace(trace, ids, file, `smallest counterexample of "${guarantee}"`);
  });
}
