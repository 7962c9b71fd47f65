// Files acksim writes (--out, --events, acksim-failures/) never go through a link, never replace a
// special file or an input, and leave no temp file behind: what a committed symlink or a hostile path
// in a pull request could otherwise make CI overwrite.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { writeAtomically } from '../../src/cli/output.js';
import { fromRoot } from '../root.js';
import { acksimInProcess } from './in-process.js';
import { acksim } from './run-cli.js';
import { parseReport } from '../report-contract.js';

const folder = () => mkdtempSync(join(tmpdir(), 'acksim-out-'));
const passing = fromRoot('test/cli/fixtures/passing.yaml');
const failing = fromRoot('test/cli/fixtures/failing.yaml');
const oneLine = (stderr: string) => expect(stderr.trimEnd().split('\n')).toHaveLength(1);

describe('--out and --events refuse what is not a regular file or absent, even with --force', () => {
  it('a FIFO stays a FIFO (not opened, not replaced)', async () => {
    const dir = folder();
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    for (const args of [
      ['run', passing, '--out', 'pipe'],
      ['run', passing, '--out', 'pipe', '--force'],
      ['run', passing, '--mode', 'at-least-once', '--events', 'pipe', '--force'],
    ]) {
      const r = await acksimInProcess(args, dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        /^acksim: --(out|events) pipe is a FIFO \(named pipe\) \(allowed: a regular file or a new path\)\n$/,
      );
      expect(lstatSync(join(dir, 'pipe')).isFIFO()).toBe(true);
    }
  });

  it('a device node stays a device node', async () => {
    const dir = folder();
    // A private copy of /dev/null when root may make one: replacing the real one would break the machine.
    const device = process.getuid?.() === 0 ? join(dir, 'null') : '/dev/null';
    if (device !== '/dev/null') execFileSync('mknod', [device, 'c', '1', '3']);
    const r = await acksimInProcess(['run', passing, '--out', device, '--force'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is a character device \(allowed: a regular file or a new path\)\n$/);
    oneLine(r.stderr);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it('a symbolic link is refused, not followed and not replaced, wherever it points', async () => {
    const dir = folder();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    symlinkSync(victim, join(dir, 'to-victim'));
    symlinkSync('/proc/self/fd/1', join(dir, 'to-stdout'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    for (const link of ['to-victim', 'to-stdout', 'dangling']) {
      for (const flag of ['--out', '--events']) {
        const r = await acksimInProcess(['run', passing, '--mode', 'at-least-once', flag, link, '--force'], dir);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(
          `acksim: ${flag} ${link} is a symbolic link; acksim does not write through links (allowed: a regular file or a new path)\n`,
        );
        expect(lstatSync(join(dir, link)).isSymbolicLink()).toBe(true);
      }
    }
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('a folder is refused; --out and --events naming one file are refused', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'reports'));
    const r = await acksimInProcess(['run', passing, '--out', 'reports', '--force'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('acksim: --out reports is a folder (allowed: a file path)\n');
    const both = await acksimInProcess(
      ['run', passing, '--mode', 'at-least-once', '--out', 'x.json', '--events', './x.json'],
      dir,
    );
    expect(both.status).toBe(2);
    expect(both.stderr).toBe(
      'acksim: --out x.json and --events ./x.json are the same file (allowed: two different paths)\n',
    );
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });
});

describe('a path in a folder that does not exist', () => {
  it('every write path names the path as given and says its folder does not exist (no temp name, nothing written)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-nodir-'));
    writeFileSync(join(dir, 'log.jsonl'), '{"type":"publish","id":"1","ts":1}\n');
    const shard = await acksimInProcess(
      ['run', passing, '--runs', '2', '--messages', '20', '--format', 'json', '--out', 'shard.json'],
      dir,
    );
    expect(shard.status).toBe(0);
    for (const [args, flag, path] of [
      [['run', passing, '--messages', '20', '--format', 'json', '--out', 'nodir/x.json'], '--out', 'nodir/x.json'],
      [
        ['run', passing, '--messages', '20', '--mode', 'at-least-once', '--events', 'nodir/e.jsonl'],
        '--events',
        'nodir/e.jsonl',
      ],
      [
        ['sweep', passing, '--param', 'network.ack.loss=0,0.1', '--messages', '20', '--out', 'nodir/s.csv'],
        '--out',
        'nodir/s.csv',
      ],
      [['audit', join(dir, 'log.jsonl'), '--out', 'nodir/a.json'], '--out', 'nodir/a.json'],
      [['merge', 'shard.json', '--out', 'nodir/m.json'], '--out', 'nodir/m.json'],
    ] as const) {
      const r = await acksimInProcess(args, dir);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).toBe(`acksim: cannot write ${flag} ${path}: its folder does not exist\n`);
    }
    expect(readdirSync(dir).sort()).toEqual(['log.jsonl', 'shard.json']);
  });
});

describe('writes never follow a planted link', () => {
  it('a link at the old predictable temp name (.acksim-tmp-<pid>-<name>) is not written through', async () => {
    const dir = folder();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    symlinkSync(victim, join(dir, `.acksim-tmp-${process.pid}-report.json`));
    symlinkSync(victim, join(dir, `.acksim-tmp-${process.pid}-events.jsonl`));
    const r = await acksimInProcess(
      [
        'run',
        passing,
        '--mode',
        'at-least-once',
        '--format',
        'json',
        '--out',
        'report.json',
        '--events',
        'events.jsonl',
      ],
      dir,
    );
    expect(r.status).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(parseReport(readFileSync(join(dir, 'report.json'), 'utf8')).formatVersion).toBe(3);
    expect(lstatSync(join(dir, 'report.json')).isFile()).toBe(true);
    expect(
      readdirSync(dir).filter((name) => name.startsWith('.acksim-tmp-') && !name.includes(String(process.pid))),
    ).toEqual([]);
  });

  it('a failed write removes its temp file and keeps the target', () => {
    const dir = folder();
    writeFileSync(join(dir, 'report.json'), 'before\n');
    expect(() =>
      writeAtomically(join(dir, 'report.json'), () => {
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      }),
    ).toThrow('disk full');
    expect(readdirSync(dir)).toEqual(['report.json']);
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('before\n');
  });
});

describe('acksim-failures/', () => {
  it('a symlinked acksim-failures folder is refused: nothing written there, the verdict stands (exit 1)', async () => {
    const dir = folder();
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(dir, 'acksim-failures'));
    const r = await acksimInProcess(['run', failing, '--shrink-budget', '5'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /could not be written: acksim-failures is a symbolic link; acksim does not write through links\n$/,
    );
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a failure file that is a symlink is not written through', async () => {
    const dir = folder();
    const victim = join(dir, 'bashrc');
    writeFileSync(victim, 'alias ls=ls\n');
    // The first run says which file it writes; a second run meets a link planted there.
    const first = await acksimInProcess(['run', failing, '--shrink-budget', '5'], dir);
    const file = /replay: acksim replay (\S+)/.exec(first.stderr)![1]!;
    const written = readFileSync(join(dir, file), 'utf8');
    expect(JSON.parse(written).acksimFailure).toBeDefined();
    execFileSync('rm', [join(dir, file)]);
    symlinkSync(victim, join(dir, file));
    const r = await acksimInProcess(['run', failing, '--shrink-budget', '5'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /could not be written: acksim-failures\/\S+ is a symbolic link; acksim does not write through links\n$/,
    );
    expect(readFileSync(victim, 'utf8')).toBe('alias ls=ls\n');
  });

  it('an acksim-failures that cannot be made a folder keeps the verdict (exit 1), in one line, not an internal error', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'acksim-failures'), 'a file in the way\n');
    const r = await acksimInProcess(['run', failing, '--shrink-budget', '5'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /the failure file acksim-failures\/\S+ could not be written: acksim-failures is a regular file, not a folder\n$/,
    );
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

describe('never replace an input, however it is reached', () => {
  it('merge --out refuses a shard reached through a hard link or a path through a symlinked folder, even with --force', () => {
    const dir = folder();
    for (const i of [1, 2]) {
      const args = [
        'run',
        'lost-acks',
        '--messages',
        '100',
        '--runs',
        '4',
        '--shard',
        `${i}/2`,
        '--format',
        'json',
        '--no-shrink',
      ];
      const r = acksim([...args, '--out', `shard-${i}.json`], { cwd: dir });
      expect(r.status === 0 || r.status === 1).toBe(true);
    }
    mkdirSync(join(dir, 'x', 'y'), { recursive: true });
    copyFileSync(join(dir, 'shard-1.json'), join(dir, 'x', 'shard-1.json'));
    symlinkSync(join(dir, 'x', 'y'), join(dir, 'l'));
    linkSync(join(dir, 'shard-2.json'), join(dir, 'hard.json'));
    const before = readFileSync(join(dir, 'shard-2.json'), 'utf8');
    const hard = acksim(
      ['merge', 'shard-1.json', 'shard-2.json', '--format', 'json', '--out', 'hard.json', '--force'],
      { cwd: dir },
    );
    expect(hard.status).toBe(2);
    expect(hard.stderr).toBe('acksim: --out hard.json is one of the inputs (shard-2.json); refusing to overwrite it\n');
    expect(readFileSync(join(dir, 'hard.json'), 'utf8')).toBe(before);
    // l/../shard-1.json is x/shard-1.json to the kernel, shard-1.json to a lexical resolve.
    const through = acksim(
      ['merge', 'l/../shard-1.json', 'shard-2.json', '--format', 'json', '--out', 'x/shard-1.json'],
      { cwd: dir },
    );
    expect(through.status).toBe(2);
    expect(through.stderr).toBe(
      'acksim: --out x/shard-1.json is one of the inputs (l/../shard-1.json); refusing to overwrite it\n',
    );
  });

  it('run --out refuses a hard link to its input scenario, even with --force', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'scenario.yaml'), 'messages: 10\n');
    linkSync(join(dir, 'scenario.yaml'), join(dir, 'report.txt'));
    const r = await acksimInProcess(['run', 'scenario.yaml', '--out', 'report.txt', '--force'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('acksim: --out report.txt is one of the inputs (scenario.yaml); refusing to overwrite it\n');
    expect(readFileSync(join(dir, 'scenario.yaml'), 'utf8')).toBe('messages: 10\n');
  });
});

describe('writes never go through a symlinked folder below the working folder', () => {
  /** A working folder with `reports` and `out/deep` linked to a folder outside it. */
  function planted(): { dir: string; elsewhere: string } {
    const root = folder();
    const dir = join(root, 'project');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(join(dir, 'out'), { recursive: true });
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'victim.xml'), 'keep me\n');
    symlinkSync(elsewhere, join(dir, 'reports'));
    symlinkSync(elsewhere, join(dir, 'out', 'deep'));
    writeFileSync(join(dir, 's.yaml'), 'messages: 20\n');
    return { dir, elsewhere };
  }

  it('--out, --events, merge --out, sweep --out and live --events refuse a path through one, in one line, exit 2', async () => {
    const { dir, elsewhere } = planted();
    const cases: Array<[string[], string, string]> = [
      [
        ['run', 's.yaml', '--format', 'junit', '--out', 'reports/victim.xml', '--force'],
        '--out reports/victim.xml',
        'reports',
      ],
      [['run', 's.yaml', '--out', 'reports/../victim.xml'], '--out reports/../victim.xml', 'reports'],
      [['run', 's.yaml', '--out', `${dir}/reports/new.json`], `--out ${dir}/reports/new.json`, `${dir}/reports`],
      [['run', 's.yaml', '--out', './out/deep/new.json'], '--out ./out/deep/new.json', './out/deep'],
      [
        ['run', 's.yaml', '--mode', 'at-least-once', '--events', 'reports/e.jsonl'],
        '--events reports/e.jsonl',
        'reports',
      ],
      [['merge', 'shard-1.json', '--out', 'reports/merged.json'], '--out reports/merged.json', 'reports'],
      [
        ['sweep', 's.yaml', '--param', 'messages=10,20', '--out', 'reports/sweep.json'],
        '--out reports/sweep.json',
        'reports',
      ],
      [
        ['live', 's.yaml', '--broker', 'redis://127.0.0.1:1', '--events', 'reports/live.jsonl'],
        '--events reports/live.jsonl',
        'reports',
      ],
    ];
    for (const [args, target, link] of cases) {
      const r = await acksimInProcess(args, dir);
      expect({ args, stderr: r.stderr }).toEqual({
        args,
        stderr: `acksim: ${target}: ${link} is a symbolic link; acksim does not write through links (allowed: real folders below the working folder)\n`,
      });
      expect(r.status).toBe(2);
    }
    expect(readdirSync(elsewhere)).toEqual(['victim.xml']);
    expect(readFileSync(join(elsewhere, 'victim.xml'), 'utf8')).toBe('keep me\n');
  });

  it("links above or outside the working folder are the machine's own and are followed (macOS /tmp -> /private/tmp)", async () => {
    const { dir } = planted();
    const root = join(dir, '..');
    mkdirSync(join(root, 'real-out'));
    symlinkSync(join(root, 'real-out'), join(root, 'tmp-link'));
    symlinkSync(root, join(root, 'root-link'));
    const outside = await acksimInProcess(
      ['run', 's.yaml', '--out', join(root, 'tmp-link', 'r.json'), '--format', 'json'],
      dir,
    );
    // Written; the scenario has no check, so nothing was judged (exit 3).
    expect(outside.status).toBe(3);
    expect(existsSync(join(root, 'real-out', 'r.json'))).toBe(true);
    // The working folder reached through a link, named absolutely, then a real folder below it.
    mkdirSync(join(dir, 'real'));
    const through = await acksimInProcess(
      ['run', 's.yaml', '--out', join(root, 'root-link', 'project', 'real', 'r.json')],
      dir,
    );
    expect(through.status).toBe(3);
    expect(existsSync(join(dir, 'real', 'r.json'))).toBe(true);
    // ... but not a link below it, however the working folder is reached.
    const below = await acksimInProcess(
      ['run', 's.yaml', '--out', join(root, 'root-link', 'project', 'reports', 'r.json')],
      dir,
    );
    expect(below.status).toBe(2);
    expect(below.stderr).toMatch(/project\/reports is a symbolic link; acksim does not write through links/);
  });
});

describe('a failure file replaces only an earlier failure file', () => {
  /** A JSON scenario named x whose at-most-once run loses messages (so `lost == 0` fails and is shrunk). */
  const scenarioX =
    '{"name": "x", "messages": 200, "network": {"deliver": {"loss": 0.05}}, "modes": ["at-most-once"]}\n';
  // The check is part of the name (a slug and a hash of its text), so two failing checks keep two files.
  const failureName = 'x.at-most-once.seed1.lost-0-7968ee75.json';

  it("never its own input: a JSON scenario in acksim-failures/ with the failure file's name is kept, the verdict stands", async () => {
    const dir = folder();
    mkdirSync(join(dir, 'acksim-failures'));
    const input = join('acksim-failures', failureName);
    writeFileSync(join(dir, input), scenarioX);
    const r = await acksimInProcess(['run', input, '--check', 'lost == 0', '--shrink-budget', '5'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^shrunk x at-most-once "lost == 0" .*\n {2}the failure file acksim-failures\/x\.at-most-once\.seed1\.lost-0-7968ee75\.json could not be written: it is one of the inputs; refusing to overwrite it\n$/,
    );
    expect(readFileSync(join(dir, input), 'utf8')).toBe(scenarioX);
    // Nor when the input is named by its folder, or reached through a hard link (same inode).
    linkSync(join(dir, input), join(dir, 'hard.json'));
    for (const path of ['acksim-failures', 'hard.json']) {
      const other = await acksimInProcess(['run', path, '--check', 'lost == 0', '--shrink-budget', '5'], dir);
      expect(other.status).toBe(1);
      expect(other.stderr).toMatch(
        /could not be written: it is one of the inputs( \(hard\.json\))?; refusing to overwrite it\n$/,
      );
      expect(readFileSync(join(dir, input), 'utf8')).toBe(scenarioX);
    }
  });

  it('nor a file it did not write: only a file that starts as a failure file is replaced', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'x.json'), scenarioX);
    mkdirSync(join(dir, 'acksim-failures'));
    const notes = '{"notes": "mine, not acksim\'s", "acksimFailure": 1}\n';
    writeFileSync(join(dir, 'acksim-failures', failureName), notes);
    const kept = await acksimInProcess(['run', 'x.json', '--check', 'lost == 0', '--shrink-budget', '5'], dir);
    expect(kept.status).toBe(1);
    expect(kept.stderr).toMatch(
      /could not be written: a file that is not an acksim failure file has that name; refusing to overwrite it\n$/,
    );
    expect(readFileSync(join(dir, 'acksim-failures', failureName), 'utf8')).toBe(notes);
    // An earlier failure file is replaced.
    execFileSync('rm', [join(dir, 'acksim-failures', failureName)]);
    for (let i = 0; i < 2; i++) {
      const r = await acksimInProcess(['run', 'x.json', '--check', 'lost == 0', '--shrink-budget', '5'], dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        /replay: acksim replay acksim-failures\/x\.at-most-once\.seed1\.lost-0-7968ee75\.json\n$/,
      );
    }
    expect(JSON.parse(readFileSync(join(dir, 'acksim-failures', failureName), 'utf8')).acksimFailure).toBe(1);
  });
});
