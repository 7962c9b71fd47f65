// One run of one mode with one seed, as a record that can travel (to and from worker threads, into a
// shard report and back through merge) and be aggregated with others.
import { Simulation } from '../model/simulation.js';
import { InvariantError } from '../model/ledger.js';
import type { SimulationConfig } from '../model/config.js';
import { SeededChoiceSource } from '../sim/choice.js';
import { measureWithHistogram, type Measured } from './metrics.js';

/** A run's measurements plus its seed and a mergeable latency histogram. */
export interface RunRecord extends Measured {
  seed: number;
  /** Latency (first send to first effect) in µs, as a compressed HdrHistogram, base64; "" for one-off runs. */
  latencyHistogram: string;
}

/** A batch of seeds to run with one configuration (the unit of work of a worker). */
export interface RunTask {
  config: SimulationConfig;
  seeds: number[];
  /** Whether to build latency histograms (only aggregates over runs need them). */
  histograms: boolean;
}

function nonZero(table: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(table).filter(([, n]) => n !== 0));
}

/** Runs one configuration with one seed. */
export function runOnce(config: SimulationConfig, seed: number, histograms: boolean): RunRecord {
  const simulation = new Simulation(config, new SeededChoiceSource(seed));
  try {
    simulation.step();
    const { measured, histogram } = measureWithHistogram(simulation.result(), histograms);
    if (!histograms) return { seed, ...measured, latencyHistogram: '' };
    // Records of a batch travel and are stored by the thousand: keep only the non-zero counters.
    return {
      seed,
      ...measured,
      lossByCause: nonZero(measured.lossByCause),
      duplicatesByCause: nonZero(measured.duplicatesByCause),
      faultsInjected: nonZero(measured.faultsInjected as unknown as Record<string, number>) as unknown as Measured['faultsInjected'],
      latencyHistogram: histogram,
    };
  } catch (error) {
    // Name the run that broke the model so it can be replayed.
    if (error instanceof InvariantError) {
      throw new InvariantError(`${error.message} (mode ${config.mode.name}, seed ${seed}, ${config.messages} messages)`);
    }
    throw error;
  }
}

/** Runs a task's seeds in order. */
export function runTask(task: RunTask): RunRecord[] {
  return task.seeds.map((seed) => runOnce(task.config, seed, task.histograms));
}
