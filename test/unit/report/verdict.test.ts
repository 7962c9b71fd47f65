// A result that supports no verdict (an audit with nothing in it) is never a pass: the exit code is 3
// with or without checks, a failed check still wins, and every format says so.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { FORMATTERS } from '../../../src/report/index.js';
import { summaryLine, verdictOf } from '../../../src/report/verdict.js';
import type { CheckResult } from '../../../src/run/checks.js';
import { ExitCode, exitCodeOf, type Report, type ScenarioResult } from '../../../src/run/report.js';
import { runScenarios } from '../../../src/run/run-scenario.js';
import { validateScenario } from '../../../src/scenario/validate.js';

async function emptyResult(checks: CheckResult[]): Promise<Report> {
  const result = validateScenario('name: small\nmessages: 20\n', 'fixture.yaml', 'fixture');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const report = await runScenarios([result.scenario], { modes: ['at-least-once'] });
  const scenario = report.scenarios[0] as ScenarioResult;
  scenario.results = [{ ...scenario.results[0]!, checks, inconclusive: 'nothing to audit: the log has no events' }];
  return report;
}

const check = (status: CheckResult['status']): CheckResult => ({
  expr: 'lost == 0',
  mode: 'at-least-once',
  status,
  ok: status === 'pass',
  actual: 0,
  source: 'cli',
});

describe('verdicts of a result with nothing in it', () => {
  it('exit 3 and INCONCLUSIVE without checks; a failed check still gives exit 1', async () => {
    const none = await emptyResult([]);
    expect(exitCodeOf(none)).toBe(ExitCode.inconclusive);
    expect(summaryLine(none)).toBe('INCONCLUSIVE: nothing to audit: the log has no events in 1 scenario');
    expect(FORMATTERS.table(none, { color: false })).toContain('none ?');
    expect(FORMATTERS.junit(none, { color: false })).toContain('skipped="1"');
    expect(exitCodeOf(await emptyResult([check('fail')]))).toBe(ExitCode.checkFailed);
    expect(verdictOf([], [])).toEqual({ status: 'none', text: 'INCONCLUSIVE: no checks, nothing was judged' });
    expect(verdictOf([check('pass')], ['why']).status).toBe('inconclusive');
  });
});
