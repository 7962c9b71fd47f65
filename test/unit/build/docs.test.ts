// The generated reference docs ship exactly as the code would write them, and the README stays true
// (its examples are run by test/docs).
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { fromRoot } from '../../root.js';
import { metricsDoc, scenarioFormatDoc } from '../../../src/build/docs.js';
import { jepsenDoc } from '../../../src/build/jepsen-doc.js';
import { CAUSE_DESCRIPTIONS } from '../../../src/model/causes.js';
import { builtinNames } from '../../../src/scenario/load.js';
import { PROFILES } from '../../../src/scenario/profiles.js';
import { scenarioSchema } from '../../../src/scenario/schema.js';
import { profilesDoc } from '../../../src/report/profiles.js';
import { reportSchemaJson } from '../../../src/run/report-schema.js';
import { acksim } from '../../cli/run-cli.js';

const read = (path: string) => readFileSync(fromRoot(path), 'utf8');

describe('generated docs', () => {
  it('docs/scenario-format.md and docs/metrics.md are up to date (npm run build writes them)', () => {
    expect(read('docs/scenario-format.md')).toBe(scenarioFormatDoc());
    expect(read('docs/metrics.md')).toBe(metricsDoc() + jepsenDoc());
    expect(read('docs/profiles.md')).toBe(profilesDoc(PROFILES));
  });

  it('schema/report.schema.json is up to date, and acksim schema report prints it', () => {
    expect(JSON.parse(read('schema/report.schema.json'))).toEqual(reportSchemaJson());
    const r = acksim(['schema', 'report']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(reportSchemaJson());
    expect(acksim(['schema', 'nonsense']).status).toBe(2);
  });

  it('scenario-format.md lists every scheduled fault, every value of a union field and every custom-mode section', () => {
    const doc = scenarioFormatDoc();
    const schema = scenarioSchema as unknown as {
      properties: { faults: { items: { oneOf: Array<{ properties: { type: { const: string } } }> } } };
    };
    const types = schema.properties.faults.items.oneOf.map((b) => b.properties.type.const);
    expect(types).toContain('leader-failover');
    for (const type of types) expect(doc).toContain(`{type: ${type},`);
    expect(doc).toMatch(/\| `producer\.idempotent` \| `"by-mode"` \| `by-mode`, `true`, `false` \|/);
    expect(doc).toMatch(/sections `producer`, `network`, `broker`, `consumers`, `dedupe`, `sink`/);
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

  it('the Quick start is two commands: npm start, and the test command .ci/run runs on a fresh machine', () => {
    const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    const commands = block
      .trim()
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, ''));
    expect(commands).toEqual(['npm ci && npm start', 'npm ci && npm run test:all']);
    const ci = read('.ci/run').split('\n');
    expect(ci).toContain(commands[1]);
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    // test:all installs what the live tests need, then runs the whole suite (npm test, live included).
    expect(pkg.scripts['test:all']).toBe('bash scripts/install-test-deps.sh && npm test');
    expect(read('scripts/install-test-deps.sh')).toMatch(/apt-get install[^\n]*"\$\{missing\[@\]\}"/);
  });

  it('documents every exit code the CLI uses', () => {
    for (const code of ['0', '1', '2', '3']) expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\|`));
  });
});
