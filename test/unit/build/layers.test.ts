// Imports run one way (LAYERS in eslint.config.js), and lint says so: an import that runs back up
// fails `npm run lint`, and the list of today's back edges (BACK_EDGES) is exact, so it can only shrink.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { fromRoot, ROOT } from '../../root.js';

interface LintConfigModule {
  LAYERS: Record<string, string[]>;
  BACK_EDGES: Record<string, string[]>;
}

const config = (await import(pathToFileURL(fromRoot('eslint.config.js')).href)) as LintConfigModule;

/** The folders of src/ each source file imports from, other than its own. */
function importedFolders(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const file of readdirSync(fromRoot('src'), { recursive: true }).map(String)) {
    if (!file.endsWith('.ts')) continue;
    const path = join('src', file).split('\\').join('/');
    const own = path.split('/')[1]!;
    for (const match of readFileSync(fromRoot(path), 'utf8').matchAll(/from '(?:\.\.\/)+([a-z-]+)\//g)) {
      if (match[1] === own) continue;
      if (!found.has(path)) found.set(path, new Set());
      found.get(path)!.add(match[1]!);
    }
  }
  return found;
}

/** Lints `text` as if it were the file `path`, with the project's own import rule for that path. */
async function importProblems(path: string, text: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const calculated = (await eslint.calculateConfigForFile(fromRoot(path))) as {
    rules: Record<string, Linter.RuleEntry>;
  };
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    text,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        rules: { 'no-restricted-imports': calculated.rules['no-restricted-imports']! },
      },
    ],
    fromRoot(path),
  );
  return messages.map((m) => m.message);
}

describe('imports run one way', () => {
  it('an import that runs back up fails lint: model → run, sim → model, scenario → report or run, cli → model/sim, live → report', async () => {
    const cases: Array<[file: string, imported: string]> = [
      ['src/model/new-part.ts', '../run/report.js'],
      ['src/sim/new-part.ts', '../model/world.js'],
      ['src/scenario/new-part.ts', '../report/table.js'],
      ['src/cli/new-command.ts', '../model/simulation.js'],
      ['src/cli/new-command.ts', '../sim/choice.js'],
      ['src/live/new-part.ts', '../report/format.js'],
      ['src/run/new-part.ts', '../cli/common.js'],
      // Struck off BACK_EDGES once the check language moved to scenario/: no longer exempt.
      ['src/scenario/rules.ts', '../run/checks.js'],
      ['src/scenario/validate.ts', '../run/checks.js'],
    ];
    for (const [file, imported] of cases) {
      const problems = await importProblems(file, `import { x } from '${imported}';\nexport const y = x;\n`);
      expect(problems.join('\n')).toMatch(/may import only/);
    }
  });

  it('an import along the layers is allowed', async () => {
    for (const [file, imported] of [
      ['src/run/new-part.ts', '../model/world.js'],
      ['src/cli/new-command.ts', '../run/report.js'],
      ['src/model/new-part.ts', '../sim/kernel.js'],
    ] as const) {
      expect(await importProblems(file, `import { x } from '${imported}';\nexport const y = x;\n`)).toEqual([]);
    }
  });

  it("BACK_EDGES lists exactly today's back edges: a new one fails lint, a removed one must be struck off", () => {
    const actual: Record<string, string[]> = {};
    for (const [file, folders] of importedFolders()) {
      const own = file.split('/')[1]!;
      const allowed = config.LAYERS[own];
      if (allowed === undefined) continue; // src/build: the build tools may read anything
      const back = [...folders].filter((f) => !allowed.includes(f)).sort();
      if (back.length > 0) actual[file] = back;
    }
    expect(actual).toEqual(config.BACK_EDGES);
  });
});
