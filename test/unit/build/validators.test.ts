// The validators the build compiles ahead of time (dist/scenario/scenario-validator.js, dist/run/report-validators.js)
// are what the build would write now, and judge input exactly as the validators compiled at run time do.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import type { ValidateFunction } from 'ajv';
import { fromRoot } from '../../root.js';
import { reportValidatorsModule, scenarioValidatorModule } from '../../../src/build/write-validators.js';
import { scenarioValidator } from '../../../src/scenario/scenario-validator.js';
import { documentValidator, REPORT_KINDS } from '../../../src/run/report-validators.js';

const SCENARIO_FILE = 'dist/scenario/scenario-validator.js';
const REPORTS_FILE = 'dist/run/report-validators.js';

interface Generated {
  scenarioValidator: () => ValidateFunction;
  documentValidator: (kind: string) => ValidateFunction | undefined;
  REPORT_KINDS: string[];
}
const load = async (path: string) => (await import(pathToFileURL(fromRoot(path)).href)) as Generated;

/** What a validator says of a value: its verdict and every error, schema and data included (verbose). */
function verdict(validate: ValidateFunction, value: unknown): unknown {
  const ok = validate(structuredClone(value));
  return { ok, errors: JSON.parse(JSON.stringify(validate.errors ?? null)) as unknown };
}

const BAD_SCENARIOS: unknown[] = [
  {},
  { messages: -1, extra: 1, seed: 'x' },
  { network: { publish: { loss: 2, latencyMs: { kind: 'nope' } } }, broker: { kind: 'log', partitions: 0 } },
  { modes: [{ name: 'x', base: 'zzz' }, 'at-least-once', 3], consumers: { count: 1.5, crash: { point: 'never' } } },
  { faults: [{ at: -1, type: 'partition' }, { type: 'bogus' }, null], expect: { all: [1] }, sink: 4 },
  [1, 2],
];

describe('validators compiled ahead of time', () => {
  it('dist/ holds the validator modules the build would write now (npm run build writes them)', () => {
    expect(readFileSync(fromRoot(SCENARIO_FILE), 'utf8')).toBe(scenarioValidatorModule());
    expect(readFileSync(fromRoot(REPORTS_FILE), 'utf8')).toBe(reportValidatorsModule());
  });

  it('the generated scenario validator gives the same verdict and errors as one compiled at run time', async () => {
    const generated = (await load(SCENARIO_FILE)).scenarioValidator();
    for (const value of BAD_SCENARIOS) expect(verdict(generated, value)).toEqual(verdict(scenarioValidator(), value));
    expect(verdict(generated, BAD_SCENARIOS[1])).toMatchObject({ ok: false });
  });

  it('the generated report validators give the same verdicts and errors as ones compiled at run time', async () => {
    const generated = await load(REPORTS_FILE);
    expect(generated.REPORT_KINDS).toEqual(REPORT_KINDS);
    expect(generated.documentValidator('toString')).toBeUndefined();
    const values = [{}, { formatVersion: 3, kind: 'runs', ok: 1, scenarios: [{ results: [{ runs: [{}] }] }] }, null];
    for (const kind of [...REPORT_KINDS, 'failure']) {
      for (const value of values)
        expect(verdict(generated.documentValidator(kind)!, value)).toEqual(verdict(documentValidator(kind)!, value));
    }
  });
});
