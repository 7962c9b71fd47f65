import { describe, it } from 'node:test';
import { expect } from 'expect';
import { compareScenario } from '../../../src/run/compare.js';
import { measure } from '../../../src/run/metrics.js';
import { runOnce } from '../../../src/run/runs.js';
import { sweepScenario } from '../../../src/run/sweep.js';
import { gridPoints, parseParam, SweepError, withParam } from '../../../src/run/sweep-params.js';
import { BUILTIN_DIR, loadScenarios } from '../../../src/scenario/load.js';
import { Simulation } from '../../../src/model/simulation.js';
import { Outcome } from '../../../src/model/state.js';
import { LOSS_CAUSES } from '../../../src/model/causes.js';
import { SeededChoiceSource } from '../../../src/sim/choice.js';

const builtins = loadScenarios([BUILTIN_DIR], process.cwd()).scenarios;
const scenario = (name: string) => structuredClone(builtins.find((s) => s.name === name)!);

describe('compare', () => {
  it("agrees with each mode's own run: lost under at-most-once, delivered under at-least-once", async () => {
    const s = scenario('lost-deliveries');
    const report = await compareScenario(s, { messages: 4000 });
    const [amo, alo] = s.modes;
    const runs = [amo!, alo!].map(({ mode, config }) =>
      new Simulation({ ...config, messages: 4000, mode }, new SeededChoiceSource(s.seed)).run(),
    );
    const lostAmo = measure(runs[0]!).metrics.lost;
    const pair = report.pairs[0]!;
    expect(pair.from).toBe('at-most-once');
    expect(pair.lostThenDelivered.count).toBe(lostAmo);
    expect(report.metrics['at-most-once']!.lost).toBe(lostAmo);
    // The example is the smallest lost id, with its own cause.
    const first = runs[0]!.outcome.findIndex((o, m) => o === Outcome.lost && runs[0]!.effects[m] === 0);
    expect(pair.lostThenDelivered.example).toEqual({ id: first, cause: LOSS_CAUSES[runs[0]!.cause[first]!] });
  });

  it('counts duplicates that exactly-once suppresses, and paired differences are differences of the runs', async () => {
    const s = scenario('lost-acks');
    const report = await compareScenario(s, { messages: 4000, runs: 3 });
    const alo = report.metrics['at-least-once']!;
    const [, toEo] = report.pairs;
    expect(toEo!.duplicatedThenSingle.count).toBeGreaterThan(0);
    expect(toEo!.duplicatedThenSingle.example!.cause).toBe('ackLost');
    expect(toEo!.duplicatedThenSingle.count).toBe(Math.round(alo.duplicates * 3));
    expect(toEo!.differences.duplicateRate!.mean).toBeCloseTo(
      report.metrics['exactly-once']!.duplicateRate - alo.duplicateRate,
      12,
    );
    expect(toEo!.differences.duplicateRate!.lower).toBeLessThanOrEqual(toEo!.differences.duplicateRate!.mean);
  });
});

