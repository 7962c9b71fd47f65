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

  each(
    scenarios.map((s) => [s.name, s] as const),
    '%s passes its own expect, names its modes for what they do, and reports honest counts',
    async (_name, scenario) => {
      const report = await runScenarios([scenario], {});
      const results = (report.scenarios[0] as ScenarioResult).results;
      const failed = results.flatMap((r) =>
        r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.mode}: ${c.expr} (${c.status}, actual ${c.actual})`),
      );
      expect(failed).toEqual([]);
      for (const { mode, metrics: m } of results) {
        // A row named after a delivery mode keeps that mode's promise; a setup that breaks it gets its own name.
        if (mode === 'at-most-once') expect({ mode, duplicates: m.duplicates }).toEqual({ mode, duplicates: 0 });
        if (mode === 'at-least-once') expect({ mode, lost: m.lost }).toEqual({ mode, lost: 0 });
        if (mode === 'exactly-once') expect({ mode, lost: m.lost, duplicates: m.duplicates }).toEqual({ mode, lost: 0, duplicates: 0 });
        const { p50, p95, p99, max } = m.latencyMs;
        expect([p50 <= p95, p95 <= p99, p99 <= max]).toEqual([true, true, true]);
        expect(m.deadLetteredProcessed).toBeLessThanOrEqual(Math.min(m.deadLettered, m.processed));
        expect(m.produced).toBe(m.processed + m.lost + m.deadLettered - m.deadLetteredProcessed + m.unresolved);
      }
    },
  );

  it('lost-acks shows what the README promises: no duplicates at most once, duplicates near the ack loss rate at least once, neither exactly once', async () => {
    const scenario = scenarios.find((s) => s.name === 'lost-acks')!;
    const report = await runScenarios([scenario], {});
    const [amo, alo, eo] = (report.scenarios[0] as ScenarioResult).results;
    const ackLoss = scenario.config.network.ack.loss;
    expect(amo!.metrics.duplicates).toBe(0);
    expect(alo!.metrics.lost).toBe(0);
    const standardError = Math.sqrt((ackLoss * (1 - ackLoss)) / alo!.metrics.processed);
    expect(Math.abs(alo!.metrics.duplicateRate - ackLoss)).toBeLessThan(5 * standardError);
    expect(alo!.duplicatesByCause.ackLost).toBe(alo!.metrics.duplicates);
    expect(eo!.metrics.duplicates + eo!.metrics.lost).toBe(0);
  });
});
