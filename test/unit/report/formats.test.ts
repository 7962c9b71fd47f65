import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { FORMATTERS } from '../../../src/report/index.js';
import { escapeXml } from '../../../src/report/junit.js';
import { percent } from '../../../src/report/format.js';
import { runScenarios } from '../../../src/run/run-scenario.js';
import { parseCheck } from '../../../src/scenario/check-expression.js';
import { validateScenario } from '../../../src/scenario/validate.js';

async function report(text: string) {
  const result = validateScenario(text, 'fixture.yaml', 'fixture');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return runScenarios([result.scenario], {});
}

const scenario = `
name: 'odd <name> & "quotes"'
messages: 300
network: { ack: { loss: 0.1 } }
broker: { visibilityTimeoutMs: 500 }
expect:
  at-most-once: ['duplicates == 0']
  at-least-once: ['duplicates == 0', 'lost == 0']
`;

describe('report formats', () => {
  it('JUnit: well-formed XML with a test case per mode and check, failures and counts', async () => {
    const xml = FORMATTERS.junit(await report(scenario), { color: false });
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suites = parsed.testsuites;
    expect(suites.tests).toBe('3');
    expect(suites.failures).toBe('1');
    const cases = [suites.testsuite.testcase].flat();
    expect(cases.map((c: { name: string }) => c.name)).toEqual([
      'at-most-once: duplicates == 0',
      'at-least-once: duplicates == 0',
      'at-least-once: lost == 0',
    ]);
    expect(cases[1].failure.message).toMatch(/^actual \d+$/);
    expect(suites.testsuite.name).toBe('odd <name> & "quotes"');
  });

  it('JUnit: a check repeated with --check is one test case; every case has a time and its measured value', async () => {
    const result = validateScenario(scenario, 'fixture.yaml', 'fixture');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const cli = ['duplicates == 0', 'lost == 0', 'lost <= 0'].map((text) => {
      const parsed = parseCheck(text);
      if (!parsed.ok) throw new Error(parsed.message);
      return { mode: 'at-least-once', check: parsed.check, source: 'cli' as const };
    });
    const r = await runScenarios([result.scenario], { checks: cli });
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      FORMATTERS.junit(r, { color: false }),
    );
    const suite = parsed.testsuites.testsuite;
    const cases = [suite.testcase].flat() as Array<{
      name: string;
      time: string;
      properties: { property: { name: string; value: string } };
    }>;
    const names = cases.map((c) => c.name);
    expect(names).toEqual([
      'at-most-once: duplicates == 0',
      'at-least-once: duplicates == 0',
      'at-least-once: lost == 0',
      'at-least-once: lost <= 0',
    ]);
    expect(new Set(names).size).toBe(names.length);
    expect(suite.tests).toBe(String(cases.length));
    expect(parsed.testsuites.tests).toBe(String(cases.length));
    for (const c of [parsed.testsuites, suite, ...cases]) expect(c.time).toBe('0');
    const alo = r.scenarios[0]!.results.find((m) => m.mode === 'at-least-once') as {
      metrics: { duplicates: number; lost: number };
    };
    const actual = (name: string) => cases.find((c) => c.name === name)!.properties.property;
    expect(actual('at-least-once: duplicates == 0')).toEqual({ name: 'actual', value: String(alo.metrics.duplicates) });
    expect(actual('at-least-once: lost <= 0')).toEqual({ name: 'actual', value: String(alo.metrics.lost) });
  });

  it('JUnit: reports inconclusive checks as skipped', async () => {
    const r = await report(
      'messages: 5\nhorizonMs: 100\nconsumers: {poisonRate: 1}\nmodes: [at-least-once]\nexpect: {all: ["lost == 0"]}\n',
    );
    const xml = FORMATTERS.junit(r, { color: false });
    expect(xml).toMatch(/<skipped message="inconclusive/);
    expect(xml).toMatch(/skipped="1"/);
  });

  it('JUnit: an interrupted report has an error, never a clean pass', async () => {
    const r = await report(scenario);
    const xml = FORMATTERS.junit({ ...r, interrupted: true }, { color: false });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toMatch(/<testsuites name="acksim" tests="4" failures="1" errors="1"/);
    expect(xml).toMatch(/<error type="interrupted"/);
  });

  it('escapes XML and drops characters XML cannot hold', () => {
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('JSON: the documented top level, and checks with expr, ok and actual', async () => {
    const json = JSON.parse(FORMATTERS.json(await report(scenario), { color: false }));
    expect(Object.keys(json)).toEqual(['formatVersion', 'kind', 'ok', 'scenarios']);
    expect(json.formatVersion).toBe(3);
    expect(json.kind).toBe('run');
    expect(json.ok).toBe(false);
    const [s] = json.scenarios;
    expect(s).toMatchObject({ name: 'odd <name> & "quotes"', file: 'fixture.yaml', seed: 1 });
    const alo = s.results.find((r: { mode: string }) => r.mode === 'at-least-once');
    expect(Object.keys(alo)).toEqual([
      'mode',
      'fingerprint',
      'endedBy',
      'metrics',
      'lossByCause',
      'duplicatesByCause',
      'stateErrorByCause',
      'faultsInjected',
      'checks',
    ]);
    expect(alo.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(alo.checks[0]).toMatchObject({
      expr: 'duplicates == 0',
      ok: false,
      status: 'fail',
      actual: alo.metrics.duplicates,
    });
  });

  it('table and markdown: every mode, the failed check with its actual value, the verdict and the replay command', async () => {
    const r = await report(scenario);
    for (const format of ['table', 'markdown'] as const) {
      const text = FORMATTERS[format](r, { color: false });
      for (const mode of ['at-most-once', 'at-least-once', 'exactly-once']) expect(text).toContain(mode);
      expect(text).toMatch(/at-least-once: duplicates == 0.*actual \d+/);
      expect(text).toContain('acksim run fixture.yaml --seed 1');
      expect(text).toMatch(/FAIL: 1 of 3 checks failed/);
      expect(text).not.toMatch(/\u001b\[/);
    }
  });

  it('table: colour only when asked', async () => {
    const r = await report(scenario);
    expect(FORMATTERS.table(r, { color: true })).toMatch(/\u001b\[/);
  });

  it('formats small rates without rounding them to zero', () => {
    expect(percent(0)).toBe('0%');
    expect(percent(0.0098)).toBe('0.98%');
    expect(percent(0.00004)).toBe('0.0040%');
    expect(percent(0.5)).toBe('50.0%');
  });
});
