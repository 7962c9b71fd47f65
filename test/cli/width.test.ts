// Every command's output fits 80 columns when that is all there is: COLUMNS=80, or a pipe (no COLUMNS).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import { displayWidth } from '../../src/report/wrap.js';
import { liveTable } from '../../src/cli/live-command.js';
import { acksimInProcess, acksimProcess } from './run-cli.js';
import { fromRoot } from '../root.js';
import { readExamples } from '../docs/examples.js';

const fromRootFixture = (file: string) => fromRoot(`test/cli/fixtures/${file}`);

/** The lines of `text` wider than `width`, with their width, for a message that shows them. */
function tooWide(text: string, width: number): string[] {
  return text
    .split('\n')
    .filter((line) => displayWidth(line) > width)
    .map((line) => `${displayWidth(line)}: ${line}`);
}

// Exempt, on a line of their own: a command to copy (reproduce, replay) stays whole, however long its
// file names; on stderr, a problem with the input is one line (file:line:col  field  message) that tools
// and editors read. Everything else fits.
const commands = /^ *(reproduce: acksim |replay: acksim replay \S+$|worst run: acksim )/;
const diagnostics = /^(\S+:\d+:\d+|\S+ {2}\(file\)|acksim: | {2}replay: acksim replay \S+$)/;

const folder = mkdtempSync(join(tmpdir(), 'acksim-width-'));
const events = join(folder, 'events.jsonl');

// The tour (every built-in lesson, 6 s of CPU) is not run here: the README shows its output in full, which
// test/docs holds to what acksim prints at 80 columns, and every output shown in full must fit (below).
const COMMANDS: string[][] = [
  ['list'],
  ['run', 'lost-acks'],
  ['run', 'lost-acks', '--runs', '4', '--messages', '2000'],
  ['run', 'retry-storm', 'slow-consumer-retention', 'kafka-producer-retry-without-idempotence', '--messages', '2000'],
  ['run', fromRootFixture('failing.yaml'), '--no-shrink'],
  ['compare', 'lost-acks'],
  ['compare', 'retry-storm', '--messages', '2000'],
  ['sweep', 'lost-acks', '--param', 'network.ack.loss=0:0.1:0.05', '--messages', '2000'],
  [
    'sweep',
    'retry-storm',
    '--param',
    'network.publish.loss=0,0.1',
    '--param',
    'consumers.count=1,2',
    '--messages',
    '1000',
  ],
  ['sweep', 'lost-acks', '--param', 'network.ack.loss=0,0.1', '--metric', 'latencyMs.p99', '--messages', '1000'],
  ['explain', 'lost-acks', '--mode', 'at-least-once', '--duplicated', '--count', '2'],
  ['trace', 'lost-acks', '--mode', 'at-least-once'],
  ['explore', 'lost-acks', '--max-faults', '1'],
  ['explore', 'crash-after-effect', '--max-faults', '1', '--trace', '--mode', 'at-least-once'],
  ['profiles'],
  ['profiles', 'pubsub', '--sources'],
  ['validate', fromRoot('scenarios')],
  ['validate', fromRootFixture('invalid.yaml')],
  ['audit', events],
  ['--help'],
  ...[
    'tour',
    'run',
    'compare',
    'sweep',
    'trace',
    'explain',
    'explore',
    'replay',
    'audit',
    'live',
    'merge',
    'validate',
    'list',
    'profiles',
    'schema',
  ].map((command) => [command, '--help']),
];

