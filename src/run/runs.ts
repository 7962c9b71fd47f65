// One run of one mode with one seed, as a record that can travel (to and from worker threads, into a
// shard report and back through merge) and be aggregated with others.
import hdr from 'hdr-histogram-js';
import { Simulation } from '../model/simulation.js';
import { InvariantError } from '../model/ledger.js';
import type { SimulationConfig } from '../model/config.js';
import { SeededChoiceSource } from '../sim/choice.js';
import { measure, type Measured } from './metrics.js';

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

/** Builds an HdrHistogram (3 significant digits) the way every run and every merge does. */
export function newHistogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    autoResize: true,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

function histogramOf(latencies: Float32Array): string {
  const histogram = newHistogram();
  for (const ms of latencies) histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  const encoded = hdr.encodeIntoCompressedBase64(histogram);
  histogram.destroy();
  return encoded;
}

function nonZero(table: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(table).filter(([, n]) => n !== 0));
}

/** Runs one configuration with one seed. */
export function runOnce(config: SimulationConfig, seed: number, histograms: boolean): RunRecord {
  const simulation = new Simulation(config, new SeededChoiceSource(seed));
  try {
    simulation.step();
    const result = simulation.result();
    const measured = measure(result);
    if (!histograms) return { seed, ...measured, latencyHistogram: '' };
    // Records of a batch travel and are stored by the thousand: keep only the non-zero counters.
    return {
      seed,
      ...measured,
      lossByCause: nonZero(measured.lossByCause),
      duplicatesByCause: nonZero(measured.duplicatesByCause),
      faultsInjected: nonZero(measured.faultsInjected as unknown as Record<string, number>) as unknown as Measured['faultsInjected'],
      latencyHistogram: histogramOf(result.latencies),
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
