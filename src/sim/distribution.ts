// Turns uniforms from the choice source into durations drawn from the scenario's distributions.
import { SECOND_DRAW, type ChoiceSource } from './choice.js';

/** A duration distribution in milliseconds, as scenario files write it. */
export type Distribution =
  | { dist: 'constant'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; stddev: number }
  | { dist: 'lognormal'; mean: number; stddev: number };

/** A duration: a fixed number of milliseconds or a distribution. */
export type Duration = number | Distribution;

/** A duration prepared for fast sampling. */
export interface Sampler {
  /** True when the duration never varies (no choice is drawn). */
  readonly constant: boolean;
  /** Mean of the distribution, in ms. */
  readonly mean: number;
  sample(source: ChoiceSource, site: number, a: number, b: number, c: number): number;
}

function standardNormal(source: ChoiceSource, site: number, a: number, b: number, c: number): number {
  // Box-Muller with two keyed uniforms; 1 - u keeps the logarithm finite.
  const u1 = 1 - source.uniform(site, a, b, c);
  const u2 = source.uniform(site + SECOND_DRAW, a, b, c);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Prepares a duration for sampling. Negative draws (normal) are clamped to 0. */
export function sampler(duration: Duration): Sampler {
  if (typeof duration === 'number') {
    return { constant: true, mean: duration, sample: () => duration };
  }
  switch (duration.dist) {
    case 'constant': {
      const value = duration.value;
      return { constant: true, mean: value, sample: () => value };
    }
    case 'uniform': {
      const { min, max } = duration;
      return {
        constant: min === max,
        mean: (min + max) / 2,
        sample: (s, site, a, b, c) => min + (max - min) * s.uniform(site, a, b, c),
      };
    }
    case 'exponential': {
      const mean = duration.mean;
      return {
        constant: mean === 0,
        mean,
        sample: (s, site, a, b, c) => -mean * Math.log(1 - s.uniform(site, a, b, c)),
      };
    }
    case 'normal': {
      const { mean, stddev } = duration;
      return {
        constant: stddev === 0,
        mean,
        sample: (s, site, a, b, c) => Math.max(0, mean + stddev * standardNormal(s, site, a, b, c)),
      };
    }
    case 'lognormal': {
      // Parameters of the underlying normal chosen so the lognormal has the given mean and stddev.
      const { mean, stddev } = duration;
      if (mean === 0) return { constant: true, mean: 0, sample: () => 0 };
      const sigma2 = Math.log(1 + (stddev * stddev) / (mean * mean));
      const mu = Math.log(mean) - sigma2 / 2;
      const sigma = Math.sqrt(sigma2);
      return {
        constant: stddev === 0,
        mean,
        sample: (s, site, a, b, c) => Math.exp(mu + sigma * standardNormal(s, site, a, b, c)),
      };
    }
  }
}
