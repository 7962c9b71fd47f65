// acksim installed the ways a user installs it, each in an empty project outside the repository: the
// tarball `npm pack` makes (what a registry publish would hold), and a git dependency (built by its
// `prepare` script). Cost: measured at 2.7 min wall (70 s of CPU) on 2 cores shared with other work
// and a warm npm cache: the pack builds once (about 30 s unloaded), the git dependency installs the
// devDependencies and builds in its own clone (90-140 s), so the two run side by side, and scripts/test.mjs
// starts this file first. The npm registry
// (or its cache) must be reachable for the dependencies.
import { after, before, describe, it } from 'node:test';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect } from 'expect';
import { parse } from 'yaml';
import { builtinNames } from '../../src/scenario/load.js';
import { ROOT, fromRoot } from '../root.js';

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** npm's own variables (npm_config_*, npm_lifecycle_*) left by `npm test` would steer the npm we start. */
const ENV: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter(
    (entry): entry is [string, string] => !/^npm_/i.test(entry[0]) && entry[1] !== undefined,
  ),
);
Object.assign(ENV, { NO_COLOR: '1', npm_config_update_notifier: 'false' });

const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];
const MINUTES = 60_000;

/** Runs a command to its end (never throws on a failure: the status says it). */
function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env: { ...ENV, ...env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      done({ status, stdout, stderr });
    });
  });
}

