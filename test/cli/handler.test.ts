// `--handler <module>`: the user's consumer code from the command line gives the numbers the library gives, is
// explored and replayed with it, and a module that cannot serve is refused in one line.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { expect } from 'expect';
import { simulate, type Handler } from '../../src/api/index.js';
import { fromRoot } from '../root.js';
import { acksim } from './run-cli.js';

const handlers = fromRoot('test/cli/fixtures/handlers');
const module = (name: string) => join(handlers, `${name}.mjs`);
const temp = mkdtempSync(join(tmpdir(), 'acksim-handler-'));
after(() => rmSync(temp, { recursive: true, force: true }));

describe('acksim --handler', () => {
  it('run: the same report as simulate with the same handler, its reproduce naming the module', async () => {
    const cli = acksim([
      'run',
      'lost-acks',
      '--mode',
      'at-least-once',
      '--handler',
      module('naive'),
      '--format',
      'json',
    ]);
    const { handler, checks } = (await import(module('naive'))) as { handler: Handler; checks: string[] };
    const api = await simulate('lost-acks', { mode: 'at-least-once', handler, checks, shrink: false });
    const report = JSON.parse(cli.stdout) as typeof api.report;
    expect(cli.status).toBe(api.exitCode);
    expect(report.scenarios[0]!.reproduce).toBe(
      `acksim run lost-acks --seed 1 --handler ${module('naive')} --mode at-least-once`,
    );
    expect({ ...report.scenarios[0]!, reproduce: '' }).toEqual({ ...api.report.scenarios[0]!, reproduce: '' });
    // Its own checks (export const checks) replace the handler's default ones.
    expect(report.scenarios[0]!.results[0]!.checks.map((c) => c.expr)).toEqual(['lost == 0']);
  });

  it('run finds the crash between two writes, shrinks it, and replay --handler fails again', () => {
    const cwd = mkdtempSync(join(temp, 'run-'));
    const run = acksim(
      [
        'run',
        'crash-after-effect',
        '--mode',
        'at-least-once',
        '--runs',
        '20',
        '--handler',
        module('charge-twice-writes'),
      ],
      { cwd },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/duplicates == 0/);
    const [file] = readdirSync(join(cwd, 'acksim-failures'));
    const replayed = acksim(['replay', join('acksim-failures', file!), '--handler', module('charge-twice-writes')], {
      cwd,
    });
    expect(replayed.status).toBe(1);
    expect(replayed.stdout).toMatch(
      /consumer crash in the handler, before its write 2\n {4}after set\('balance'\), before set\('charged:\d+'\)/,
    );
    // run's own output says what went wrong in the handler, then the fault, under the shrunk line.
    expect(run.stderr.replace(/\n {4}/g, ' ')).toMatch(
      /\n {2}your handler ran the effect of #(\d+) twice: the consumer crashed after set\('balance'\) and before set\('charged:\1'\)\n {2}fault: #\1 delivery \d+: consumer crash in the handler, before its write 2\n {2}replay: /,
    );
  });

  it('explore --handler: broken in one fault, the crash between the writes', () => {
    const explored = acksim([
      'explore',
      'crash-after-effect',
      '--mode',
      'at-least-once',
      '--handler',
      module('charge-twice-writes'),
    ]);
    expect(explored.stdout).toMatch(
      /no duplicate: broken in [\d,]+ schedule\(s\); smallest case 1 fault\(s\): #\d+ delivery \d+: consumer crash in the handler, before its write 2/,
    );
    expect(explored.stdout).toMatch(/processed == produced: holds in every schedule/);
  });

  it("a handler's misuse while the event log is written is its own line, not a problem of the file", () => {
    const cwd = mkdtempSync(join(temp, 'events-'));
    const args = ['run', 'lost-acks', '--mode', 'exactly-once', '--messages', '500', '--events', 'ev.jsonl'];
    const run = acksim([...args, '--handler', module('clock-late')], { cwd });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^acksim: handler: it called Date\.now\(\) for message \d+: the run would not replay/m);
    expect(run.stderr).not.toMatch(/cannot write --events/);
  });

  it('a ctx used by a timer the handler left behind fails every command that ran it, exit 2', () => {
    for (const command of [
      ['run', 'lost-acks', '--messages', '50'],
      ['trace', 'lost-acks', '--mode', 'at-least-once', '--messages', '20'],
      ['explain', 'lost-acks', '--mode', 'at-least-once', '--message', '3'],
      ['compare', 'lost-acks', '--messages', '50'],
    ]) {
      const ran = acksim([...command, '--handler', module('late-timer')]);
      expect({ command: command[0], status: ran.status, stderr: ran.stderr }).toEqual({
        command: command[0],
        status: 2,
        stderr: expect.stringMatching(/acksim: handler: ctx\.store\.set\('late:\d+'\) was called after its call/),
      });
    }
  });

  it('a module that cannot serve is refused in one line, exit 2', () => {
    const cases: [string, RegExp][] = [
      [join(handlers, 'missing.mjs'), /^acksim: --handler \S+missing\.mjs: no such file \(allowed: /],
      [handlers, /^acksim: --handler \S+handlers: not a file/],
      [module('broken'), /^acksim: --handler \S+broken\.mjs: cannot be loaded: database URL missing$/],
      [module('no-handler'), /^acksim: --handler \S+no-handler\.mjs: exports no function named handler/],
    ];
    for (const [path, message] of cases) {
      const r = acksim(['run', 'lost-acks', '--handler', path]);
      expect({ path, status: r.status, stderr: r.stderr.trim(), stdout: r.stdout }).toEqual({
        path,
        status: 2,
        stderr: expect.stringMatching(message),
        stdout: '',
      });
    }
    const workers = acksim(['run', 'lost-acks', '--runs', '4', '--workers', '2', '--handler', module('naive')]);
    expect(workers).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/workers: 2 \(allowed: 1 with a handler/),
    });
  });

  it('trace, compare, sweep and explain run the handler too: one that has no effect loses every message', () => {
    const none = module('never-effect');
    const trace = acksim(['trace', 'lost-acks', '--mode', 'at-least-once', '--message', '0', '--handler', none]);
    expect(trace.stdout).toMatch(/#0 lost \(cause: handlerNoEffect, your handler/);
    const compare = acksim(['compare', 'lost-acks', '--messages', '50', '--format', 'json', '--handler', none]);
    const metrics = (JSON.parse(compare.stdout) as { metrics: Record<string, { lost: number }> }).metrics;
    expect(Object.values(metrics).map((m) => m.lost)).toEqual([50, 50, 50]);
    const sweep = acksim([
      'sweep',
      'lost-acks',
      '--param',
      'network.ack.loss=0,0.1',
      '--metric',
      'lost',
      '--messages',
      '50',
      '--mode',
      'at-least-once',
      '--format',
      'json',
      '--handler',
      none,
    ]);
    const points = (JSON.parse(sweep.stdout) as { points: { results: { mean: { lost: number } }[] }[] }).points;
    expect(points.map((p) => p.results[0]!.mean.lost)).toEqual([50, 50]);
    const explain = acksim(['explain', 'lost-acks', '--lost', '--messages', '20', '--count', '1', '--handler', none]);
    expect(explain.stdout).toMatch(/lost \(cause: handlerNoEffect/);
  });
});
