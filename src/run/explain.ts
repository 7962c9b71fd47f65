// `explain`: the story of single messages in plain words, from their trace and their outcome, with the
// cause of a loss or duplicate.
import type { UserCode } from '../model/handler.js';
import { CAUSE_DESCRIPTIONS, DUPLICATE_CAUSES, LOSS_CAUSES } from '../model/causes.js';
import { type SimulationResult } from '../model/simulation.js';
import { Outcome } from '../model/state.js';
import type { TraceEvent } from '../model/trace.js';
import type { Scenario } from '../scenario/types.js';
import { finished } from './drive.js';
import { runConfig, seededSimulation } from './prepare.js';

/** One message's story. */
export interface Story {
  message: number;
  outcome: 'processed' | 'duplicated' | 'lost' | 'dead-lettered' | 'unresolved' | 'not sent';
  effects: number;
  /** The cause of the loss or duplicate, when there is one. */
  cause?: string;
  steps: string[];
}

/** What to explain. */
export interface ExplainOptions {
  mode: string;
  seed?: number;
  messages?: number;
  messageIds?: readonly number[];
  /** The first `count` lost messages of each cause. */
  lost?: boolean;
  /** The first `count` duplicated messages of each cause. */
  duplicated?: boolean;
  count: number;
  /** The user's consumer code (`--handler`). */
  handler?: UserCode | undefined;
}

function ms(t: number): string {
  return `${Math.round(t * 1000) / 1000} ms`;
}

function phrase(e: TraceEvent): string | undefined {
  const c = e.consumer === undefined ? '' : ` ${e.consumer}`;
  switch (e.event) {
    case 'publish':
      return `published at ${ms(e.t)}`;
    case 'retry':
      return `the producer retried at ${ms(e.t)} (attempt ${(e.attempt ?? 0) + 1})`;
    case 'confirm timeout':
      return 'no confirm came within the confirm timeout';
    case 'confirmed':
      return `confirmed at ${ms(e.t)}`;
    case 'give up':
      return 'the producer gave up (no attempt left)';
    case 'drop':
      if (e.actor === 'network') {
        const what = e.detail?.endsWith('lease extension') === true ? 'a lease extension' : `the ${e.link}`;
        return `${what} was ${e.detail?.startsWith('partition') === true ? 'dropped by a partition' : 'lost by the network'}`;
      }
      if (e.actor === 'broker')
        return `the ${e.detail?.startsWith('ack') === true ? 'ack' : 'publish'} reached the broker while it was down`;
      return `the delivery reached consumer${c} while it was down`;
    case 'duplicate':
      return `the network duplicated the ${e.link}`;
    case 'store':
      return e.detail === undefined ? `stored at ${ms(e.t)}` : `stored again at ${ms(e.t)} (${e.detail})`;
    case 'reject':
      return e.actor === 'broker' && e.detail === 'throttled'
        ? 'the broker rejected the publish (throttled)'
        : undefined;
    case 'dedupe':
      return e.actor === 'broker'
        ? 'the broker dropped the re-publish (idempotent publish)'
        : `consumer${c} skipped it: ${e.detail ?? 'already processed'}`;
    case 'deliver':
      return `delivered to consumer${c} at ${ms(e.t)}${e.detail === undefined ? '' : ` (${e.detail})`}`;
    case 'redeliver':
      return `redelivered to consumer${c} at ${ms(e.t)}`;
    case 'visibility timeout':
      return `its visibility timeout expired at ${ms(e.t)}`;
    case 'ignore ack':
      return 'an ack of an older delivery came and was ignored';
    case 'acked':
      return `acked at ${ms(e.t)}`;
    case 'nack':
      return e.actor === 'broker' ? 'nacked: back in the queue' : undefined;
    case 'fail':
      // Poison, a transient failure, or the user's handler that threw: the trace's detail says which.
      return `processing failed on consumer${c} (${e.detail ?? 'poison'})`;
    case 'hold':
      return `consumer${c} held it until it was due (${e.detail ?? 'eta'})`;
    case 'stall':
      return `consumer${c} stalled (${e.detail ?? 'outlasts the visibility timeout'})`;
    case 'crash':
      return `consumer${c} crashed${e.detail === undefined ? '' : ` ${e.detail}`}`;
    case 'effect':
      return e.detail === 'effect 1' ? `effect at ${ms(e.t)}` : `effect again at ${ms(e.t)} (${e.detail})`;
    case 'dead-letter':
      return `dead-lettered (${e.detail ?? ''})`;
    case 'expire':
      return 'expired (retention)';
    default:
      return undefined;
  }
}

