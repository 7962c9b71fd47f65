// Many runs from the command line: worker independence, shards and merge, Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { acksim, ROOT } from './run-cli.js';
import { fromRoot } from '../root.js';

/**
 * Starts acksim with --progress, presses Ctrl-C once its first progress line shows the work has begun
 * (its Ctrl-C handler is in place by then), and returns what it did. A slow machine only makes the first
 * line come later; the work (hundreds of runs) is far longer than any wait.
 */
async function interrupted(
  args: readonly string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [fromRoot('bin/acksim.js'), ...args, '--progress'], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (/^progress: /m.test(stderr) && child.exitCode === null && !child.killed) child.kill('SIGINT');
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  return { code, signal, stdout, stderr };
}

const batch = [
  'run',
  'scenarios/lost-acks.yaml',
  'scenarios/crash-after-effect.yaml',
  '--runs',
  '12',
  '--messages',
  '1500',
  '--format',
  'json',
  '--no-shrink',
];

/** The batch with 2 workers, run once: the full report the shard tests merge back to (equal to 1 worker's, below). */
let batchRun: ReturnType<typeof acksim> | undefined;
const batchWith2Workers = () => (batchRun ??= acksim([...batch, '--workers', '2']));

describe('acksim run --runs', () => {
  it('gives byte-identical JSON with 1 and 2 workers', () => {
    const one = acksim([...batch, '--workers', '1']);
    const two = batchWith2Workers();
    expect(one.stderr).toBe('');
    expect(two.stdout).toBe(one.stdout);
    const report = JSON.parse(one.stdout);
    expect(report.scenarios[0].runs).toBe(12);
    expect(report.scenarios[0].results[1].runs.map((r: { seed: number }) => r.seed)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
  });

  it('prints intervals, the worst run and aggregate checks in the table', () => {
    const args = [
      'run',
      'test/cli/fixtures/passing.yaml',
      '--runs',
      '10',
      '--check',
      'at-least-once:upper(duplicateRate) < 9%',
    ];
    const r = acksim([...args, '--check', 'at-least-once:max(lost) == 0']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/10 runs, seeds 1\.\.10/);
    expect(r.stdout).toMatch(/at-least-once +│ +0% \(0–[\d.]+\) │ +[\d.]+% \([\d.]+–[\d.]+\)/);
    expect(r.stdout).toMatch(/worst run: acksim run test\/cli\/fixtures\/passing.yaml --seed \d+ --mode at-least-once/);
    expect(r.stdout).toMatch(/runs that met each fault: ackLost 10\/10/);
    const failing = acksim([...args, '--check', 'at-least-once:upper(duplicateRate) < 1%', '--no-shrink']);
    expect(failing.status).toBe(1);
    expect(failing.stdout).toMatch(/✗ at-least-once: upper\(duplicateRate\) < 1% {2}\(actual [\d.]+ \([\d.]+%\)\)/);
  });

  it('merges shards into exactly the report of one full run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-shards-'));
    const full = batchWith2Workers().stdout;
    const files = [1, 2, 3].map((i) => {
      const file = join(dir, `shard-${i}.json`);
      const shard = acksim([...batch, '--shard', `${i}/3`, '--out', file]);
      expect([0, 1, 3]).toContain(shard.status);
      expect(JSON.parse(readFileSync(file, 'utf8')).scenarios[0].shard).toBe(`${i}/3`);
      return file;
    });
    const merged = acksim(['merge', ...files.reverse(), '--format', 'json']);
    expect(merged.stdout).toBe(full);
  });

  it('refuses to merge an incomplete or doubled set of shards, with exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-shards-'));
    const file = join(dir, 'one.json');
    acksim([...batch, '--shard', '1/2', '--out', file]);
    const missing = acksim(['merge', file]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/missing seeds 7, 8, 9, 10, 11, 12 \(is a shard missing\?\)/);
    expect(acksim(['merge', file, file]).stderr).toMatch(/seed 1 appears in two reports/);
    const single = acksim(['merge', fromRoot('test/golden/lost-acks-small.json')]);
    expect(single.status).toBe(2);
    expect(single.stderr).toMatch(/has no per-run records/);
  });

  it('rejects a bad --shard and --runs with one line and exit 2', () => {
    for (const [args, message] of [
      [['--shard', '3/2'], /--shard 3\/2: not i\/n with 1 <= i <= n/],
      [['--shard', 'half'], /--shard half: not i\/n/],
      [['--runs', '0'], /--runs 0: not an integer in 1\.\.1000000/],
    ] as const) {
      const r = acksim(['run', 'lost-acks', ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('stops on Ctrl-C, prints what finished and exits 130', async () => {
    const { code, signal, stdout, stderr } = await interrupted([
      'run',
      'scenarios/',
      '--runs',
      '400',
      '--workers',
      '2',
      '--messages',
      '300',
    ]);
    // On a failure, the signal that ended it (a clean-clone run once saw no exit code) and its last words on stderr.
    const tail = code === 130 ? '' : stderr.slice(-400);
    expect({ code, signal, tail }).toEqual({ code: 130, signal: null, tail: '' });
    expect(stdout).toMatch(/INTERRUPTED: the report holds only what finished before Ctrl-C/);
    expect(stderr).toMatch(/acksim: interrupted/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('acksim compare and sweep', () => {
  it('compare tells the at-most-once vs at-least-once story per message', () => {
    const r = acksim(['compare', 'lost-deliveries', '--messages', '3000']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/at-most-once → at-least-once, message by message:/);
    expect(r.stdout.replace(/\n +/g, ' ')).toMatch(
      /lost under at-most-once, delivered under at-least-once: \d+ \(e\.g\. #\d+: deliverLostAfterAutoAck\)/,
    );
  });

  it('sweep draws a table and a chart, and writes CSV', () => {
    const r = acksim([
      'sweep',
      'lost-acks',
      '--param',
      'network.ack.loss=0:0.1:0.05',
      '--mode',
      'at-least-once',
      '--messages',
      '1000',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/duplicateRate over network\.ack\.loss/);
    expect(r.stdout).toMatch(/┤/);
    const csv = acksim([
      'sweep',
      'lost-acks',
      '--param',
      'network.ack.loss=0,0.1',
      '--messages',
      '500',
      '--format',
      'csv',
    ]);
    expect(csv.stdout.split('\n')[0]).toMatch(/^network\.ack\.loss,mode,runs,produced,processed,lost/);
    expect(csv.stdout.trim().split('\n')).toHaveLength(1 + 2 * 3);
  });

  for (const [args, message] of [
    [['--param', 'broker.visibility=1:2:1'], /unknown parameter "broker.visibility"/],
    [['--param', 'network.ack.loss=1:0:1'], /bad range/],
    [['--param', 'messages=1:2000:1'], /2000 values is too many/],
    [['--param', 'network.ack.loss=0,1', '--metric', 'dupRate'], /--metric dupRate: unknown metric/],
  ] as const) {
    it(`sweep exits 2 with one line: ${args.join(' ')}`, () => {
      const r = acksim(['sweep', 'lost-acks', ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});

describe('sweep shards', () => {
  it('merge into exactly the sweep of the whole grid, and refuse an incomplete set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-sweep-'));
    const sweep = [
      'sweep',
      'lost-acks',
      '--param',
      'network.ack.loss=0:0.1:0.05',
      '--param',
      'consumers.count=1,2',
      '--messages',
      '400',
      '--runs',
      '2',
      '--format',
      'json',
    ];
    const full = acksim(sweep).stdout;
    const files = [1, 2].map((i) => {
      const file = join(dir, `sweep-${i}.json`);
      expect(acksim([...sweep, '--shard', `${i}/2`, '--out', file]).status).toBe(0);
      return file;
    });
    expect(acksim(['merge', ...files, '--format', 'json']).stdout).toBe(full);
    const csv = acksim(['merge', ...files, '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/^network\.ack\.loss,consumers\.count,mode,runs,/);
    const partial = acksim(['merge', files[0]!]);
    expect(partial.status).toBe(2);
    expect(partial.stderr).toMatch(/missing points \[0\.05,2\], \[0\.1,1\], \[0\.1,2\] \(is a shard missing\?\)/);
  });
});

describe('many runs: refused input', () => {
  it('refuses to merge shards of different configurations or checks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-mix-'));
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    acksim([...batch, '--shard', '1/2', '--out', a, '--check', 'max(lost) == 5']);
    acksim([...batch, '--shard', '2/2', '--out', b]);
    const mixed = acksim(['merge', a, b]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/the shards ran different configurations or checks/);
  });

  it('refuses malformed reports with one line, not an internal error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-bad-'));
    for (const [name, text] of [
      ['null.json', '{"formatVersion":3,"kind":"runs","scenarios":[null]}'],
      [
        'noagg.json',
        '{"formatVersion":3,"kind":"runs","scenarios":[{"name":"x","runs":2,"seed":1,"batch":"b","reproduce":"r","results":[{"mode":"m"}]}]}',
      ],
      ['garbage.json', 'not json'],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const r = acksim(['merge', file]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/internal error/);
    }
  });

  for (const [args, message] of [
    [['--shard', '1/2'], /--shard needs --runs 2 or more/],
    [['--seed', '2147483647', '--runs', '3'], /--runs 3: the last seed would be 2147483649/],
    [['--mode', 'at-most-once', '--check', 'at-least-once:lost == 0'], /mode "at-least-once" is not run/],
  ] as const) {
    it(`exits 2: acksim run lost-acks ${args.join(' ')}`, () => {
      const r = acksim(['run', 'lost-acks', '--messages', '100', ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }
});

describe('compare and sweep stop on Ctrl-C', () => {
  for (const args of [
    ['compare', 'lost-acks', '--runs', '2000'],
    ['sweep', 'lost-acks', '--param', 'network.ack.loss=0:0.5:0.01', '--runs', '20', '--workers', '2'],
  ]) {
    it(`acksim ${args[0]} prints what finished and exits 130`, async () => {
      const { code, stdout, stderr } = await interrupted(args);
      expect(code).toBe(130);
      expect(stdout).toMatch(/INTERRUPTED/);
      expect(stderr).toMatch(/acksim: interrupted/);
    });
  }
});

describe('acksim run --check-determinism', () => {
  it('runs every case twice, adds a passing check per mode, and merges across shards', () => {
    const single = acksim(['run', 'lost-acks', '--messages', '1000', '--check-determinism', '--format', 'json']);
    expect(single.status).toBe(0);
    const modes = JSON.parse(single.stdout).scenarios[0].results;
    for (const mode of modes) {
      expect(mode.checks.at(-1)).toMatchObject({ expr: 'deterministic (every run repeated twice)', status: 'pass' });
      expect(mode.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    }
    const dir = mkdtempSync(join(tmpdir(), 'acksim-det-'));
    const args = ['run', 'lost-acks', '--messages', '500', '--runs', '4', '--check-determinism', '--format', 'json'];
    const full = acksim(args).stdout;
    const files = [1, 2].map((i) => {
      const file = join(dir, `d${i}.json`);
      acksim([...args, '--shard', `${i}/2`, '--out', file]);
      return file;
    });
    expect(acksim(['merge', ...files, '--format', 'json']).stdout).toBe(full);
  });
});
