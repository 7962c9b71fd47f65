// The verdict of acksim live: a run that tested nothing, was cut short, is too small, or whose interval
// is too wide to tell the model from a clearly different one is inconclusive (exit 3), never a pass;
// a prediction outside the interval is a disagreement however wide it is.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { fidelityOf } from '../../../src/live/fidelity.js';
import {
  LIVE_EXIT_CODE,
  MIN_LIVE_MESSAGES,
  overallVerdict,
  unjudgeable,
  verdictOf,
  widestAgreement,
} from '../../../src/live/verdict.js';
import type { Measured } from '../../../src/run/metrics.js';
import { config, measured } from '../../helpers.js';

const sample = measured(config({ messages: 10 }));

/** An audit of `produced` messages, `lost` lost and `duplicates` duplicated (every message processed but the lost). */
function audit(produced: number, lost: number, duplicates: number): Measured {
  return { ...sample, metrics: { ...sample.metrics, produced, processed: produced - lost, lost, duplicates } };
}

/** The live run's audit split into 20 batches with its outcomes spread evenly (no batches below 200 messages, as live
 * does). */
function batches(produced: number, lost: number, duplicates: number): Measured[] {
  if (produced < MIN_LIVE_MESSAGES) return [];
  return Array.from({ length: 20 }, () => audit(produced / 20, lost / 20, duplicates / 20));
}

/** The model's prediction. */
function prediction(lossRate: number, duplicateRate: number): Measured {
  return { ...sample, metrics: { ...sample.metrics, lossRate, duplicateRate } };
}

describe('live verdict', () => {
  it('a run that published nothing, or too few to judge, or was cut short by --timeout, is not compared', () => {
    expect(unjudgeable({ produced: 0, timedOut: false, timeoutS: 120 })).toBe(
      'the run published no message: nothing was tested',
    );
    expect(unjudgeable({ produced: 1, timedOut: false, timeoutS: 120 })).toMatch(
      /^the run published 1 message\(s\), too few to judge: .* needs 200 or more \(20 batches of 10\); use --messages 200 or more$/,
    );
    expect(unjudgeable({ produced: 199, timedOut: false, timeoutS: 120 })).toMatch(/too few to judge/);
    expect(unjudgeable({ produced: 200, timedOut: false, timeoutS: 120 })).toBeUndefined();
    // However many messages it published, a run cut short has messages in play: its rates are not the run's.
    expect(unjudgeable({ produced: 2000, timedOut: true, timeoutS: 1 })).toBe(
      'stopped after --timeout 1 s with messages still in play: the rates are those of a run cut short; a larger --timeout lets it finish',
    );
  });

  it('no message, or one, gives an interval of [0 %, 100 %] or [0 %, 79 %], which is no agreement', () => {
    for (const produced of [0, 1]) {
      const row = fidelityOf('at-least-once', audit(produced, 0, 0), [], prediction(0, 0));
      // Today's check, inside alone, calls this a pass.
      expect([row.lossRate.inside, row.duplicateRate.inside]).toEqual([true, true]);
      expect(row.lossRate.tolerance.upper).toBeGreaterThan(0.79);
      expect(verdictOf(row).verdict).toBe('inconclusive');
    }
  });

  it('an agreement counts only with a tolerance at most twice the smaller of the rate and its complement, and 10 points', () => {
    expect(widestAgreement(0)).toBe(0.1);
    expect(widestAgreement(0.03)).toBe(0.1);
    expect(widestAgreement(0.2)).toBeCloseTo(0.4, 12);
    expect(widestAgreement(0.5)).toBeCloseTo(1, 12);
    expect(widestAgreement(0.9)).toBeCloseTo(0.2, 12);
    expect(widestAgreement(1)).toBe(0.1);
    // 0 of 30 lost: Wilson's interval is [0 %, 11.4 %], wider than the 10 points a prediction of 0 allows.
    expect(verdictOf(fidelityOf('m', audit(30, 0, 0), [], prediction(0, 0)))).toEqual({
      verdict: 'inconclusive',
      reason:
        "the loss rate's interval, 0% to 11.4%, is wider than 10.0%, the most an agreement with 0% may rest on (twice the smaller of the rate and 100 % minus it, at least 10 points); more --messages narrow it",
    });
    // 0 of 2,000: [0 %, 0.19 %].
    expect(verdictOf(fidelityOf('m', audit(2000, 0, 0), batches(2000, 0, 0), prediction(0, 0)))).toEqual({
      verdict: 'agree',
    });
  });

  it("widens the tolerance by the model's spread before judging its width", () => {
    // 100 of 1,000 lost, evenly: about [8.3 %, 12.0 %], narrow enough for a prediction of 10 %...
    const live = audit(1000, 100, 0);
    const even = batches(1000, 100, 0);
    expect(verdictOf(fidelityOf('m', live, even, prediction(0.1, 0))).verdict).toBe('agree');
    // ...but a model that scatters by 6 points (sd) from timing alone makes it about ±12, over 20 points wide.
    const scattered = fidelityOf('m', live, even, prediction(0.1, 0), { lossRate: 0.06, duplicateRate: 0 });
    expect(scattered.lossRate.inside).toBe(true);
    expect(verdictOf(scattered)).toMatchObject({
      verdict: 'inconclusive',
      reason: expect.stringMatching(/with the model's spread/),
    });
  });

  it('a prediction outside the tolerance disagrees, however wide the tolerance is', () => {
    // 3 of 3 lost against a model that loses nothing: Wilson's interval is [43.9 %, 100 %].
    const row = fidelityOf('m', audit(3, 3, 0), [], prediction(0, 0));
    expect(row.lossRate.inside).toBe(false);
    expect(verdictOf(row)).toEqual({ verdict: 'disagree' });
  });

  it('a disagreement in one mode wins over an inconclusive one; no mode at all is inconclusive', () => {
    expect(overallVerdict(['agree', 'agree'])).toBe('agree');
    expect(overallVerdict(['agree', 'inconclusive'])).toBe('inconclusive');
    expect(overallVerdict(['inconclusive', 'disagree'])).toBe('disagree');
    expect(overallVerdict([])).toBe('inconclusive');
    expect(LIVE_EXIT_CODE).toEqual({ agree: 0, disagree: 1, inconclusive: 3 });
  });
});
