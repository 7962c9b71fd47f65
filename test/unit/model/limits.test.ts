// A run that loops ends at a limit, in bounded time and memory: a delivery storm (every delivery fails
// at once and is delivered again, each leaving a visibility timer in the queue) stops at its default
// event limit, and under any maxEvents the queue it piles up is capped.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { defaultMaxEvents, maxPendingEvents, type SimulationConfig } from '../../../src/model/config.js';
import { Simulation } from '../../../src/model/simulation.js';
import { SeededChoiceSource } from '../../../src/sim/choice.js';
import { config } from '../../helpers.js';

/** One message that always fails, redelivered at once, over links of `latencyMs`: it never resolves. */
function storm(latencyMs: number, maxEvents?: number): SimulationConfig {
  const { maxEvents: _unset, ...rest } = config({
    messages: 1,
    horizonMs: 86_400_000,
    consumers: { poisonRate: 1, processingMs: 0 },
    network: { deliver: { latencyMs }, ack: { latencyMs } },
  });
  return maxEvents === undefined ? rest : { ...rest, maxEvents };
}

/** Steps a simulation at most `events` events, in slices; the largest queue seen between slices. */
function stepAtMost(simulation: Simulation, events: number): { ended: boolean; largestQueue: number } {
  let largestQueue = 0;
  for (let done = 0; done < events; done += 10_000) {
    const ended = simulation.step(10_000);
    largestQueue = Math.max(largestQueue, simulation.pending);
    if (ended) return { ended, largestQueue };
  }
  return { ended: false, largestQueue };
}

describe('limits of one run', () => {
  it('the default event limit is 1,000 per message, at least 1,000,000, at most 2^31 - 1', () => {
    expect(defaultMaxEvents(1)).toBe(1_000_000);
    expect(defaultMaxEvents(10_000)).toBe(10_000_000);
    expect(defaultMaxEvents(50_000_000)).toBe(2 ** 31 - 1);
    expect(maxPendingEvents(1)).toBe(2 ** 20);
    expect(maxPendingEvents(1_000_000)).toBe(64_000_000);
  });

  it('a storm without maxEvents ends at the default limit (1,000,000 events), its message unresolved', () => {
    const simulation = new Simulation(storm(0.001), new SeededChoiceSource(1));
    expect(stepAtMost(simulation, 2_000_000).ended).toBe(true);
    const result = simulation.result();
    expect(result.endedBy).toBe('maxEvents');
    expect(result.events).toBe(1_000_000);
    expect(result.counters.resolved).toBe(0);
  });

  it('under a huge maxEvents, a storm stops once its queue holds maxPending events: memory stays bounded', () => {
    // 0.0001 ms latencies: 100 million deliveries (and timers waiting) per 30 s visibility timeout.
    const simulation = new Simulation(storm(0.0001, 2 ** 31 - 1), new SeededChoiceSource(1));
    const { ended, largestQueue } = stepAtMost(simulation, 5_000_000);
    expect(ended).toBe(true);
    expect(largestQueue).toBeLessThanOrEqual(maxPendingEvents(1) + 16);
    expect(simulation.result().endedBy).toBe('maxPending');
  });
});
