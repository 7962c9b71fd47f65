import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { compare, OPERATORS, parseCheck } from '../../../src/scenario/check-expression.js';
import { judge } from '../../../src/run/checks.js';
import { isRate, metricPaths, metricRange } from '../../../src/scenario/metric-catalog.js';
import { percentile, valueAt, type Measured } from '../../../src/run/metrics.js';
import { config, measured, preset } from '../../helpers.js';

describe('check expressions', () => {
  it('reads every metric path with every operator', () => {
    for (const path of metricPaths()) {
      // A rate's bare number is a fraction below 1; a count's a whole number (1.5 it can never equal).
      const value = isRate(path) ? 0.5 : 2;
      for (const op of OPERATORS) {
        const parsed = parseCheck(`${path} ${op} ${value}`);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.check).toMatchObject({ metric: path, operator: op, value });
      }
    }
  });

  it('reads every path an audit measures, and refuses in each source what only the other measures', () => {
    for (const path of metricPaths('audit'))
      expect({ path, ok: parseCheck(`${path} >= ${isRate(path) ? 0.5 : 1}`, 'audit').ok }).toEqual({ path, ok: true });
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
    for (const text of [
      'duplicateRate < 1%',
      'lossRate == 100%',
      'duplicateRate < 0.99',
      'lossRate <= duplicateRate',
      'lost < 1e15',
    ]) {
      expect({ text, ok: parseCheck(text).ok }).toEqual({ text, ok: true });
    }
  });

  it("refuses a check that can never fail or never pass over its metric's range, naming the range", () => {
    for (const [text, message] of [
      ['lossRate < 5000%', /"lossRate < 5000%" can never fail: lossRate is a fraction, between 0 and 100%/],
      ['lossRate <= 100%', /can never fail: lossRate is a fraction/],
      ['lost >= 0', /"lost >= 0" can never fail: lost is a count, a whole number at least 0/],
      ['lost > -5', /can never fail: lost is a count/],
      ['latencyMs.p99 >= 0', /can never fail: latencyMs\.p99 is a latency, at least 0/],
      ['duplicates >= 0', /can never fail/],
      ['lost < 0', /"lost < 0" can never pass: lost is a count/],
      ['lossRate > 100%', /can never pass: lossRate is a fraction/],
      ['upper(lossRate) <= 100%', /can never fail/],
      ['mean(lost) >= 0', /can never fail: lost is a count, at least 0/],
      ['lost != 0.5', /can never fail/],
      ['lost == 0.5', /can never pass/],
    ] as const) {
      const parsed = parseCheck(text);
      expect({ text, ok: parsed.ok }).toEqual({ text, ok: false });
      if (!parsed.ok) expect(parsed.message).toMatch(message);
    }
    for (const text of [
      'stateError > -5',
      'lost <= 0',
      'lossRate < 100%',
      'lossRate >= 0.5%',
      'mean(lost) == 0.5',
      'lost > 0',
    ]) {
      expect({ text, ok: parseCheck(text).ok }).toEqual({ text, ok: true });
    }
  });

  it('accepts exactly the checks that some value of the metric passes and another fails', () => {
    const paths = metricPaths();
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.constantFrom(...OPERATORS),
        fc.oneof(
          fc.integer({ min: -3, max: 3 }),
          fc.double({ min: -2, max: 2, noNaN: true }),
          fc.constantFrom(0, 1, 0.5, -0.5, 1e6),
        ),
        fc.option(fc.constantFrom('mean', 'max', 'upper'), { nil: undefined }),
        (path, op, value, aggregate) => {
          // Bare numbers of rates are fractions below 1; write them as percentages so any value reads.
          const written = isRate(path) ? `${value * 100}%` : `${value}`;
          const metric = aggregate === undefined ? path : `${aggregate}(${path})`;
          const parsed = parseCheck(`${metric} ${op} ${written}`);
          const range = metricRange(path, aggregate !== undefined);
          const number = isRate(path) ? (value * 100) / 100 : value;
          // Values the metric can take around the bound: enough to see both verdicts when both exist.
          const candidates = [
            range.min,
            range.max,
            number,
            number - 1,
            number + 1,
            number - 0.5,
            number + 0.5,
            Math.floor(number),
            Math.ceil(number),
            1e9,
            -1e9,
          ].filter(
            (v) => Number.isFinite(v) && v >= range.min && v <= range.max && (!range.integer || Number.isInteger(v)),
          );
          const verdicts = new Set(candidates.map((v) => compare(v, op, number)));
          if (parsed.ok)
            expect({ path, op, value, verdicts: [...verdicts].sort() }).toEqual({
              path,
              op,
              value,
              verdicts: [false, true],
            });
          else if (/can never (fail|pass)/.test(parsed.message)) expect(verdicts.size).toBe(1);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses a % on a count, and a metric against itself or against a metric its definition bounds', () => {
    for (const path of metricPaths('run').filter((p) => !isRate(p)))
      expect({ path, ok: parseCheck(`${path} >= 5%`).ok }).toEqual({ path, ok: false });
    for (const op of OPERATORS) expect({ op, ok: parseCheck(`lost ${op} lost`).ok }).toEqual({ op, ok: false });
    const decided = ['lost <= produced', 'produced >= lost', 'duplicates > processed', 'lossByCause.expired <= lost'];
    for (const text of decided) expect({ text, ok: parseCheck(text).ok }).toEqual({ text, ok: false });
    const open = ['lost < produced', 'lost == produced', 'duplicates != processed', 'redeliveries >= deliveries'];
    for (const text of open) expect({ text, ok: parseCheck(text).ok }).toEqual({ text, ok: true });
    // What "by definition" rests on, in runs of every fault kind: each refused order holds in every one.
    const runs = [1, 2, 3, 4].map((seed) =>
      measured(
        config({
          mode: preset(seed % 2 === 0 ? 'at-most-once' : 'at-least-once'),
          messages: 300,
          network: { ack: { loss: 0.2 }, deliver: { loss: 0.1, duplicate: 0.1 }, publish: { loss: 0.1 } },
          consumers: { crash: { probability: 0.05 } },
        }),
        seed,
      ),
    );
    const pairs: Array<[string, string]> = [
      ['lost', 'produced'],
      ['processed', 'produced'],
      ['unresolved', 'produced'],
      ['duplicates', 'processed'],
      ['redeliveries', 'deliveries'],
      ['publishRetries', 'publishAttempts'],
      ...metricPaths('run')
        .filter((p) => p.startsWith('lossByCause.'))
        .map((p): [string, string] => [p, 'lost']),
      ...metricPaths('run')
        .filter((p) => p.startsWith('duplicatesByCause.'))
        .map((p): [string, string] => [p, 'duplicates']),
    ];
    for (const m of runs)
      for (const [a, b] of pairs) {
        expect(parseCheck(`${a} <= ${b}`).ok).toBe(false);
        expect({ a, b, holds: valueAt(m, a) <= valueAt(m, b) }).toEqual({ a, b, holds: true });
      }
    expect(runs.some((m) => m.metrics.lost > 0) && runs.some((m) => m.metrics.duplicates > 0)).toBe(true);
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
