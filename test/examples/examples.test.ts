// examples/: each a user's own node:test file importing 'acksim' by its name (the package refers to itself through
// its exports, as an installed one would be found), run here as a user runs them.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { fromRoot, ROOT } from '../root.js';

const files = readdirSync(fromRoot('examples'), { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.test.mjs'));

describe('the examples pass as their own node:test files', () => {
  it('there are examples to run', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files)
    it(`examples/${file}`, () => {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      // This suite's runner would take their reports for its own.
      delete env.NODE_TEST_CONTEXT;
      const ran = spawnSync(process.execPath, ['--test', '--test-reporter=spec', `examples/${file}`], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
      });
      expect({ status: ran.status, output: ran.stdout }).toEqual({
        status: 0,
        output: expect.stringMatching(/ℹ fail 0/),
      });
      expect(ran.stdout).toMatch(/ℹ pass [1-9]/);
    });
});
