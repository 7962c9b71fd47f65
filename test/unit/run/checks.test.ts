import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { compare, OPERATORS, parseCheck } from '../../../src/run/check-expression.js';
import { judge } from '../../../src/run/checks.js';
import { isRate, metricPaths } from '../../../src/run/metric-catalog.js';
import { percentile, valueAt, type Measured } from '../../../src/run/metrics.js';
import { config, measured } from '../../helpers.js';

describe('check expressions', () => {
  it('reads every metric path with every operator', () => {
    for (const path of metricPaths()) {
      // A rate's bare number is a fraction below 1.
      const value = isRate(path) ? 0.5 : 1.5;
      for (const op of OPERATORS) {
        const parsed = parseCheck(`${path} ${op} ${value}`);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.check).toMatchObject({ metric: path, operator: op, value });
      }
    }
  });

  it('reads every path an audit measures, and refuses in each source what only the other measures', () => {
    for (const path of metricPaths('audit')) expect({ path, ok: parseCheck(`${path} >= 0`, 'audit').ok }).toEqual({ path, ok: true });
    for (const [text, source, message] of [
      ['visibilityTimeoutBreaches == 0', 'audit', /a log does not show "visibilityTimeoutBreaches"/],
      ['stateError == 0', 'audit', /a log does not show "stateError"/],
      ['faultsInjected.ackLost == 0', 'audit', /a log does not show "faultsInjected\.ackLost"/],
      ['lossByCause.ackLost == 0', 'audit', /unknown metric|a log does not show/],
      ['unresolved == 0', 'audit', /a log does not show "unresolved"/],
      ['audit.unexpected == 0', 'run', /"audit\.unexpected" is measured only by acksim audit/],
      ['lossByCause.neverDelivered == 0', 'run', /measured only by acksim audit/],
    ] as const) {
      const parsed = parseCheck(text, source);
      expect({ text, ok: parsed.ok }).toEqual({ text, ok: false });
      if (!parsed.ok) expect(parsed.message).toMatch(message);
    }
    // What both measure is accepted by both.
    for (const source of ['run', 'audit'] as const) expect(parseCheck('lost == 0', source).ok).toBe(true);
  });

  it('refuses a rate against a bare number of 1 or more, a number that is not finite, and a rate against a count', () => {
    for (const text of [
      'duplicateRate < 1',
      'lossRate == 1',
      'max(retryRate) < 2',
      'lost < 1e999',
      'lossRate < 1e400%',
      'lossRate < duplicates',
    ]) {
      const parsed = parseCheck(text);
      expect({ text, ok: parsed.ok }).toEqual({ text, ok: false });
    }
    expect(parseCheck('duplicateRate < 1').ok === false && parseCheck('duplicateRate < 1')).toMatchObject({
      message: expect.stringMatching(/1 means 100%.*allowed: a percentage like 1%/),
    });
    for (const text of ['duplicateRate < 1%', 'lossRate == 100%', 'duplicateRate < 0.99', 'lossRate <= duplicateRate', 'lost < 1e15']) {
      expect({ text, ok: parseCheck(text).ok }).toEqual({ text, ok: true });
    }
  });

  it('reads percentages and metric right-hand sides', () => {
    const pct = parseCheck('duplicateRate < 0.1%');
    expect(pct.ok && pct.check.value).toBeCloseTo(0.001, 12);
    const against = parseCheck('duplicatesByCause.ackLost == duplicates');
    expect(against.ok && against.check.against).toBe('duplicates');
  });

  it('names the unknown metric and lists what is allowed', () => {
    const parsed = parseCheck('los == 0');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/unknown metric "los".*allowed: produced, processed, lost/);
    const family = parseCheck('lossByCause.nope == 0');
    if (!family.ok) expect(family.message).toMatch(/allowed: lossByCause.publishLost/);
  });

  it('refuses what is not a comparison', () => {
    for (const text of ['lost = 0', 'lost', '== 0', 'lost == zero', 'lost == 0 extra']) {
      const parsed = parseCheck(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(/cannot read check|unknown metric/);
    }
  });

  it('compares like the operators say', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        expect(compare(a, '<', b)).toBe(a < b);
        expect(compare(a, '<=', b)).toBe(a <= b);
        expect(compare(a, '>', b)).toBe(a > b);
        expect(compare(a, '>=', b)).toBe(a >= b);
        expect(compare(a, '==', b)).toBe(a === b);
        expect(compare(a, '!=', b)).toBe(a !== b);
      }),
    );
  });
});

describe('judging checks', () => {
  const finished = measured(config({ messages: 100, network: { ack: { loss: 0.3 } } }));
  const unfinished: Measured = { ...finished, endedBy: 'horizon', metrics: { ...finished.metrics, unresolved: 3 } };
  const check = (text: string) => {
    const parsed = parseCheck(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.check;
  };

  it('passes and fails on a finished run', () => {
    expect(judge(check('lost == 0'), finished).status).toBe('pass');
    expect(judge(check('duplicates == 0'), finished).status).toBe('fail');
    expect(judge(check('duplicates == 0'), finished).actual).toBe(finished.metrics.duplicates);
  });

  it('settles on an unfinished run only what more time could not change', () => {
    expect(judge(check('duplicates == 0'), unfinished).status).toBe('fail'); // already exceeded, can only grow
    expect(judge(check('duplicates > 0'), unfinished).status).toBe('pass'); // already reached, can only grow
    expect(judge(check('lost == 0'), unfinished).status).toBe('inconclusive');
    expect(judge(check('duplicateRate < 99%'), unfinished).status).toBe('inconclusive'); // a rate can move either way
    expect(judge(check('unresolved == 0'), unfinished).status).toBe('fail'); // a fact about how the run ended
  });

  it('reads nested values and treats absent causes as zero', () => {
    expect(valueAt(finished, 'latencyMs.p99')).toBe(finished.metrics.latencyMs.p99);
    expect(valueAt(finished, 'duplicatesByCause.ackLost')).toBe(finished.duplicatesByCause.ackLost);
    expect(valueAt(finished, 'faultsInjected.ackLost')).toBe(finished.faultsInjected.ackLost);
  });
});

describe('percentile', () => {
  it('is the nearest-rank percentile', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([], 50)).toBe(0);
    expect(percentile([7], 1)).toBe(7);
  });

  it('never exceeds the maximum and never falls below the minimum', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1 }), fc.integer({ min: 1, max: 100 }), (values, p) => {
        const sorted = [...values].sort((a, b) => a - b);
        const v = percentile(sorted, p);
        expect(v).toBeGreaterThanOrEqual(sorted[0]!);
        expect(v).toBeLessThanOrEqual(sorted[sorted.length - 1]!);
        expect(sorted.filter((x) => x <= v).length / sorted.length).toBeGreaterThanOrEqual(p / 100 - 1e-12);
      }),
    );
  });
});
