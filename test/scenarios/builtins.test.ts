// Every built-in scenario is a lesson whose `expect:` must hold, and which teaches what it says.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { each } from '../each.js';
import type { ScenarioResult } from '../../src/run/report.js';
import { runScenarios } from '../../src/run/run-scenario.js';
import { BUILTIN_DIR, builtinNames, loadScenarios } from '../../src/scenario/load.js';

const { scenarios, issues } = loadScenarios([BUILTIN_DIR], process.cwd());

describe('built-in scenarios', () => {
  it('are at least 12, all valid, each with a summary, a description and checks', () => {
    expect(issues).toEqual([]);
    expect(builtinNames().length).toBeGreaterThanOrEqual(12);
    for (const s of scenarios) {
      expect(s.summary).not.toBe('');
      expect(s.description.length).toBeGreaterThan(100);
      expect(s.checks.length).toBeGreaterThan(0);
    }
  });

  each(scenarios.map((s) => [s.name, s] as const), '%s passes its own expect', async (_name, scenario) => {
    const report = await runScenarios([scenario], {});
    const failed = (report.scenarios[0] as ScenarioResult).results.flatMap((r) => r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.mode}: ${c.expr} (${c.status}, actual ${c.actual})`));
    expect(failed).toEqual([]);
  });

  it('lost-acks shows what the README promises: no duplicates at most once, duplicates near the ack loss rate at least once, neither exactly once', async () => {
    const scenario = scenarios.find((s) => s.name === 'lost-acks')!;
    const report = await runScenarios([scenario], {});
    const [amo, alo, eo] = (report.scenarios[0] as ScenarioResult).results;
    const ackLoss = scenario.config.network.ack.loss;
    expect(amo!.metrics.duplicates).toBe(0);
    expect(alo!.metrics.lost).toBe(0);
    expect(Math.abs(alo!.metrics.duplicateRate - ackLoss)).toBeLessThan(5 * Math.sqrt((ackLoss * (1 - ackLoss)) / alo!.metrics.processed));
    expect(alo!.duplicatesByCause.ackLost).toBe(alo!.metrics.duplicates);
    expect(eo!.metrics.duplicates + eo!.metrics.lost).toBe(0);
  });
});
