// `acksim init` writes a scenario that validates, runs and points at a schema that exists from its
// folder, and never replaces a file it was not told to; `run --all` finds the built-ins from any folder.
import { describe, it } from 'node:test';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect } from 'expect';
import { builtinNames } from '../../src/scenario/load.js';
import { each } from '../each.js';
import { fromRoot } from '../root.js';
import { acksimInProcess } from './run-cli.js';

/** A fresh empty folder, removed after `test`. */
async function inTempFolder(test: (folder: string) => Promise<void>): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'acksim-init-'));
  try {
    await test(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The file the `# yaml-language-server: $schema=` line of `file` points at. */
function schemaOf(file: string): string {
  const match = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(file, 'utf8'));
  if (match === null) throw new Error(`${file} has no schema line`);
  return resolve(dirname(file), match[1]!);
}

describe('acksim init', () => {
  it('writes a commented template that passes the README CI checks, named by its file, its schema line pointing at the schema', async () => {
    await inTempFolder(async (cwd) => {
      const made = await acksimInProcess(['init', 'my-queue'], { cwd });
      expect(made).toMatchObject({ status: 0, stderr: '' });
      expect(made.stdout).toBe('wrote my-queue.yaml; run it with: acksim run my-queue.yaml\n');
      const file = join(cwd, 'my-queue.yaml');
      expect(readFileSync(schemaOf(file), 'utf8')).toBe(readFileSync(fromRoot('schema/scenario.schema.json'), 'utf8'));
      expect(readFileSync(file, 'utf8')).toMatch(/^# /m);
      const checks = ['--check', 'at-least-once:lost == 0', '--check', 'exactly-once:duplicates == 0'];
      const run = await acksimInProcess(['run', 'my-queue.yaml', '--format', 'json', ...checks], { cwd });
      expect(run.status).toBe(0);
      const report = JSON.parse(run.stdout) as { scenarios: { name: string; results: { mode: string }[] }[] };
      expect(report.scenarios.map((s) => s.name)).toEqual(['my-queue']);
      expect(report.scenarios[0]!.results.map((r) => r.mode)).toEqual([
        'at-most-once',
        'at-least-once',
        'exactly-once',
      ]);
    });
  });

  it('writes to the path given, its schema line relative to that folder', async () => {
    await inTempFolder(async (cwd) => {
      mkdirSync(join(cwd, 'scenarios', 'deep'), { recursive: true });
      const made = await acksimInProcess(['init', 'scenarios/deep/orders.yml'], { cwd });
      expect(made.status).toBe(0);
      const file = join(cwd, 'scenarios', 'deep', 'orders.yml');
      expect(schemaOf(file)).toBe(fromRoot('schema/scenario.schema.json'));
      expect((await acksimInProcess(['validate', 'scenarios/deep/orders.yml'], { cwd })).status).toBe(0);
    });
  });

  it('--from copies a built-in under the new name: the same results, the schema line repointed', async () => {
    await inTempFolder(async (cwd) => {
      expect((await acksimInProcess(['init', 'mine', '--from', 'lost-acks'], { cwd })).status).toBe(0);
      expect(schemaOf(join(cwd, 'mine.yaml'))).toBe(fromRoot('schema/scenario.schema.json'));
      const results = async (name: string) => {
        const run = await acksimInProcess(['run', name, '--messages', '300', '--format', 'json', '--no-shrink'], {
          cwd,
        });
        const report = JSON.parse(run.stdout) as { scenarios: { name: string; results: { metrics: unknown }[] }[] };
        return { name: report.scenarios[0]!.name, metrics: report.scenarios[0]!.results.map((r) => r.metrics) };
      };
      const copy = await results('mine.yaml');
      const original = await results('lost-acks');
      expect(copy.name).toBe('mine');
      expect(copy.metrics).toEqual(original.metrics);
    });
  });

  each<[string[], RegExp]>(
    [
      [['init', 'my queue'], /^acksim: init "my queue": not a scenario name \(allowed: letters, digits/],
      [['init', '-dash'], /unknown option '-dash'/],
      [['init', '.hidden'], /init ".hidden": not a scenario name/],
      [['init', 'x.json'], /init "x.json": init writes YAML \(allowed: a name, or a path ending in .yaml or .yml\)/],
      [['init', 'a\u001b[31m'], /init "a\\x1b\[31m": not a scenario name/],
      [
        ['init', 'c', '--from', 'lost-ack'],
        /--from lost-ack: not a built-in scenario \(allowed: one of the \d+ names acksim list shows/,
      ],
      [['init', 'nodir/x'], /cannot write init nodir\/x.yaml: its folder does not exist/],
    ],
    'refuses bad input with one line and exit 2, writing nothing: acksim %j',
    async (args, message) => {
      await inTempFolder(async (cwd) => {
        const r = await acksimInProcess(args, { cwd });
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stdout).toBe('');
      });
    },
  );

  it('keeps an existing file, even an empty one, unless --force; never writes through a link or over a folder', async () => {
    await inTempFolder(async (cwd) => {
      writeFileSync(join(cwd, 'mine.yaml'), 'summary: mine\n');
      writeFileSync(join(cwd, 'empty.yaml'), '');
      writeFileSync(join(cwd, 'target.yaml'), 'summary: linked\n');
      symlinkSync(join(cwd, 'target.yaml'), join(cwd, 'link.yaml'));
      mkdirSync(join(cwd, 'folder.yaml'));
      for (const name of ['mine', 'empty']) {
        const kept = await acksimInProcess(['init', name], { cwd });
        expect(kept.status).toBe(2);
        expect(kept.stderr).toBe(`acksim: init ${name}.yaml exists; choose another path or pass --force\n`);
      }
      expect(readFileSync(join(cwd, 'mine.yaml'), 'utf8')).toBe('summary: mine\n');
      expect(readFileSync(join(cwd, 'empty.yaml'), 'utf8')).toBe('');
      const linked = await acksimInProcess(['init', 'link', '--force'], { cwd });
      expect(linked.status).toBe(2);
      expect(linked.stderr).toMatch(/init link.yaml is a symbolic link; acksim does not write through links/);
      expect(lstatSync(join(cwd, 'link.yaml')).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(cwd, 'target.yaml'), 'utf8')).toBe('summary: linked\n');
      expect((await acksimInProcess(['init', 'folder', '--force'], { cwd })).status).toBe(2);
      const forced = await acksimInProcess(['init', 'mine', '--force'], { cwd });
      expect(forced.status).toBe(0);
      expect(readFileSync(join(cwd, 'mine.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=/);
    });
  });
});

describe('acksim run --all', () => {
  it('runs every built-in from a folder outside the repository, named by their names', async () => {
    await inTempFolder(async (cwd) => {
      const r = await acksimInProcess(['run', '--all', '--messages', '20', '--format', 'json', '--no-shrink'], { cwd });
      expect([0, 1]).toContain(r.status);
      const report = JSON.parse(r.stdout) as { scenarios: { name: string; file: string }[] };
      expect(report.scenarios.map((s) => s.file)).toEqual(builtinNames());
      expect(report.scenarios.map((s) => s.name)).toEqual(builtinNames());
    });
  });
});
