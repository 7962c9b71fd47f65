// About how much work a mode's search is, before it runs: what explore-command weighs to spread the modes on
// threads. A guide to how long a search takes, within a few times, not a count: the result never depends on it.
import type { SimulationConfig } from '../model/config.js';
import { SeededChoiceSource, type ChoiceSource } from '../sim/choice.js';
import { runSchedule, type Node } from './explore-schedule.js';

/** What building a schedule's simulation costs, in events run (2026-12-02: 8.7 µs, against some 0.2 µs an event). */
const BUILD_EVENTS = 40;

/** How many one-fault schedules are run to see how long a faulty schedule is. */
const SAMPLES = 4;

/** Events of schedule `node`, or undefined when it did not end by itself. */
async function eventsOf(config: SimulationConfig, seeded: ChoiceSource, node: Node) {
  const ran = await runSchedule(config, seeded, node, 1, undefined, () => false);
  return ran === 'time' ? undefined : ran;
}

/**
 * A mode's search in events: the schedules of up to `maxFaults` of the faults its fault-free schedule could take,
 * times the events of a schedule with one fault (the mean of a few, spread over the run: a fault can make a
 * schedule last far longer, a log consumer polling until its session times out), plus building each. Faults open
 * new decision points (a redelivery after a drop) and pruning cuts many, both left out.
 */
export async function searchCost(config: SimulationConfig, seed: number, maxFaults: number): Promise<number> {
  const seeded = new SeededChoiceSource(seed);
  const free = await eventsOf(config, seeded, []);
  if (free === undefined) return 0;
  const branches: Node[] = [];
  free.source.points.forEach((point, position) => {
    for (const outcome of point.faults) branches.push([position, outcome]);
  });
  let events = free.result.events;
  if (maxFaults > 0 && branches.length > 0) {
    const samples = Math.min(SAMPLES, branches.length);
    let sum = 0;
    for (let i = 0; i < samples; i++) {
      const ran = await eventsOf(config, seeded, branches[Math.floor((i * branches.length) / samples)]!);
      sum += ran?.result.events ?? config.maxEvents ?? 0;
    }
    events = sum / samples;
  }
  let schedules = 0;
  let ways = 1;
  for (let k = 0; k <= maxFaults && k <= branches.length; k++) {
    schedules += ways;
    ways = (ways * (branches.length - k)) / (k + 1);
  }
  return schedules * (events + BUILD_EVENTS);
}
