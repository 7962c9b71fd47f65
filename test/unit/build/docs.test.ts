// The generated reference docs ship exactly as the code would write them, and the README stays true.
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { fromRoot } from '../../root.js';
import { metricsDoc, scenarioFormatDoc } from '../../../src/build/docs.js';
import { CAUSE_DESCRIPTIONS } from '../../../src/model/causes.js';
import { builtinNames } from '../../../src/scenario/load.js';
import { PROFILES } from '../../../src/scenario/profiles.js';
import { profilesDoc } from '../../../src/report/profiles.js';
import { acksim } from '../../cli/run-cli.js';

const read = (path: string) => readFileSync(fromRoot(path), 'utf8');

describe('generated docs', () => {
  it('docs/scenario-format.md and docs/metrics.md are up to date (npm run build writes them)', () => {
    expect(read('docs/scenario-format.md')).toBe(scenarioFormatDoc());
    expect(read('docs/metrics.md')).toBe(metricsDoc());
    expect(read('docs/profiles.md')).toBe(profilesDoc(PROFILES));
  });

  it('describe every cause', () => {
    for (const cause of Object.keys(CAUSE_DESCRIPTIONS)) expect(metricsDoc()).toContain(`\`${cause}\``);
  });
});

describe('README', () => {
  const readme = read('README.md');

  it('lists every built-in scenario', () => {
    for (const name of builtinNames()) expect(readme).toContain(`\`${name}\``);
  });

  it('shows the real output of the lost-acks scenario', () => {
    const table = acksim(['run', 'scenarios/lost-acks.yaml'], { env: { COLUMNS: '80' } }).stdout;
    const block = table.split('\n\n')[0]!;
    expect(readme).toContain(block);
  });

  it('documents every exit code the CLI uses', () => {
    for (const code of ['0', '1', '2', '3']) expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\|`));
  });
});
