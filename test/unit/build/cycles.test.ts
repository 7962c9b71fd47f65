// No import cycles in src/, file or folder, type-only imports included (.dependency-cruiser.cjs, run
// by `npm run lint`). The same check runs here on src/ and on a two-file cycle it must refuse.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { fromRoot } from '../../root.js';

const config = createRequire(import.meta.url)(fromRoot('.dependency-cruiser.cjs')) as IConfiguration;

/** The cycles dependency-cruiser finds under `folder`, each as `from → to`. */
async function cycles(folder: string): Promise<string[]> {
  const result = await cruise([folder], {
    ...config.options,
    validate: true,
    ruleSet: { forbidden: config.forbidden ?? [] },
    outputType: 'json',
    baseDir: fromRoot('.'),
  });
  const output = JSON.parse(result.output as string) as ICruiseResult;
  expect(output.summary.totalCruised).toBeGreaterThan(1);
  return output.summary.violations.map((v) => `${v.from} → ${v.to}`);
}

describe('no import cycles', () => {
  it('src/ has none', async () => {
    expect(await cycles('src')).toEqual([]);
  });

  it('a cycle through a type-only import is found', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'acksim-cycle-'));
    try {
      writeFileSync(join(folder, 'a.ts'), "import type { B } from './b.js';\nexport type A = { b?: B };\n");
      writeFileSync(join(folder, 'b.ts'), "import type { A } from './a.js';\nexport type B = { a?: A };\n");
      expect((await cycles(relative(fromRoot('.'), folder))).length).toBeGreaterThan(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
