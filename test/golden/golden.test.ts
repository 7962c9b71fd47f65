// Golden reports: a scenario beside its expected JSON and table, compared byte for byte with colour
// off. UPDATE_GOLDEN=1 rewrites them; review the diff before committing it.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe } from 'node:test';
import { expect } from 'expect';
import { fromRoot } from '../root.js';
import { each } from '../each.js';
import { acksim } from '../cli/run-cli.js';

const cases = [
  ['json', ['run', 'test/golden/lost-acks-small.yaml', '--format', 'json'], 'test/golden/lost-acks-small.json'],
  ['table', ['run', 'test/golden/lost-acks-small.yaml'], 'test/golden/lost-acks-small.txt'],
  ['markdown', ['run', 'test/golden/lost-acks-small.yaml', '--format', 'markdown'], 'test/golden/lost-acks-small.md'],
  ['junit', ['run', 'test/golden/lost-acks-small.yaml', '--format', 'junit'], 'test/golden/lost-acks-small.xml'],
] as const satisfies ReadonlyArray<readonly [string, readonly string[], string]>;

describe('golden reports', () => {
  each(cases, '%s report matches its golden file', (_format, args, file) => {
    const result = acksim(args, { env: { COLUMNS: '80' } });
    expect(result.status).toBe(0);
    const golden = fromRoot(file);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, result.stdout);
    expect(result.stdout).toBe(readFileSync(golden, 'utf8'));
  });
});