/** As `run`, and fails the test (with what the command said) unless it exits 0. */
async function ok(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<string> {
  const ran = await run(command, args, cwd, env);
  if (ran.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${ran.status}\n${ran.stdout}\n${ran.stderr}`);
  return ran.stdout;
}

/** An empty project folder holding only a package.json. */
function emptyProject(folder: string): string {
  mkdirSync(folder);
  writeFileSync(
    join(folder, 'package.json'),
    `${JSON.stringify({ name: 'user-project', version: '1.0.0', private: true })}\n`,
  );
  return folder;
}

/** The file the `# yaml-language-server: $schema=` line of `file` points at, as written and resolved. */
function schemaLine(file: string): { written: string; resolved: string } {
  const written = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(file, 'utf8'))?.[1];
  if (written === undefined) throw new Error(`${file} has no schema line`);
  return { written, resolved: resolve(dirname(file), written) };
}

/** The steps of the README's workflow `name` that run commands, in order. */
function workflowSteps(name: string): string[] {
  const readme = readFileSync(fromRoot('README.md'), 'utf8');
  const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((text) => text.startsWith(`# ${name}\n`));
  if (block === undefined) throw new Error(`README.md has no workflow ${name}`);
  const workflow = parse(block) as { jobs: Record<string, { steps: { run?: string }[] }> };
  return Object.values(workflow.jobs).flatMap((job) =>
    job.steps.flatMap((step) => (step.run === undefined ? [] : [step.run])),
  );
}

/** The scenario names `acksim list` printed: a name starts each entry; a lesson too long for its line is under it,
 * indented. */
function namesListed(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => /^\S/.test(line))
    .map((line) => line.split(' ')[0]!);
}

/** The paths a pack or publish --json lists (npm 11 keys publish's by package name). */
function listedFiles(json: string): string[] {
  const parsed = JSON.parse(json) as unknown;
  const entry = (Array.isArray(parsed) ? parsed[0] : ((parsed as Record<string, unknown>).acksim ?? parsed)) as {
    files: { path: string }[];
  };
  return entry.files.map((f) => f.path);
}

const temp = mkdtempSync(join(tmpdir(), 'acksim-install-'));
after(() => rmSync(temp, { recursive: true, force: true }));

// The two ways run side by side (each waits mostly on npm); the steps within each, one at a time.
describe('acksim installed where it is used', { concurrency: 2 }, () => {
  describe('installed from the packed tarball, in an empty project', { timeout: 15 * MINUTES, concurrency: 1 }, () => {
    const source = join(temp, 'source');
    const project = join(temp, 'user-project');
    let tarball = '';
    let packed: string[] = [];
    const acksim = (...args: string[]) => run('npx', ['--no', 'acksim', ...args], project);

    before(async () => {
      // A copy of the working tree as git sees it (no dist/): the pack must build it itself, and must not
      // rebuild the dist/ the other tests are running.
      const tracked = await ok('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT);
      for (const file of tracked.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)))) {
        mkdirSync(dirname(join(source, file)), { recursive: true });
        cpSync(join(ROOT, file), join(source, file));
      }
      symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'));
      const pack = await ok('npm', ['pack', '--json', '--pack-destination', temp], source);
      packed = listedFiles(pack);
      tarball = join(temp, (JSON.parse(pack) as { filename: string }[])[0]!.filename);
      emptyProject(project);
      await ok('npm', ['install', tarball, ...NPM_FLAGS], project);
    });

    it('holds dist/ (built by prepare), bin, schema, scenarios and docs, and no build tools, tests or sources', () => {
      expect(packed).toEqual(
        expect.arrayContaining(['bin/acksim.js', 'dist/cli/main.js', 'schema/scenario.schema.json', 'README.md']),
      );
      expect(packed).toEqual(expect.arrayContaining(builtinNames().map((name) => `scenarios/${name}.yaml`)));
      expect(packed).toContain('docs/scenario-format.md');
      expect(packed.filter((path) => /^(src|test|dist-test|bench|dist\/build)\/|\.map$|\.ts$/.test(path))).toEqual([]);
    });

    it('npm publish --dry-run lists the same files, dist/ among them', async () => {
      // --ignore-scripts: prepare (which publish runs first, as pack does) has just built dist/ for the pack.
      const published = listedFiles(await ok('npm', ['publish', '--dry-run', '--json', '--ignore-scripts'], source));
      expect(published.filter((path) => path.startsWith('dist/')).length).toBeGreaterThan(20);
      expect([...published].sort()).toEqual([...packed].sort());
    });

    it('npx acksim list and run lost-acks work', async () => {
      const list = await acksim('list');
      expect(list.status).toBe(0);
      expect(namesListed(list.stdout)).toEqual(builtinNames());
      const lostAcks = await acksim('run', 'lost-acks');
      expect(lostAcks).toMatchObject({ status: 0, stderr: '' });
      expect(lostAcks.stdout).toMatch(/^lost-acks — /);
      expect(lostAcks.stdout).toMatch(/PASS: 8 checks in 1 scenario\n$/);
    });

    it('npx acksim validate reads every built-in the package holds, and finds each valid', async () => {
      // That they all pass their checks is test/scenarios/builtins.test.ts's (same files, same build): running
      // them all again here (run --all) cost a minute of CPU on 2 cores and proved nothing the install changes.
      const all = await acksim('validate', join('node_modules', 'acksim', 'scenarios'));
      expect(all).toMatchObject({ status: 0, stderr: '' });
      const valid = [...all.stdout.matchAll(/^ok {2}node_modules\/acksim\/scenarios\/([\w-]+)\.yaml\b/gm)].map(
        (m) => m[1],
      );
      expect(valid).toEqual(builtinNames());
    });

    it('npx acksim init my-queue writes a scenario that runs, its schema line pointing into node_modules/acksim', async () => {
      expect((await acksim('init', 'my-queue')).status).toBe(0);
      const schema = schemaLine(join(project, 'my-queue.yaml'));
      expect(schema.written).toBe('node_modules/acksim/schema/scenario.schema.json');
      expect(JSON.parse(readFileSync(schema.resolved, 'utf8'))).toEqual(
        JSON.parse(readFileSync(fromRoot('schema/scenario.schema.json'), 'utf8')),
      );
      const mine = await acksim('run', 'my-queue.yaml');
      expect(mine.status).toBe(0);
      expect(mine.stdout).toMatch(/^my-queue — /);
    });

    it("the README's CI workflow runs green in a project with its own scenarios/", async () => {
      // The user's repository as CI checks it out: package.json, package-lock.json and scenarios/, no node_modules.
      const ci = join(temp, 'ci-project');
      // Its scenario was written by init in the user's own copy, where node_modules/ sits where npm ci puts it.
      mkdirSync(join(project, 'scenarios'));
      expect((await acksim('init', 'scenarios/orders')).status).toBe(0);
      mkdirSync(ci);
      for (const file of ['package.json', 'package-lock.json', 'scenarios'])
        cpSync(join(project, file), join(ci, file), { recursive: true });
      const summary = join(temp, 'step-summary.md');
      const steps = workflowSteps('.github/workflows/delivery.yml');
      expect(steps[0]).toBe('npm ci');
      for (const step of steps) {
        // GitHub's default shell for run steps.
        const ran = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step], ci, {
          GITHUB_STEP_SUMMARY: summary,
        });
        expect({ step, ...ran, status: ran.status }).toMatchObject({ step, status: 0 });
      }
      expect(readFileSync(join(ci, 'acksim.xml'), 'utf8')).toMatch(/<testsuites name="acksim"[\s\S]*orders/);
      expect(readFileSync(summary, 'utf8')).toMatch(/orders/);
      expect(existsSync(schemaLine(join(ci, 'scenarios', 'orders.yaml')).resolved)).toBe(true);
    });
  });

  describe('installed as a git dependency', { timeout: 15 * MINUTES }, () => {
    it('npm install git+file://… builds it (prepare) and npx acksim list works', async (t) => {
      const head = await run('git', ['rev-parse', 'HEAD'], ROOT);
      if (head.status !== 0) {
        t.skip('not a git checkout');
        return;
      }
      // The committed state: a clone of HEAD, as a user's npm would fetch it.
      const clone = join(temp, 'clone');
      await ok('git', ['clone', '--quiet', '--no-checkout', ROOT, clone], temp);
      const project = emptyProject(join(temp, 'git-project'));
      await ok('npm', ['install', `git+file://${clone}#${head.stdout.trim()}`, ...NPM_FLAGS], project);
      expect(existsSync(join(project, 'node_modules', 'acksim', 'dist', 'cli', 'main.js'))).toBe(true);
      const list = await run('npx', ['--no', 'acksim', 'list'], project);
      expect(list.status).toBe(0);
      expect(namesListed(list.stdout)).toEqual(builtinNames());
    });
  });
});
