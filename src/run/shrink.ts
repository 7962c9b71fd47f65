// Shrinking a failing run: the faults it met are its recorded non-nominal choices; delta debugging
// (Zeller's ddmin) removes faults while the same check still fails, down to a 1-minimal set (taking out
// any single remaining fault makes the check pass). Then messages past the last faulted one are cut.
import type { SimulationConfig } from '../model/config.js';
import type { Check } from '../scenario/check-expression.js';
import { judge } from './checks.js';
import { measure } from './metrics.js';
import { RecordingChoiceSource, type FaultChoice } from '../sim/choice.js';
import { finished } from './drive.js';
import { seededSimulation } from './prepare.js';

/** The result of shrinking. */
export interface Shrunk {
  faults: FaultChoice[];
  /** Faults the original run met. */
  originalFaults: number;
  messages: number;
  /** Simulations run while shrinking. */
  trials: number;
  /** True when `stop` ended shrinking before it was done (the set is smaller but may not be minimal). */
  budgetHit: boolean;
}

/** The faults (non-nominal discrete choices) of a seeded run, in the order they were made. */
export async function faultsOf(config: SimulationConfig, seed: number): Promise<FaultChoice[]> {
  let recording!: RecordingChoiceSource;
  await finished(seededSimulation(config, seed, { wrap: (seeded) => (recording = new RecordingChoiceSource(seeded)) }));
  return recording.picks.filter((p) => p.outcome !== 0);
}

/** True when the check fails on the run with exactly these faults. */
export async function failsWith(
  config: SimulationConfig,
  seed: number,
  faults: readonly FaultChoice[],
  check: Check,
): Promise<boolean> {
  const result = await finished(seededSimulation(config, seed, { faults }));
  return judge(check, measure(result)).status === 'fail';
}

/** Shrinks the faults of a failing seeded run to a minimal set that still fails `check`. */
export async function shrink(
  config: SimulationConfig,
  seed: number,
  check: Check,
  stop: () => boolean = () => false,
): Promise<Shrunk> {
  const original = await faultsOf(config, seed);
  let trials = 1;
  let messages = config.messages;
  const fails = (faults: readonly FaultChoice[], count = messages): Promise<boolean> => {
    trials++;
    return failsWith({ ...config, messages: count }, seed, faults, check);
  };
  let current = original;
  let budgetHit = false;
  if (!(await fails(current))) return { faults: current, originalFaults: original.length, messages, trials, budgetHit };
  // Fewer messages make a rate higher, so after a cut the faults may shrink further: repeat both
  // until neither changes.
  for (;;) {
    const reduced = await ddmin(current, fails, stop);
    current = reduced.faults;
    budgetHit = reduced.budgetHit;
    if (budgetHit) break;
    // Messages after the last faulted one only add noise when they are not needed to fail.
    // At least one message: a run of none tests nothing (its replay would be inconclusive).
    const keep = Math.max(1, current.reduce((max, f) => Math.max(max, f.a), -1) + 1);
    if (keep >= messages || !(await fails(current, keep))) break;
    messages = keep;
  }
  return { faults: current, originalFaults: original.length, messages, trials, budgetHit };
}

/**
 * Zeller's ddmin: removes chunks of faults (keeping the complement) at finer and finer granularity
 * while `fails` still holds, down to a 1-minimal set.
 */
async function ddmin(
  start: FaultChoice[],
  fails: (faults: readonly FaultChoice[]) => Promise<boolean>,
  stop: () => boolean,
): Promise<{ faults: FaultChoice[]; budgetHit: boolean }> {
  let current = start;
  let n = 2;
  while (current.length >= 1) {
    if (stop()) return { faults: current, budgetHit: true };
    if (await fails([])) return { faults: [], budgetHit: false };
    const size = Math.ceil(current.length / n);
    let reduced = false;
    // Later chunks go first, so the faults kept are the earliest: fewer messages to replay.
    const starts: number[] = [];
    for (let start = 0; start < current.length; start += size) starts.unshift(start);
    for (const start of starts) {
      if (stop()) return { faults: current, budgetHit: true };
      const complement = [...current.slice(0, start), ...current.slice(start + size)];
      if (complement.length < current.length && (await fails(complement))) {
        current = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (size === 1) break;
      n = Math.min(current.length, n * 2);
    }
  }
  return { faults: current, budgetHit: false };
}
