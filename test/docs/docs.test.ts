// Every command the README and docs/ show with its output is run here, as a reader would type it, and
// its output compared with the one shown: an example that drifts fails CI. Commands shown without
// output (`sh` blocks) must at least use a command and flags acksim has. See examples.ts for the
// markdown conventions.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { acksimInProcess } from '../cli/run-cli.js';
import { fromRoot } from '../root.js';
import { outputMismatch, readExamples, type DocExamples } from './examples.js';

const UPDATE = process.env.ACKSIM_UPDATE_DOCS === '1';
const DOCS = [
  'README.md',
  ...readdirSync(fromRoot('docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const examples = new Map<string, DocExamples>(
  DOCS.map((doc) => [doc, readExamples(doc, readFileSync(fromRoot(doc), 'utf8'))]),
);

const scratch = mkdtempSync(join(tmpdir(), 'acksim-docs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A folder on PATH whose `acksim` is this build, as `npx acksim` is in a project that installed it. */
const bin = join(scratch, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'acksim'), `#!/bin/sh\nexec "${process.execPath}" "${fromRoot('bin/acksim.js')}" "$@"\n`);
chmodSync(join(bin, 'acksim'), 0o755);

/** A reader's terminal as the docs show it: 80 columns, no colour, output and errors interleaved. */
function shell(command: string, cwd: string): { status: number | null; output: string } {
  const result = spawnSync('bash', ['-c', `{ ${command.replace(/^npx acksim\b/, 'acksim')}\n} 2>&1`], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      COLUMNS: '80',
      NO_COLOR: '1',
      FORCE_COLOR: undefined,
      CI: undefined,
      // A `node --test` a document shows reports to the reader, not to this suite's runner.
      NODE_TEST_CONTEXT: undefined,
    },
    // A drifted example that hangs fails here instead of holding the suite.
    timeout: 180_000,
    killSignal: 'SIGKILL',
  });
  return { status: result.status, output: result.stdout };
}

describe('the examples of the README and docs/ are what acksim prints', () => {
  for (const [doc, { sessions, files }] of examples) {
    if (sessions.length === 0) continue;
    it(`${doc}: ${sessions.reduce((n, s) => n + s.length, 0)} command(s) print what the document shows`, () => {
      // A folder of the reader's own, with the built-in scenarios and the files the document shows.
      const cwd = join(scratch, doc.replace(/\W/g, '-'));
      mkdirSync(cwd);
      cpSync(fromRoot('scenarios'), join(cwd, 'scenarios'), { recursive: true });
      // `import ... from 'acksim'` finds this build, as it finds the installed package in a reader's project.
      mkdirSync(join(cwd, 'node_modules'));
      symlinkSync(fromRoot('.'), join(cwd, 'node_modules', 'acksim'));
      for (const file of files) writeFileSync(join(cwd, file.name), file.text);
      const problems: string[] = [];
      /** With ACKSIM_UPDATE_DOCS=1, outputs shown in full are rewritten to what acksim prints now. */
      const updates: { line: number; count: number; output: string[] }[] = [];
      for (const commands of sessions)
        for (const { where, line, command, exit, output } of commands) {
          const ran = shell(command, cwd);
          if (ran.status !== exit)
            problems.push(`${where}: ${command}: exit ${ran.status}, the document says ${exit}\n${ran.output}`);
          const mismatch = outputMismatch(output, ran.output.split('\n'));
          if (mismatch === undefined) continue;
          if (UPDATE && !output.some((l) => l === '...' || l.includes('…')))
            updates.push({
              line,
              count: output.length,
              output: ran.output
                .replace(/\n+$/, '')
                .split('\n')
                .map((l) => l.trimEnd()),
            });
          else problems.push(`${where}: ${command}: ${mismatch}\n--- it printed:\n${ran.output}`);
        }
      if (updates.length > 0) {
        const lines = readFileSync(fromRoot(doc), 'utf8').split('\n');
        for (const { line, count, output } of updates.reverse()) lines.splice(line, count, ...output);
        writeFileSync(fromRoot(doc), lines.join('\n'));
      }
      expect(problems).toEqual([]);
    });
  }

  it('every acksim command shown without output names a command and flags acksim has', async () => {
    const help = new Map<string, string>();
    const problems: string[] = [];
    for (const [, { shown }] of examples)
      for (const { where, command } of shown) {
        const words = command.split(/\s+/).slice(1);
        const sub = words.find((w) => !w.startsWith('-'));
        if (sub === undefined) continue;
        if (!help.has(sub)) {
          const r = await acksimInProcess([sub, '--help']);
          help.set(sub, r.stdout + r.stderr);
        }
        const text = help.get(sub)!;
        if (!text.includes(`Usage: acksim ${sub}`)) {
          problems.push(`${where}: ${command}: acksim has no command "${sub}"`);
          continue;
        }
        for (const flag of words.filter((w) => /^--[a-z]/.test(w)).map((w) => w.split('=')[0]!))
          if (!new RegExp(`(^|[\\s,])${flag}(?![\\w-])`, 'm').test(text))
            problems.push(`${where}: ${command}: acksim ${sub} has no ${flag}`);
      }
    expect(problems).toEqual([]);
  });
});

describe('the example reader', () => {
  // Lines as an output has them; blank lines at the end are ignored by design, so none is blank.
  const line = fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((s) => !s.includes('\n') && !s.includes('…') && s.trim() !== '...' && s.trim() !== '' && s === s.trimEnd());
  const lines = fc.array(line, { maxLength: 8 });

  it('an output matches itself, and with any of its runs of lines replaced by "..."', () => {
    fc.assert(
      fc.property(lines, fc.nat(), fc.nat(), (out, a, b) => {
        expect(outputMismatch(out, out)).toBeUndefined();
        const from = out.length === 0 ? 0 : a % (out.length + 1);
        const to = from + (out.length - from === 0 ? 0 : b % (out.length - from + 1));
        expect(outputMismatch([...out.slice(0, from), '...', ...out.slice(to)], out)).toBeUndefined();
      }),
    );
  });

  it('a changed, missing or extra line does not match, and the message names it', () => {
    fc.assert(
      fc.property(
        lines.filter((l) => l.length > 0),
        fc.nat(),
        line,
        (out, at, other) => {
          const i = at % out.length;
          fc.pre(other !== out[i]);
          const changed = out.map((l, k) => (k === i ? other : l));
          expect(outputMismatch(changed, out)).toContain(`expected line`);
          expect(outputMismatch([...out, 'extra'], out)).toBeDefined();
          expect(outputMismatch(out.slice(1), out)).toBeDefined();
        },
      ),
    );
  });

  it('"…" in a line matches any text there and nothing else changes', () => {
    expect(outputMismatch(['took … s', 'done'], ['took 1.5 s', 'done'])).toBeUndefined();
    expect(outputMismatch(['took … s'], ['took 1.5 ms'])).toBeDefined();
    expect(outputMismatch(['a.b'], ['axb'])).toBeDefined();
  });

  it('reads sessions, exit codes, shown files and sh commands', () => {
    const doc = [
      '```console',
      '$ acksim run x',
      'out 1',
      '$ acksim run y  # exit 3',
      '```',
      '```yaml',
      '# file: my.yaml',
      'name: my',
      '```',
      '```sh',
      'npx acksim list   # comment',
      'npm test',
      '```',
      '```yaml',
      'steps:',
      '      - run: npx acksim run scenarios/ --format json --out a.json || test $? -ne 2',
      '```',
    ].join('\n');
    const read = readExamples('d.md', doc);
    expect(read.sessions).toEqual([
      [
        { where: 'd.md:2', line: 2, command: 'acksim run x', exit: 0, output: ['out 1'] },
        { where: 'd.md:4', line: 4, command: 'acksim run y', exit: 3, output: [] },
      ],
    ]);
    expect(read.files).toEqual([{ name: 'my.yaml', text: '# file: my.yaml\nname: my\n' }]);
    expect(read.shown).toEqual([
      { where: 'd.md:11', command: 'acksim list' },
      { where: 'd.md:16', command: 'acksim run scenarios/ --format json --out a.json' },
    ]);
  });
});
