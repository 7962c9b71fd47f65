// One run of one mode with one seed, as a record that can travel (to and from worker threads, into a
// shard report and back through merge) and be aggregated with others.
import { Simulation } from '../model/simulation.js';
import { InvariantError } from '../errors.js';
import type { SimulationConfig } from '../model/config.js';
import { FingerprintingChoiceSource } from '../sim/choice.js';
import { measureWithHistogram, type Measured } from './metrics.js';
import { divergence } from './divergence.js';
import { finished } from './drive.js';
import { seededSimulation } from './prepare.js';

/** A run's measurements plus its seed and a mergeable latency histogram. */
export interface RunRecord extends Measured {
  seed: number;
  /** Fingerprint of the run's sequence of choices (what was asked and answered, in order). */
  fingerprint: string;
  /** With determinism checking: whether a second run gave the same fingerprint and measurements. */
  deterministic?: boolean;
  /** When it did not: where two runs of the seed first part, in words (divergence.ts). */
  divergence?: string;
  /** Latency (first send to first effect) in µs, as a compressed HdrHistogram, base64; "" for one-off runs. */
  latencyHistogram: string;
}

/** A batch of seeds to run with one configuration (the unit of work of a worker). */
export interface RunTask {
  config: SimulationConfig;
  seeds: number[];
  /** Whether to build latency histograms (only aggregates over runs need them). */
  histograms: boolean;
  /** Whether to run each seed twice and compare (--check-determinism). */
  verify?: boolean;
}

/** A simulation whose choices are fingerprinted as they are made. */
export function fingerprintedSimulation(
  config: SimulationConfig,
  seed: number,
): { simulation: Simulation; choices: FingerprintingChoiceSource } {
  let choices!: FingerprintingChoiceSource;
  const simulation = seededSimulation(config, seed, {
    wrap: (seeded) => (choices = new FingerprintingChoiceSource(seeded)),
  });
  return { simulation, choices };
}

/** Runs a seed a second time and tells whether it repeats the first run exactly. */
export async function replays(config: SimulationConfig, seed: number, first: RunRecord): Promise<boolean> {
  const again = await runOnce(config, seed, first.latencyHistogram !== '');
  const strip = (r: RunRecord) => JSON.stringify({ ...r, deterministic: undefined });
  if (strip(again) === strip(first)) return true;
  first.divergence = await divergence(config, seed);
  return false;
}

function nonZero(table: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(table).filter(([, n]) => n !== 0));
}

/** Runs one configuration with one seed. */
export async function runOnce(config: SimulationConfig, seed: number, histograms: boolean): Promise<RunRecord> {
  const { simulation, choices } = fingerprintedSimulation(config, seed);
  try {
    await finished(simulation);
    return recordOf(seed, simulation, choices, histograms);
  } catch (error) {
    // Name the run that broke the model so it can be replayed.
    if (error instanceof InvariantError) {
      throw new InvariantError(
        `${error.message} (mode ${config.mode.name}, seed ${seed}, ${config.messages} messages)`,
      );
    }
    throw error;
  }
}

/** The record of a finished simulation. */
export function recordOf(
  seed: number,
  simulation: Simulation,
  choices: FingerprintingChoiceSource,
  histograms: boolean,
): RunRecord {
  const { measured, histogram } = measureWithHistogram(simulation.result(), histograms);
  const fingerprint = choices.fingerprint();
  if (!histograms) return { seed, fingerprint, ...measured, latencyHistogram: '' };
  // Records of a batch travel and are stored by the thousand: keep only the non-zero counters.
  return {
    seed,
    fingerprint,
    ...measured,
    lossByCause: nonZero(measured.lossByCause),
    duplicatesByCause: nonZero(measured.duplicatesByCause),
    stateErrorByCause: nonZero(measured.stateErrorByCause),
    faultsInjected: nonZero(measured.faultsInjected) as unknown as Measured['faultsInjected'],
    ...(measured.orderViolationsByCause === undefined
      ? {}
      : { orderViolationsByCause: nonZero(measured.orderViolationsByCause) }),
    latencyHistogram: histogram,
  };
}

/** Runs a task's seeds in order. */
export async function runTask(task: RunTask): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  for (const seed of task.seeds) {
    const record = await runOnce(task.config, seed, task.histograms);
    if (task.verify === true) record.deterministic = await replays(task.config, seed, record);
    records.push(record);
  }
  return records;
}
