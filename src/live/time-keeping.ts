// Whether a live run kept the scenario's time well enough for its comparison to mean anything, and
// how much the model's own outcome depends on timing. Real clients pay for things the model's
// consumers do not: a timer fires late, an ack or a read takes a round trip, a crashed consumer takes
// a while to close and reconnect. At a small time scale those costs are large in the scenario's time,
// and where consumers are busy they pile up into backlogs the model never has. The harness measures
// what a processed delivery cost beyond its processing time and a restart beyond restartMs; the model,
// run with both that much longer, says whether that moves the prediction. If it moves it by more than
// a quarter of the live interval, the run measured the timers, not the broker, and is refused. The
// same paired runs say how much one run scatters from timing alone, which the verdict allows for.
import type { SimulationConfig } from '../model/config.js';
import { percent } from '../number-text.js';
import { measure } from '../run/metrics.js';
import { seededSimulation } from '../run/prepare.js';
import type { Duration } from '../sim/distribution.js';
import type { FidelityRow, RateFidelity } from './fidelity.js';

/** `duration` taking `extraMs` longer on average: shifted where the distribution can say so, else scaled. */
export function stretched(duration: Duration, extraMs: number): Duration {
  if (typeof duration === 'number') return duration + extraMs;
  switch (duration.dist) {
    case 'constant':
      return { dist: 'constant', value: duration.value + extraMs };
    case 'uniform':
      return { dist: 'uniform', min: duration.min + extraMs, max: duration.max + extraMs };
    case 'normal':
      return { dist: 'normal', mean: duration.mean + extraMs, stddev: duration.stddev };
    case 'exponential':
      return { dist: 'exponential', mean: duration.mean + extraMs };
    case 'lognormal': {
      if (duration.mean === 0) return extraMs;
      const factor = (duration.mean + extraMs) / duration.mean;
      return { dist: 'lognormal', mean: duration.mean * factor, stddev: duration.stddev * factor };
    }
  }
}

/** Paired runs (same seed with and without the live clients' costs) the model's sensitivity is measured over. */
export const PAIRED_RUNS = 16;

/** The part of the live interval a timing shift may take before the comparison is refused. */
export const SHIFT_SHARE = 0.25;

/**
 * Processing is stretched by at least this much (ms of the scenario) to see how much the model's
 * outcome scatters with timing alone, even where the live clients measured less.
 */
export const MIN_STRETCH_MS = 1;

/** A number for each rate the live run compares. */
export interface PerRate {
  lossRate: number;
  duplicateRate: number;
}

/** How the model's rates answer to timing, seen through paired runs. */
export interface TimingSensitivity {
  /** How far they move, on average, when processing and restarts take as long as the live clients took. */
  shift: PerRate;
  /** The standard error of that average (0 when every pair agreed). */
  shiftError: PerRate;
  /**
   * How much one run's rate scatters from timing alone (standard deviation): the same seed means the
   * same faults, but where one late event changes what follows (a closed channel takes its neighbours
   * with it), the model's run and the live run are two different draws.
   */
  spread: PerRate;
}

/** What the live clients spent beyond the scenario's times, in the scenario's ms. */
export interface ClientCosts {
  /** Per processed delivery, beyond its processing time. */
  processingMs: number;
  /** Per restart of a crashed consumer, beyond restartMs. */
  restartMs: number;
}

/**
 * Runs the model PAIRED_RUNS times from `seed` as it is and with processing and restarts taking the
 * live clients' `costs` longer. A scenario whose outcome does not depend on timing at all (lost
 * acks) shows no difference in its first two pairs and stops there.
 */
export function timingSensitivity(config: SimulationConfig, seed: number, costs: ClientCosts): TimingSensitivity {
  const { consumers } = config;
  const slower = {
    ...config,
    consumers: {
      ...consumers,
      processingMs: stretched(consumers.processingMs, Math.max(MIN_STRETCH_MS, costs.processingMs)),
      crash: { ...consumers.crash, restartMs: consumers.crash.restartMs + costs.restartMs },
    },
  };
  const loss: number[] = [];
  const duplicates: number[] = [];
  for (let s = seed; s < seed + PAIRED_RUNS; s++) {
    const [a, b] = [config, slower].map((c) => measure(seededSimulation(c, s).run()).metrics);
    loss.push(b!.lossRate - a!.lossRate);
    duplicates.push(b!.duplicateRate - a!.duplicateRate);
    if (loss.length === 2 && [...loss, ...duplicates].every((d) => d === 0)) break;
  }
  const mean = (d: readonly number[]) => d.reduce((x, y) => x + y, 0) / d.length;
  const sd = (d: readonly number[]) => Math.sqrt(d.reduce((x, y) => x + (y - mean(d)) ** 2, 0) / (d.length - 1));
  return {
    shift: { lossRate: mean(loss), duplicateRate: mean(duplicates) },
    shiftError: {
      lossRate: sd(loss) / Math.sqrt(loss.length),
      duplicateRate: sd(duplicates) / Math.sqrt(duplicates.length),
    },
    // A difference of two runs scatters as both do: one run's spread is its standard deviation over √2.
    spread: { lossRate: sd(loss) / Math.SQRT2, duplicateRate: sd(duplicates) / Math.SQRT2 },
  };
}

const SCALES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];

/**
 * One line saying the run could not keep the scenario's time, or undefined when what its clients lost
 * to timers, round trips and reconnects (`costs`) cannot move the verdict: the model's rates move by
 * less than a quarter of the live interval when processing and restarts take that long. A move within
 * two standard errors of nothing is timing's scatter, which the verdict allows for already.
 */
export function timeKeepingProblem(
  row: FidelityRow,
  { shift, shiftError }: Pick<TimingSensitivity, 'shift' | 'shiftError'>,
  costs: ClientCosts,
  timeScale: number,
): string | undefined {
  const moved = (rate: RateFidelity, by: number, error: number) =>
    Math.max(0, Math.abs(by) - 2 * error) / (SHIFT_SHARE * (rate.interval.upper - rate.interval.lower));
  const loss = moved(row.lossRate, shift.lossRate, shiftError.lossRate);
  const duplicates = moved(row.duplicateRate, shift.duplicateRate, shiftError.duplicateRate);
  const worst = Math.max(loss, duplicates);
  if (!(worst > 1)) return undefined;
  const [name, rate, by] =
    loss >= duplicates ? ['loss', row.lossRate, shift.lossRate] : ['duplicate', row.duplicateRate, shift.duplicateRate];
  // The costs are mostly real time, so in the scenario's time they shrink as the scale grows.
  const next = SCALES.find((s) => s >= timeScale * worst && s > timeScale);
  return (
    `${row.mode}: the clients could not keep the scenario's time at --time-scale ${timeScale}: each processed delivery took ` +
    `${costs.processingMs.toFixed(1)} ms of the scenario beyond its processing time (late timers, round trips)` +
    (costs.restartMs > 0 ? ` and each restart ${costs.restartMs.toFixed(0)} ms beyond restartMs (reconnecting)` : '') +
    `, which moves the model's ${name} rate from ${percent(rate.predicted)} to ${percent(rate.predicted + by)}, more than a ` +
    `quarter of the live interval; ` +
    (next === undefined ? 'this machine cannot keep it even in real time' : `try --time-scale ${next} or more`)
  );
}
