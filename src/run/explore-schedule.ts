// Runs one schedule of an exploration (its forced faults) and, as it steps, compares each state with
// those earlier schedules reached, to find where its futures were explored already (pruning).
import { resumed } from './drive.js';
import type { SimulationConfig } from '../model/config.js';
import { Simulation, type SimulationResult } from '../model/simulation.js';
import { ForcedChoiceSource, type ChoiceSource } from '../sim/choice.js';
import { StateHasher } from '../sim/state-hash.js';

/**
 * Hashing a state costs about 0.3 µs per event waiting in the queue, at every event of a schedule.
 * States with more than MAX_HASHED_PENDING events waiting are neither remembered nor compared, and a
 * schedule stops comparing once it has folded HASH_BUDGET waiting events: pruning would cost more than
 * it saves (a schedule piling up timers is looping). The built-in scenarios, with up to 20 messages
 * and one fault, fold at most about 530,000 per schedule. Fewer comparisons prune less and change no
 * verdict.
 */
const MAX_HASHED_PENDING = 1024;
const HASH_BUDGET = 4_000_000;

/** The hasher of every state explore compares (reset before each). */
const hasher = new StateHasher();

/** Events run between two looks at the clock when a schedule is not stepped one event at a time. */
const SLICE_EVENTS = 4096;

/** A schedule still to run: its forced faults as [position, outcome, position, outcome, ...], in order. */
export type Node = readonly number[];

/**
 * Explored states, up to a bound: the first 53 bits of a state's 64-bit hash -> (the events run by then times 16,
 * plus the most faults left) when a schedule reached it, times 2048, plus the hash's last 11 bits (a number key
 * costs less than a string; two states sharing the first 53 bits keep the first one's entry, which prunes less,
 * never more). A state prunes a later schedule that reaches it with no more faults left and no more events run:
 * the state's future runs the same events whoever reaches it, so one that had run more could pass the event limit
 * (maxEvents) where the earlier did not, and is explored instead.
 */
export interface StateStore {
  seen: Map<number, number>;
  max: number;
  /** True once a state was not stored because the store was full. */
  full: boolean;
}

/**
 * Runs the schedule `node`, its timings from `seeded` (one SeededChoiceSource of the seed for all: it keeps
 * no state between decisions, and hashing the seed costs more than a schedule of a few messages). With a
 * store, also returns `from`: the first decision point reached in a state some schedule reached before
 * with at least `left` faults to spend (Infinity if none), past which its futures were (or are being) explored.
 */
export async function runSchedule(
  config: SimulationConfig,
  seeded: ChoiceSource,
  node: Node,
  left: number,
  store: StateStore | undefined,
  timeUp: () => boolean,
): Promise<{ source: ForcedChoiceSource; result: SimulationResult; from: number; last: number } | 'time'> {
  const forced = new Map<number, number>();
  for (let i = 0; i < node.length; i += 2) forced.set(node[i]!, node[i + 1]!);
  const last = node.length === 0 ? -1 : node[node.length - 2]!;
  // A schedule of the last level (no fault left to add) has no children: its decision points are only counted.
  const source = new ForcedChoiceSource(seeded, forced, left > 0);
  const simulation = new Simulation(config, source);
  let from = Infinity;
  if (store !== undefined && left > 0) {
    let folded = 0;
    // One event at a time, to compare the state between events; the clock is read every 64 steps.
    for (let steps = 1; folded < HASH_BUDGET && !simulation.step(1); steps++) {
      // The state is whole again only once the handler's call the run paused for has ended.
      if (simulation.waiting !== undefined) await resumed(simulation);
      if ((steps & 63) === 0 && timeUp()) return 'time';
      if (from !== Infinity || source.count <= last || simulation.pending > MAX_HASHED_PENDING) continue;
      folded += simulation.pending;
      simulation.foldState(hasher.reset());
      const key = hasher.high();
      const rest = hasher.rest();
      const entry = store.seen.get(key);
      const events = simulation.eventsRun;
      // The faults left when the same state was reached before, or -1 (never, or another state with these 53 bits),
      // and the events run by then.
      const high = entry !== undefined && (entry & 0x7ff) === rest ? Math.floor(entry / 2048) : -1;
      const before = high < 0 ? -1 : high % 16;
      if (before >= left && Math.floor(high / 16) >= events) from = source.count;
      else if (before >= 0 ? left > before : entry === undefined && store.seen.size < store.max)
        store.seen.set(key, (events * 16 + left) * 2048 + rest);
      else if (entry === undefined) store.full = true;
    }
  }
  while (!simulation.step(SLICE_EVENTS)) {
    if (simulation.waiting !== undefined) await resumed(simulation);
    if (timeUp()) return 'time';
  }
  const result = simulation.result();
  simulation.release();
  return { source, result, from, last };
}