describe('output width', () => {
  const saved = process.env.COLUMNS;
  before(async () => {
    process.env.COLUMNS = '80';
    await acksimInProcess(['run', 'lost-acks', '--mode', 'at-least-once', '--messages', '500', '--events', events], {
      cwd: folder,
      columns: process.env.COLUMNS,
    });
  });
  after(() => {
    if (saved === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = saved;
  });

  for (const args of COMMANDS) {
    it(`acksim ${args.join(' ')} fits 80 columns with COLUMNS=80`, async () => {
      const r = await acksimInProcess(args, { cwd: folder, columns: process.env.COLUMNS });
      expect(r.stdout.length + r.stderr.length).toBeGreaterThan(0);
      expect(
        tooWide(
          r.stdout
            .split('\n')
            .filter((line) => !commands.test(line))
            .join('\n'),
          80,
        ),
      ).toEqual([]);
      expect(
        tooWide(
          r.stderr
            .split('\n')
            .filter((line) => !diagnostics.test(line))
            .join('\n'),
          80,
        ),
      ).toEqual([]);
    });
  }

  it('merge and replay fit 80 columns too', async () => {
    for (const shard of ['1/2', '2/2']) {
      const out = join(folder, `shard-${shard[0]!}.json`);
      await acksimInProcess(
        ['run', 'lost-acks', '--runs', '4', '--messages', '500', '--shard', shard, '--format', 'json', '--out', out],
        {
          cwd: folder,
          columns: '80',
        },
      );
    }
    const merged = await acksimInProcess(['merge', 'shard-1.json', 'shard-2.json'], {
      cwd: folder,
      columns: process.env.COLUMNS,
    });
    expect(merged.status).toBe(0);
    expect(
      tooWide(
        merged.stdout
          .split('\n')
          .filter((line) => !commands.test(line))
          .join('\n'),
        80,
      ),
    ).toEqual([]);
    await acksimInProcess(['run', fromRootFixture('failing.yaml'), '--shrink-budget', '5'], {
      cwd: folder,
      columns: process.env.COLUMNS,
    });
    const failure = readdirSync(join(folder, 'acksim-failures'))[0];
    expect(failure).toBeDefined();
    const replay = await acksimInProcess(['replay', join('acksim-failures', failure!)], {
      cwd: folder,
      columns: process.env.COLUMNS,
    });
    expect(replay.stdout).not.toBe('');
    expect(tooWide(replay.stdout, 80)).toEqual([]);
  });

  it('every output the README and docs/ show in full fits 80 columns (test/docs checks they are what acksim prints)', () => {
    const docs = ['README.md', ...readdirSync(fromRoot('docs')).map((file) => `docs/${file}`)].filter((doc) =>
      doc.endsWith('.md'),
    );
    const shown = docs.flatMap((doc) =>
      readExamples(doc, readFileSync(fromRoot(doc), 'utf8')).sessions.flatMap((session) =>
        session.filter(({ output }) => !output.some((line) => line === '...' || line.includes('…'))),
      ),
    );
    const wide = shown.flatMap(({ where, command, output }) =>
      tooWide(output.filter((line) => !commands.test(line) && !diagnostics.test(line)).join('\n'), 80).map(
        (line) => `${where}: ${command}: ${line}`,
      ),
    );
    expect(wide).toEqual([]);
    expect(shown.map(({ command }) => command)).toContain('acksim tour');
  });

  it('narrower terminals get narrower output: run and list at COLUMNS=60', async () => {
    process.env.COLUMNS = '60';
    try {
      for (const args of [
        ['run', 'retry-storm', '--messages', '1000'],
        ['list'],
        ['compare', 'lost-acks', '--messages', '1000'],
      ]) {
        const r = await acksimInProcess(args, { cwd: folder, columns: process.env.COLUMNS });
        expect(tooWide(r.stdout, 60)).toEqual([]);
      }
    } finally {
      process.env.COLUMNS = '80';
    }
  });

  it('a pipe without COLUMNS gets 80 columns (the real binary)', () => {
    for (const args of [['run', 'lost-acks', 'retry-storm'], ['list'], ['--help']]) {
      const r = acksimProcess(args, { env: { COLUMNS: '' } });
      expect(r.status).toBe(0);
      expect(tooWide(r.stdout, 80)).toEqual([]);
    }
  });

  it('the live table fits 80 columns, stacked when its cells cannot (no broker needed: it formats given rows)', () => {
    const rate = { live: 0.0513, predicted: 0.05, modelSpread: 0.004, interval: { lower: 0.0412, upper: 0.0633 } };
    const row = {
      mode: 'at-least-once-idempotent-publish',
      produced: 20000,
      lossRate: rate,
      duplicateRate: rate,
      verdict: 'agree',
    };
    const text = liveTable('lossy-publish', 'redis://127.0.0.1:6379', [row as never, row as never], 80);
    expect(text).toContain('5.13% (4.12–6.33)');
    expect(tooWide(text, 80)).toEqual([]);
  });
});