/** How message `m` ended in a run: its outcome, effects and the cause of a loss or duplicate. */
export function outcomeOf(result: SimulationResult, m: number): Pick<Story, 'outcome' | 'effects' | 'cause'> {
  const effects = result.effects[m] ?? 0;
  if (m >= result.counters.produced) return { outcome: 'not sent', effects };
  if (effects > 1) return { outcome: 'duplicated', effects, cause: DUPLICATE_CAUSES[result.cause[m]!]! };
  if (effects === 1) return { outcome: 'processed', effects };
  if (result.outcome[m] === Outcome.lost) return { outcome: 'lost', effects, cause: LOSS_CAUSES[result.cause[m]!]! };
  if (result.outcome[m] === Outcome.deadLettered) return { outcome: 'dead-lettered', effects };
  return { outcome: 'unresolved', effects };
}

/** The first `count` messages of each cause among the lost or duplicated ones. */
function firstOfEachCause(result: SimulationResult, lost: boolean, duplicated: boolean, count: number): number[] {
  const seen = new Map<string, number>();
  const ids: number[] = [];
  for (let m = 0; m < result.counters.produced; m++) {
    const { outcome, cause } = outcomeOf(result, m);
    if (!((lost && outcome === 'lost') || (duplicated && outcome === 'duplicated'))) continue;
    const key = `${outcome}:${cause}`;
    const n = seen.get(key) ?? 0;
    if (n >= count) continue;
    seen.set(key, n + 1);
    ids.push(m);
  }
  return ids;
}

/** Explains messages of one mode of a scenario. */
export async function explain(scenario: Scenario, options: ExplainOptions): Promise<Story[]> {
  const selected = scenario.modes.find((m) => m.mode.name === options.mode)!;
  const seed = options.seed ?? scenario.seed;
  const config = runConfig(selected.config, selected.mode, options);
  let ids = [...(options.messageIds ?? [])];
  if (options.lost === true || options.duplicated === true) {
    const plain = await finished(seededSimulation(config, seed));
    ids = [...ids, ...firstOfEachCause(plain, options.lost === true, options.duplicated === true, options.count)];
  }
  const wanted = new Set(ids);
  const events = new Map<number, TraceEvent[]>([...wanted].map((m) => [m, []]));
  const result = await finished(
    seededSimulation(config, seed, {
      trace: (e) => {
        if (e.message !== undefined && wanted.has(e.message)) events.get(e.message)!.push(e);
      },
    }),
  );
  return [...wanted].map((m) => {
    const steps = events
      .get(m)!
      .map(phrase)
      .filter((s): s is string => s !== undefined);
    // Consecutive repeats (a retry storm) read better counted.
    const compact: string[] = [];
    for (const step of steps) if (compact[compact.length - 1] !== step) compact.push(step);
    return { message: m, ...outcomeOf(result, m), steps: compact };
  });
}

/** How a message ended: its outcome, effects and cause (a story without its steps). */
export type Verdict = Pick<Story, 'message' | 'outcome' | 'effects' | 'cause'>;

/** How a message ended, in words: "lost (cause: x, what x means)", "processed once", ... */
export function verdictText(verdict: Verdict): string {
  const cause =
    verdict.cause === undefined
      ? ''
      : ` (cause: ${verdict.cause}, ${CAUSE_DESCRIPTIONS[verdict.cause as keyof typeof CAUSE_DESCRIPTIONS]})`;
  return verdict.outcome === 'duplicated'
    ? `duplicate: its effect ran ${verdict.effects} times${cause}`
    : verdict.outcome === 'lost'
      ? `lost${cause}`
      : verdict.outcome === 'processed'
        ? 'processed once'
        : verdict.outcome;
}

/** The story, one step per line, its outcome last. */
export function storyText(story: Story): string {
  // One step per line: a story reads down the page, and each line wraps on its own.
  const steps = (story.steps.length === 0 ? ['nothing happened to it'] : story.steps)
    .map((step) => `\n  ${step}`)
    .join('');
  return `#${story.message}:${steps}\n  → ${verdictText(story)}.`;
}
