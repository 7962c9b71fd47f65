// The verdict of one mode's live run: the prediction agrees, disagrees, or the run cannot say. A run
// that tested nothing, was cut short, or is too small or too scattered to tell the model from a clearly
// different one is inconclusive (exit 3): never a pass, and never a disagreement it did not measure.
import { percent } from '../number-text.js';
import { ExitCode } from '../run/report.js';
import { LIVE_BATCHES, type FidelityRow, type RateFidelity } from './fidelity.js';

/** What one mode's live run says about the model. */
export type Verdict = 'agree' | 'disagree' | 'inconclusive';

/** A verdict, and for an inconclusive one the reason, in one line. */
export interface Judged {
  verdict: Verdict;
  reason?: string;
}

/**
 * Fewest messages a live run is judged on: ten in each of the batches of the batch interval. With
 * fewer there is no batch interval, only Wilson's, which takes outcomes as independent; they come in
 * clusters (a crash, a closed channel, a claim sweep), so it would be too narrow either way.
 */
export const MIN_LIVE_MESSAGES = LIVE_BATCHES * 10;

/** The widest tolerance an agreement may rest on, however small the predicted rate: 10 points. */
export const MIN_WIDEST = 0.1;

/**
 * The widest tolerance an agreement with `predicted` may rest on: twice the smaller of the rate and
 * 100 % minus it, and at least 10 points. A tolerance wider than that can hold a rate of 0 and twice
 * the prediction at once (or 100 % and twice its shortfall), so it could not tell the model from a
 * broker without the effect or with double of it.
 */
export function widestAgreement(predicted: number): number {
  return Math.max(MIN_WIDEST, 2 * Math.min(predicted, 1 - predicted));
}

/** How a live run ended, before its rates are compared. */
export interface RunEnd {
  /** Messages the live run published (the audit's produced). */
  produced: number;
  /** The run was stopped by --timeout with messages still in play. */
  timedOut: boolean;
  /** --timeout, in seconds, for the message. */
  timeoutS: number;
}

/** Why a live run cannot be compared at all, or undefined when it can. */
export function unjudgeable({ produced, timedOut, timeoutS }: RunEnd): string | undefined {
  if (timedOut)
    return `stopped after --timeout ${timeoutS} s with messages still in play: the rates are those of a run cut short; a larger --timeout lets it finish`;
  if (produced === 0) return 'the run published no message: nothing was tested';
  if (produced < MIN_LIVE_MESSAGES)
    return `the run published ${produced} message(s), too few to judge: an interval that allows for outcomes in clusters needs ${MIN_LIVE_MESSAGES} or more (${LIVE_BATCHES} batches of 10); use --messages ${MIN_LIVE_MESSAGES} or more`;
  return undefined;
}

/** Why an agreement on `rate` tells nothing (its tolerance is too wide), or undefined. */
function tooWide(name: string, rate: RateFidelity): string | undefined {
  const widest = widestAgreement(rate.predicted);
  const { lower, upper } = rate.tolerance;
  if (upper - lower <= widest) return undefined;
  return (
    `the ${name} rate's interval, ${percent(lower)} to ${percent(upper)}${rate.modelSpread > 0 ? " with the model's spread" : ''}, ` +
    `is wider than ${percent(widest)}, the most an agreement with ${percent(rate.predicted)} may rest on ` +
    '(twice the smaller of the rate and 100 % minus it, at least 10 points); more --messages narrow it'
  );
}

/**
 * The verdict of a comparison (a run `unjudgeable` let through): a prediction outside a rate's
 * tolerance disagrees, however wide it is; an agreement counts only where the tolerance is narrow
 * enough to have told the model from one with double or none of the rate (`widestAgreement`).
 */
export function verdictOf(row: FidelityRow): Judged {
  const rates = [
    ['loss', row.lossRate],
    ['duplicate', row.duplicateRate],
  ] as const;
  if (rates.some(([, rate]) => !rate.inside)) return { verdict: 'disagree' };
  for (const [name, rate] of rates) {
    const reason = tooWide(name, rate);
    if (reason !== undefined) return { verdict: 'inconclusive', reason };
  }
  return { verdict: 'agree' };
}

/** The verdict of a whole live run: a disagreement in any mode, else inconclusive if any mode is (or none ran), else
 * agree. */
export function overallVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('disagree')) return 'disagree';
  return verdicts.length === 0 || verdicts.includes('inconclusive') ? 'inconclusive' : 'agree';
}

/** The exit code of `acksim live` for each overall verdict. */
export const LIVE_EXIT_CODE = {
  agree: ExitCode.ok,
  disagree: ExitCode.checkFailed,
  inconclusive: ExitCode.inconclusive,
} as const;
