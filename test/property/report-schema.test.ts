// Every JSON report matches the published schema (schema/report.schema.json), whatever the
// configuration and seed: one run, many runs, a comparison and a sweep, and the built-in scenarios.
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { formatJson } from '../../src/report/json.js';
import { parseCheck } from '../../src/scenario/check-expression.js';
import { compareScenario } from '../../src/run/compare.js';
import { reportProblems } from '../../src/run/document-problems.js';
import { runScenarios } from '../../src/run/run-scenario.js';
import { sweepScenario } from '../../src/run/sweep.js';
import { loadScenarios, builtinNames } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/types.js';
import type { SimulationConfig } from '../../src/model/config.js';
import { ROOT } from '../root.js';
import { anyConfig } from './arbitraries.js';

// The CLI refuses a first seed whose last run would pass 2^31 - 1.
const seed = fc.integer({ min: 0, max: 2 ** 31 - 4 });

/** A one-mode scenario of a generated configuration, with checks that may pass, fail or be inconclusive. */
function scenarioOf({ mode, ...config }: SimulationConfig, first: number): Scenario {
  const checks = ['lost == 0', 'duplicateRate < 1%', 'latencyMs.p99 <= 500'].map((text) => {
    const parsed = parseCheck(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return { mode: undefined, check: parsed.check, source: 'scenario' as const };
  });
  return {
    name: 'generated',
    file: 'generated.yaml',
    summary: 's',
    description: '',
    seed: first,
    config,
    modes: [{ mode, config }],
    checks,
  };
}

/** The report as a reader gets it: through the JSON formatter and back. */
const asRead = (report: object): unknown => JSON.parse(formatJson(report as Parameters<typeof formatJson>[0]));

describe('the JSON report matches schema/report.schema.json', () => {
  it('for one run and many runs of any configuration and seed', async () => {
    await fc.assert(
      fc.asyncProperty(anyConfig, seed, fc.constantFrom(1, 3), async (config, first, runs) => {
        const report = await runScenarios([scenarioOf(config, first)], { runs });
        expect(report.kind).toBe(runs === 1 ? 'run' : 'runs');
        expect(reportProblems(asRead(report), 10)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('for a comparison and a sweep of any configuration', async () => {
    await fc.assert(
      fc.asyncProperty(anyConfig, seed, async (config, first) => {
        const scenario = scenarioOf(config, first);
        scenario.modes.push({ mode: { ...config.mode, name: 'other' }, config: scenario.config });
        expect(reportProblems(asRead(await compareScenario(scenario, { runs: 2 })), 10)).toEqual([]);
        const param = { path: 'network.ack.loss', spec: '0,0.1', values: [0, 0.1] };
        expect(reportProblems(asRead(await sweepScenario(scenario, [param], 'lossRate', { runs: 2 })), 10)).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });

  it('for every built-in scenario at a random seed', async () => {
    const loaded = loadScenarios(builtinNames(), ROOT);
    expect(loaded.issues).toEqual([]);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...loaded.scenarios), seed, async (scenario, first) => {
        const report = await runScenarios([scenario], { seed: first, messages: 200 });
        expect(reportProblems(asRead(report), 10)).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });

  it('names what is wrong when a report does not match', () => {
    expect(reportProblems({ formatVersion: 3, kind: 'nonsense' })[0]).toMatch(
      /^kind {2}must be one of: run, runs, audit, sweep, compare/,
    );
    expect(reportProblems({ formatVersion: 3, kind: 'run', ok: true, scenarios: [], extra: 1 })[0]).toMatch(/extra/);
  });
});
