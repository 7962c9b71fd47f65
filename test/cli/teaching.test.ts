// What teaches: show, list --long and the Markdown report carry each lesson; trace and explain choose
// a mode, end every story with its outcome and cause; a legend and explain --cause gloss cause names;
// shrinking writes no empty failure file and one file per failing check.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { CAUSE_NAMES } from '../../src/run/cause-glossary.js';
import { loadScenarios, BUILTIN_DIR } from '../../src/scenario/load.js';
import { acksimInProcess } from './in-process.js';
import { acksimInProcess as inProcess } from './run-cli.js';
import { acksim, ROOT } from './run-cli.js';
import { fromRoot } from '../root.js';

// At 80 columns, as in a pipe: the tests of layout say what fits.
const inRoot = (args: readonly string[]) => inProcess(args, { cwd: ROOT, columns: '80' });
const words = (text: string) => text.split(/\s+/).filter((w) => w !== '');

describe('each lesson is printed', () => {
  it('show: summary, the whole description wrapped to COLUMNS, modes, faults and checks', () => {
    const r = acksim(['show', 'lost-acks'], { env: { COLUMNS: '60' } });
    expect(r.status).toBe(0);
    const [scenario] = loadScenarios(['lost-acks'], ROOT).scenarios;
    // Every word of the description, in order.
    expect(words(r.stdout).join(' ')).toContain(words(scenario!.description).join(' '));
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(r.stdout).toMatch(/^ {2}at-least-once +ackLost$/m);
    expect(r.stdout).toMatch(/^ {2}network\.ack: loss 1\.00%$/m);
    expect(r.stdout).toMatch(/^ {2}at-least-once: duplicatesByCause\.ackLost == duplicates$/m);
    expect(acksim(['show', 'no-such-scenario']).status).toBe(2);
  });

  it('list --long: every built-in with its description, at most 80 columns', async () => {
    const r = await inRoot(['list', '--long']);
    expect(r.status).toBe(0);
    const { scenarios } = loadScenarios([BUILTIN_DIR], ROOT);
    for (const s of scenarios) expect(words(r.stdout).join(' ')).toContain(words(s.description).join(' '));
    for (const line of r.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('the Markdown report carries the description after the summary', async () => {
    const r = await inRoot(['run', 'lost-acks', '--messages', '300', '--format', 'markdown']);
    expect(r.stdout).toMatch(
      /absorbs them\n\n1 % of the consumers' acks never reach the broker\. .* caused by ackLost\.\n\n`lost-acks`/,
    );
  });
});

describe('trace and explain choose a mode', () => {
  it('without --mode: the first mode with an anomaly, said on stderr', async () => {
    const trace = await inRoot(['trace', 'lost-acks', '--anomalies', '1']);
    expect(trace.status).toBe(0);
    expect(trace.stderr).toBe(
      'mode: at-least-once, the first with a lost or duplicated message (--mode picks another: at-most-once, exactly-once)\n',
    );
    expect(trace.stdout).toMatch(/^trace lost-acks · at-least-once/);
    const lost = await inRoot(['explain', 'lost-deliveries', '--lost']);
    expect(lost.stderr).toMatch(/^mode: at-most-once, the first with a lost message/);
    expect(lost.stdout).toMatch(/cause: deliverLostAfterAutoAck/);
    // Only duplicates asked for: at-most-once loses (first in order) but does not duplicate.
    const dup = await inRoot(['explain', 'crash-after-effect', '--duplicated']);
    expect(dup.stderr).not.toMatch(/mode: at-most-once/);
    expect(dup.stdout).toMatch(/duplicate: its effect ran/);
  });

  it('no mode with an anomaly, or an unknown mode: exit 2 listing the modes', async () => {
    const none = await inRoot(['explain', 'lost-acks', '--message', '3']);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe(
      'acksim: no mode of lost-acks has message #3 lost or duplicated (seed 1); pick one with --mode (allowed: at-most-once, at-least-once, exactly-once)\n',
    );
    const unknown = await inRoot(['trace', 'lost-acks', '--mode', 'twice']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(
      /--mode twice: not a mode of lost-acks \(allowed: at-most-once, at-least-once, exactly-once\)/,
    );
  });

  it('a message id past the last message is bad input (exit 2, the range)', async () => {
    for (const command of ['explain', 'trace']) {
      const r = await inRoot([
        command,
        'lost-acks',
        '--mode',
        'at-least-once',
        '--messages',
        '100',
        '--message',
        '99999',
      ]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('acksim: --message 99999: lost-acks sends 100 messages (allowed: 0..99)\n');
    }
    expect(
      (await inRoot(['explain', 'lost-acks', '--mode', 'at-least-once', '--messages', '100', '--message', '99']))
        .status,
    ).toBe(0);
  });
});

describe('every trace story ends with its outcome and cause', () => {
  it('lanes: a lost message ends with "lost" and its cause, after its drop', async () => {
    const r = await inRoot(['trace', 'lost-deliveries', '--mode', 'at-most-once', '--anomalies', '1']);
    const lines = r.stdout.trimEnd().split('\n');
    const drop = lines.findIndex((l) => l.includes('dropped'));
    const outcome = lines.indexOf('outcome:');
    expect(drop).toBeGreaterThan(0);
    expect(outcome).toBeGreaterThan(drop);
    expect(lines.slice(outcome + 1).join(' ')).toMatch(
      /^ {2}#72 lost \(cause: deliverLostAfterAutoAck, the broker forgot/,
    );
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('jsonl: one final outcome record per message; mermaid: a closing note', async () => {
    const jsonl = await inRoot([
      'trace',
      'lost-acks',
      '--mode',
      'at-least-once',
      '--message',
      '174',
      '--message',
      '3',
      '--format',
      'jsonl',
    ]);
    const records = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.slice(-2)).toEqual([
      expect.objectContaining({ actor: 'sink', event: 'outcome', message: 3, outcome: 'processed', effects: 1 }),
      expect.objectContaining({
        actor: 'sink',
        event: 'outcome',
        message: 174,
        outcome: 'duplicated',
        effects: 2,
        cause: 'ackLost',
      }),
    ]);
    expect(records.slice(0, -2).every((r) => r.event !== 'outcome')).toBe(true);
    const mermaid = await inRoot([
      'trace',
      'lost-deliveries',
      '--mode',
      'at-most-once',
      '--anomalies',
      '1',
      '--format',
      'mermaid',
    ]);
    expect(mermaid.stdout.trimEnd().split('\n').at(-1)).toBe(
      '  Note over P,S: outcome msg 72 lost (cause deliverLostAfterAutoAck)',
    );
  });
});

describe('Mermaid for Markdown', () => {
  /** The diagram inside a ```mermaid fence that opens the text and closes it, or undefined. */
  const fenced = (text: string) => /^```mermaid\n([^`]*)```\n$/.exec(text)?.[1];

  it('--format mermaid-md and --out x.md write a fenced block whose diagram the mermaid parser accepts', async () => {
    const mermaid = (await import('mermaid')).default;
    const args = ['trace', 'lost-acks', '--mode', 'at-least-once', '--anomalies', '2'];
    const md = await inRoot([...args, '--format', 'mermaid-md']);
    const diagram = fenced(md.stdout);
    expect(diagram).toBe((await inRoot([...args, '--format', 'mermaid'])).stdout);
    expect(await mermaid.parse(diagram!)).toMatchObject({ diagramType: 'sequence' });
    const dir = mkdtempSync(join(tmpdir(), 'acksim-mermaid-md-'));
    const out = await acksimInProcess([...args, '--format', 'mermaid', '--out', 'story.md'], dir);
    expect(out.status).toBe(0);
    expect(out.stdout).toBe('');
    expect(readFileSync(join(dir, 'story.md'), 'utf8')).toBe(md.stdout);
    // Another name gets the bare diagram; an existing file needs --force.
    await acksimInProcess([...args, '--format', 'mermaid', '--out', 'story.mmd'], dir);
    expect(readFileSync(join(dir, 'story.mmd'), 'utf8')).toBe(diagram);
    const again = await acksimInProcess([...args, '--format', 'mermaid', '--out', 'story.md'], dir);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/--out story\.md exists; choose another path or pass --force/);
  });
});

describe('cause names are glossed', () => {
  it('a legend under the run table names the causes it shows, one line each within 80 columns', async () => {
    const r = await inRoot(['run', 'lost-deliveries', '--messages', '2000']);
    const lines = r.stdout.split('\n');
    const at = lines.indexOf('  causes (more: acksim explain --cause <name>):');
    expect(at).toBeGreaterThan(lines.findIndex((l) => l.includes('faults met')));
    expect(lines[at + 1]).toBe('  deliverLostAfterAutoAck  auto-ack: forgotten when sent, the delivery lost');
    expect(lines[at + 2]).toMatch(/PASS|FAIL/);
    expect((await inRoot(['run', 'lost-acks', '--mode', 'at-most-once', '--messages', '300'])).stdout).not.toMatch(
      /causes \(more/,
    );
  });

  it('explain --cause gives the meaning of every cause; an unknown one is exit 2 with the list', async () => {
    for (const name of CAUSE_NAMES) {
      const r = await inRoot(['explain', '--cause', name]);
      expect(r.status).toBe(0);
      expect(r.stdout.startsWith(`${name}: a `)).toBe(true);
      for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    }
    const bad = await inRoot(['explain', '--cause', 'ackLots']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^acksim: --cause ackLots: not a cause acksim reports \(allowed:\n {2}publishLost, /);
    expect(bad.stderr).toContain('ackLost,');
    expect((await inRoot(['explain', 'lost-acks', '--cause', 'ackLost'])).status).toBe(2);
  });

  it('"faults met: none" beside duplicates says they come from timing', async () => {
    const r = await inRoot(['run', 'visibility-timeout-too-short', '--mode', 'at-least-once']);
    expect(r.stdout.replace(/\n +/g, ' ')).toMatch(
      /faults met: none; the duplicates come from timing \(visibilityTimeout\)/,
    );
  });
});

describe('shrinking and failure files', () => {
  it('a check that fails with no fault at all writes no failure file and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-no-fault-'));
    const r = await acksimInProcess(
      [
        'run',
        fromRoot('scenarios/lost-acks.yaml'),
        '--mode',
        'at-least-once',
        '--messages',
        '100',
        '--check',
        'duplicateRate > 0.5%',
      ],
      dir,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'lost-acks at-least-once: "duplicateRate > 0.5%" fails without any fault for this configuration (seed 1, 100 messages): nothing to shrink, no failure file written\n',
    );
    expect(existsSync(join(dir, 'acksim-failures'))).toBe(false);
  });

  it('two failing checks keep two failure files, and each replays its own check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-two-checks-'));
    writeFileSync(
      join(dir, 's.yaml'),
      'messages: 300\nnetwork: { ack: { loss: 0.05 } }\nbroker: { visibilityTimeoutMs: 500 }\nmodes: [at-least-once]\n',
    );
    for (const check of ['duplicates == 0', 'duplicates < 2']) {
      expect((await acksimInProcess(['run', 's.yaml', '--check', check], dir)).status).toBe(1);
    }
    const files = readdirSync(join(dir, 'acksim-failures')).sort();
    expect(files).toHaveLength(2);
    for (const file of files) expect(file).toMatch(/^s\.at-least-once\.seed1\.duplicates-[02]-[0-9a-f]{8}\.json$/);
    const checks = [];
    for (const file of files) {
      const replay = await acksimInProcess(['replay', join('acksim-failures', file)], dir);
      expect(replay.status).toBe(1);
      checks.push(JSON.parse(readFileSync(join(dir, 'acksim-failures', file), 'utf8')).check);
      expect(replay.stdout).toContain(`${checks.at(-1)} fails again`);
    }
    expect(checks.sort()).toEqual(['duplicates < 2', 'duplicates == 0']);
  });
});