describe('sweep parameters', () => {
  it('reads inclusive ranges without float noise, lists, booleans and names', () => {
    expect(parseParam('network.ack.loss=0:0.3:0.1').values).toEqual([0, 0.1, 0.2, 0.3]);
    expect(parseParam('broker.visibilityTimeoutMs=1000:2500:500').values).toEqual([1000, 1500, 2000, 2500]);
    expect(parseParam('producer.retry.jitter=none,full').values).toEqual(['none', 'full']);
    expect(parseParam('broker.durable=true,false').values).toEqual([true, false]);
    expect(parseParam('messages=100,200').values).toEqual([100, 200]);
  });

  for (const [text, message] of [
    ['network.ack.lost=0:1:0.5', /unknown parameter "network.ack.lost" \(allowed: messages, producer.ratePerSec/],
    [
      'network.ack.loss=0.5:0.1:0.1',
      /bad range "0.5:0.1:0.1" \(allowed: <from>:<to>:<step> with from <= to and step > 0\)/,
    ],
    ['network.ack.loss=0:1:0', /bad range/],
    ['network.ack.loss=a:b:c', /bad range/],
    ['network.ack.loss=0:1:0.0001', /10001 values is too many \(allowed: at most 1000 points\)/],
    ['network.ack.loss=0,1.5', /value 1.5 must be <= 1 \(minimum 0, maximum 1\)/],
    ['producer.arrivals=bursty', /value "bursty"/],
    ['network.ack.loss', /expected <path>=<from>:<to>:<step>/],
  ] as const) {
    it(`refuses ${text}`, () => {
      expect(() => parseParam(text)).toThrow(SweepError);
      expect(() => parseParam(text)).toThrow(message);
    });
  }

  it('makes the grid of two parameters, the first varying slowest, and refuses more points than allowed', () => {
    const grid = gridPoints([parseParam('consumers.count=1,2'), parseParam('network.ack.loss=0,0.1')]);
    expect(grid).toEqual([
      [1, 0],
      [1, 0.1],
      [2, 0],
      [2, 0.1],
    ]);
    expect(() => gridPoints([parseParam('messages=1:40:1'), parseParam('consumers.count=1:40:1')])).toThrow(
      /1600 grid points is too many/,
    );
    expect(() => gridPoints([])).toThrow(/one or two --param/);
  });

  it('gives at each point what a run with that value gives', async () => {
    const s = scenario('lost-acks');
    const report = await sweepScenario(s, [parseParam('network.ack.loss=0.02,0.2')], 'duplicateRate', {
      messages: 2000,
      modes: ['at-least-once'],
    });
    const { mode, config } = s.modes.find((m) => m.mode.name === 'at-least-once')!;
    for (const point of report.points) {
      const direct = await runOnce(
        { ...withParam(config, 'network.ack.loss', point.values[0]!), messages: 2000, mode },
        s.seed,
        false,
      );
      expect(point.results[0]!.mean.duplicateRate).toBe(direct.metrics.duplicateRate);
    }
    expect(report.points[1]!.results[0]!.mean.duplicateRate).toBeGreaterThan(
      report.points[0]!.results[0]!.mean.duplicateRate!,
    );
  });
});

describe('sweep: a distribution parameter, and a parameter a mode sets', () => {
  it("sweeps a distribution's parameter: each point runs with that value, as a run of the edited scenario does", async () => {
    const s = scenario('lost-acks');
    expect(s.config.consumers.processingMs).toEqual({ dist: 'exponential', mean: 10 });
    const param = parseParam('consumers.processingMs.mean=5,200');
    expect(param.values).toEqual([5, 200]);
    const report = await sweepScenario(s, [param], 'latencyMs.p99', { messages: 300, modes: ['at-least-once'] });
    const [low, high] = report.points.map((p) => p.results[0]!.mean['latencyMs.p99']!);
    for (const [value, p99] of [
      [5, low],
      [200, high],
    ] as const) {
      const mode = s.modes.find((m) => m.mode.name === 'at-least-once')!;
      const config = withParam(mode.config, 'consumers.processingMs.mean', value);
      expect(config.consumers.processingMs).toEqual({ dist: 'exponential', mean: value });
      const run = new Simulation({ ...config, messages: 300, mode: mode.mode }, new SeededChoiceSource(s.seed)).run();
      expect(measure(run).metrics.latencyMs.p99).toBe(p99);
    }
    expect(high).toBeGreaterThan(low!);
    expect(report.overridden).toBeUndefined();
  });

  it("refuses a parameter the field's distribution does not have, or a distribution parameter of a plain number, naming what is allowed", () => {
    const s = scenario('lost-acks');
    expect(() => withParam(s.config, 'consumers.processingMs.max', 5)).toThrow(
      /is \{dist: exponential\}, which has no max \(allowed: mean\)/,
    );
    expect(() => withParam(s.config, 'network.ack.latencyMs.mean', 5)).toThrow(
      /network\.ack\.latencyMs is \d+ ms, not a distribution with mean/,
    );
    expect(() => parseParam('consumers.processingMs.sd=1')).toThrow(/unknown parameter "consumers\.processingMs\.sd"/);
    expect(() => parseParam('consumers.processingMs.stddev=-1')).toThrow(SweepError);
  });

  it('says which modes set a swept parameter themselves (the sweep wins, so they do not differ there)', async () => {
    const s = scenario('retry-storm');
    const report = await sweepScenario(s, [parseParam('producer.retry.jitter=none,full')], 'lossRate', {
      messages: 200,
    });
    const own = s.config.producer.retry.jitter;
    const setters = s.modes.filter((m) => m.config.producer.retry.jitter !== own).map((m) => m.mode.name);
    expect(setters.length).toBeGreaterThan(0);
    expect(report.overridden).toEqual([{ path: 'producer.retry.jitter', modes: setters }]);
    // The sweep's value wins: the modes differ only in jitter, so at each point they all give the same numbers.
    for (const point of report.points) {
      const [first, ...rest] = point.results;
      for (const other of rest) expect(other.mean).toEqual(first!.mean);
    }
  });
});
