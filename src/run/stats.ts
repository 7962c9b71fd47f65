// Interval estimates over runs. Rates that are proportions of messages get a Wilson score interval on
// the pooled counts; every other metric a normal interval on the mean of its per-run values.
import { createRequire } from 'node:module';
import type JStat from 'jstat';

/** jstat, loaded the first time a level other than 95 % asks for a quantile (about 15 ms of start-up spared). */
let loaded: typeof JStat | undefined;
function jStat(): typeof JStat {
  loaded ??= createRequire(import.meta.url)('jstat') as typeof JStat;
  return loaded;
}

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/** The usual confidence of an interval; other levels (`acksim live --confidence`) compute their quantiles. */
export const CONFIDENCE = 0.95;

/** z for a two-sided interval at `confidence` (Z95 at 95 %). */
export function zFor(confidence: number): number {
  return confidence === CONFIDENCE ? Z95 : jStat().normal.inv(1 - (1 - confidence) / 2, 0, 1);
}

/** An interval around an estimate. */
export interface Interval {
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for k successes in n trials (Wilson 1927); good at small n and near 0 or 1,
 * where the normal approximation gives impossible bounds. n = 0 gives [0, 1].
 */
export function wilson(k: number, n: number, z = Z95): Interval {
  if (n === 0) return { lower: 0, upper: 1 };
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At k = 0 or k = n the bound is exactly 0 or 1; computing it would leave rounding noise.
  return { lower: k === 0 ? 0 : Math.max(0, centre - half), upper: k === n ? 1 : Math.min(1, centre + half) };
}

/** Arithmetic mean (0 for no values). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Normal interval for the mean: mean ± z·s/√n with the sample standard deviation s; one value gives a point. */
export function meanInterval(values: readonly number[], z = Z95): Interval {
  const m = mean(values);
  if (values.length < 2) return { lower: m, upper: m };
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  const half = (z * Math.sqrt(squares / (values.length - 1))) / Math.sqrt(values.length);
  return { lower: m - half, upper: m + half };
}

/** t quantiles for a two-sided 95 % interval with 1 to 30 degrees of freedom (then z). */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * Interval (95 % unless asked) for a rate Σk/Σn measured over batches whose outcomes are correlated within a batch
 * (one closed channel duplicates every delivery it held): the ratio estimator's linearised variance
 * across batches, B/(B−1)·Σ(k_b − r·n_b)²/(Σn)², with a t quantile for B − 1 degrees of freedom.
 */
export function batchRateInterval(
  ks: readonly number[],
  ns: readonly number[],
  confidence: number = CONFIDENCE,
): Interval {
  const batches = ks.length;
  let k = 0;
  let n = 0;
  for (let b = 0; b < batches; b++) {
    k += ks[b]!;
    n += ns[b]!;
  }
  if (batches < 2 || n === 0) return { lower: 0, upper: 1 };
  const r = k / n;
  let squares = 0;
  for (let b = 0; b < batches; b++) squares += (ks[b]! - r * ns[b]!) ** 2;
  const t =
    confidence === CONFIDENCE ? (T95[batches - 2] ?? Z95) : jStat().studentt.inv(1 - (1 - confidence) / 2, batches - 1);
  const half = (t * Math.sqrt((batches / (batches - 1)) * squares)) / n;
  return { lower: Math.max(0, r - half), upper: Math.min(1, r + half) };
}
