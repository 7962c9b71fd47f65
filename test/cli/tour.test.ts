// acksim tour (what npm start runs) and the overload warning, as a user sees them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { readFileSync } from 'node:fs';
import { TOUR_LESSONS } from '../../src/cli/tour-command.js';
import { acksimInProcess, acksimProcess } from './run-cli.js';
import { fromRoot } from '../root.js';

/**
 * The tour at 80 columns with --progress, run once for the tests that read it (it runs every built-in lesson):
 * in a real process, since progress lines go to the process's own stderr.
 */
let tourRun: ReturnType<typeof acksimProcess> | undefined;
const tour80 = () => (tourRun ??= acksimProcess(['tour', '--progress'], { env: { COLUMNS: '80' } }));

describe('acksim tour', () => {
  it('shows a few lessons in under 60 lines, each with its takeaway and numbers, then how to run them all', () => {
    const r = tour80();
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThan(60);
    expect(TOUR_LESSONS.length).toBeGreaterThanOrEqual(3);
    expect(TOUR_LESSONS.length).toBeLessThanOrEqual(5);
    TOUR_LESSONS.forEach((name, i) => {
      const block = r.stdout.split('\n\n').find((b) => b.startsWith(`${i + 1}. ${name}:`));
      expect(block).toBeDefined();
      expect(block).toMatch(/loss +[\d.]+% {2}dup +[\d.]+%/);
      expect(block).toContain(`more: acksim run ${name}`);
    });
    expect(lines.at(-2)).toBe('Every number and check of them: acksim run --all');
    // The lesson of lost acks, in numbers: duplicates under at-least-once only.
    expect(r.stdout).toMatch(/at-least-once +loss +0% +dup +[1-9][\d.]*% +ackLost \d+/);
  });

  it('runs every built-in lesson and ends with their verdict, which is its exit code, as run --all gives it', async () => {
    const tour = tour80();
    const all = await acksimInProcess(['run', '--all', '--no-shrink', '--quiet'], { columns: '80' });
    const verdict = /^All (\d+) lessons: (\w+): (\d+) checks/m.exec(tour.stdout);
    const summary = /^(\w+): (\d+) checks in (\d+) scenarios$/m.exec(all.stdout);
    expect(verdict).not.toBeNull();
    expect(summary).not.toBeNull();
    expect([verdict![1], verdict![2], verdict![3]]).toEqual([summary![3], summary![1], summary![2]]);
    expect(tour.status).toBe(all.status);
  });

  it('shows progress while it runs: lines on stderr with --progress (a log), and nothing on stdout but the tour', () => {
    // Every mode ends in one slice of events here: the tick after each mode is what a batch shows.
    const r = tour80();
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^progress: \d+% \([\d,]+ of [\d,]+\) · [\w-]+ · [\w-]+$/m);
    expect(r.stdout).not.toContain('progress:');
  });

  it('is what npm start runs', () => {
    const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toMatch(/acksim\.js tour$/);
  });
});

describe('overload warning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'acksim-overload-'));
  const write = (name: string, processingMs: number) => {
    writeFileSync(
      join(dir, name),
      `summary: a producer against two consumers\nmessages: 300\nproducer: { ratePerSec: 100 }\nconsumers: { count: 2, processingMs: ${processingMs} }\nmodes: [at-least-once]\n`,
    );
    return name;
  };

  it('run and validate warn, with the numbers, when the producer outruns the consumers', async () => {
    const file = write('slow.yaml', 50);
    const run = await acksimInProcess(['run', file], { cwd: dir });
    expect(run.stdout.replace(/\s+/g, ' ')).toMatch(
      /warning: overloaded: the producer sends 100 msg\/s, the consumers can process 40 msg\/s \(2 consumers, 50 ms mean processing\)/,
    );
    const validate = await acksimInProcess(['validate', file], { cwd: dir });
    expect(validate.status).toBe(0);
    expect(validate.stdout).toMatch(/warning: overloaded: the producer sends 100 msg\/s/);
  });

  it('stays silent when the consumers keep up', async () => {
    const file = write('fast.yaml', 10);
    expect((await acksimInProcess(['run', file], { cwd: dir })).stdout).not.toMatch(/warning/);
    expect((await acksimInProcess(['validate', file], { cwd: dir })).stdout).not.toMatch(/warning/);
  });
});
