// `acksim audit` with input that is not a good log: each refused in one clear line with exit 2 (or
// read around, under --on-bad-line), never a stack trace, an internal error or a hang.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { acksimInProcess, acksimProcess, type CliResult } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acksim-audit-input-'));
function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const line = (type: string, id: string, ts: number | string) => JSON.stringify({ type, id, ts });

/** One line on stderr, nothing on stdout, exit 2, no stack trace. */
function refusedInOneLine(r: CliResult, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n {4}at /);
  expect(r.stdout).toBe('');
  expect(r.status).toBe(2);
}

describe('acksim audit: a CSV log must start with its header', () => {
  it('refuses a CSV whose first line is an event, or a header without the type, id or ts column, in one line (exit 2)', async () => {
    const noHeader = file('no-header.csv', 'publish,1,0\neffect,1,5\n');
    const expected = new RegExp(
      `^${noHeader}:1:1  the first line is not a CSV header naming the columns type, id, ts: no type, id, ts in "publish,1,0"`,
    );
    refusedInOneLine(await acksimInProcess(['audit', noHeader, '--check', 'lost == 0']), expected);
    // Not a bad line to skip: without a header no line can be read.
    refusedInOneLine(await acksimInProcess(['audit', noHeader, '--on-bad-line', 'skip']), expected);
    const ownNames = file('own-names.csv', '\n\nkind,msg_id,time\npublish,1,0\n');
    refusedInOneLine(
      await acksimInProcess(['audit', ownNames]),
      /:3:1 {2}the first line is not a CSV header .*no type, id, ts in "kind,msg_id,time"/,
    );
    const mapped = await acksimInProcess([
      'audit',
      ownNames,
      '--map',
      'type=kind,id=msg_id,ts=time',
      '--format',
      'json',
    ]);
    // Read and reported; with no check given nothing was judged: exit 3, never a pass.
    expect(mapped.status).toBe(3);
    const partial = file('partial.csv', 'type, id\npublish,1\n');
    refusedInOneLine(
      await acksimInProcess(['audit', partial]),
      /:1:1 {2}the first line is not a CSV header .*: no ts in "type,id"/,
    );
  });

  it('refuses --map reading two fields from one column', async () => {
    refusedInOneLine(
      await acksimInProcess(['audit', file('any.jsonl', ''), '--map', 'id=type']),
      /--map: two fields read the column "type"/,
    );
  });
});

describe('acksim audit: lines that are not events', () => {
  it('a blank id, a time that is not finite and an id of a megabyte are bad lines naming the field', async () => {
    const log = file(
      'fields.jsonl',
      [
        line('publish', '   ', 1),
        line('publish', 'a', '1e999'),
        '{"type":"publish","id":"a","ts":1e999}',
        line('publish', 'x'.repeat(5000), 1),
        line('publish', ' a ', 2),
      ].join('\n'),
    );
    const r = await acksimInProcess(['audit', log]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').slice(0, 4)).toEqual([
      `${log}:1:1  id: "   " is blank (allowed: a message id that is not only spaces)`,
      expect.stringMatching(/:2:1 {2}ts: "1e999" is not a time/),
      expect.stringMatching(/:3:1 {2}ts: Infinity is not a time/),
      `${log}:4:1  id: 5,000 characters long (allowed: ids up to 1,024 characters)`,
    ]);
    // Under skip the rest is audited, with the id trimmed.
    const skip = await acksimInProcess(['audit', log, '--on-bad-line', 'skip', '--format', 'json']);
    expect(JSON.parse(skip.stdout).scenarios[0].results[0].metrics.produced).toBe(1);
  });

  it('a line longer than 1 MiB is a bad line with a clear message, skipped unread; under warn the rest is audited', async () => {
    const huge = `{"type":"publish","id":"${'a'.repeat(1.5 * 2 ** 20)}","ts":1}`;
    const log = file('long-line.jsonl', [line('publish', 'm', 0), huge, line('effect', 'm', 3)].join('\n'));
    const r = await acksimInProcess(['audit', log]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      `${log}:2:1  line longer than 1 MiB (allowed: lines up to 1,048,576 bytes; the rest of it is skipped unread)`,
    );
    const warn = await acksimInProcess([
      'audit',
      log,
      '--on-bad-line',
      'warn',
      '--format',
      'json',
      '--check',
      'processed == 1',
    ]);
    expect(warn.status).toBe(0);
    expect(JSON.parse(warn.stdout).scenarios[0].results[0].audit).toMatchObject({ lines: 3, badLines: 1 });
  });

  it('a log of 3 MiB without a line end is refused with the same message, not a stack trace', async () => {
    const log = file('no-newline.jsonl', 'x'.repeat(3 * 2 ** 20));
    const r = await acksimInProcess(['audit', log, '--check', 'lost == 0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${log}:1:1  line longer than 1 MiB`));
    expect(r.stderr).not.toMatch(/RangeError|\n {4}at /);
  });

  it('binary input and bytes that are not UTF-8 are not a text log: one line, exit 2', async () => {
    const binary = file('binary.jsonl', Buffer.from([0x7b, 0x0a, 0x7b, 0x00, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x0a]));
    refusedInOneLine(
      await acksimInProcess(['audit', binary, '--on-bad-line', 'skip']),
      new RegExp(`^${binary}:2:1  not a text log: a NUL byte at byte 3 \\(allowed: UTF-8 text`),
    );
    const utf16 = file('utf16.jsonl', Buffer.from(`\uFEFF${line('publish', 'a', 1)}\n`, 'utf16le'));
    refusedInOneLine(
      await acksimInProcess(['audit', utf16]),
      /not a text log: a NUL byte .*convert UTF-16 logs to UTF-8/,
    );
    const latin1 = file(
      'latin1.jsonl',
      Buffer.from(`${line('publish', 'café', 1)}\n${line('publish', 'b', 1)}\n`, 'latin1'),
    );
    refusedInOneLine(await acksimInProcess(['audit', latin1]), /not a text log: bytes that are not UTF-8/);
  });

  it('bytes that are not UTF-8 at a chunk edge or on the last line are refused, never read as U+FFFD (a loss hidden)', async () => {
    // The publish of id "a\xFE" ends the first chunk read (256 KiB) with its 0xFE; the effect of "a\xFF" is
    // the last line, without a line end. Both decode to "a\uFFFD": read that way, the loss disappears.
    const first = `${line('effect', 'f', 9)}\n`;
    const head = '{"type":"publish","id":"a';
    const padded = (pad: number) => `${JSON.stringify({ type: 'publish', id: 'f', ts: 0, pad: 'x'.repeat(pad) })}\n`;
    const filler = padded(2 ** 18 - 1 - first.length - head.length - padded(0).length);
    const bytes = Buffer.concat([
      Buffer.from(first + filler + head),
      Buffer.from([0xfe]),
      Buffer.from('","ts":1}\n{"type":"effect","id":"a'),
      Buffer.from([0xff]),
      Buffer.from('","ts":5}'),
    ]);
    expect(bytes.indexOf(0xfe)).toBe(2 ** 18 - 1);
    const hole = file('utf8hole.jsonl', bytes);
    refusedInOneLine(
      await acksimInProcess(['audit', hole, '--check', 'lost == 0', '--check', 'audit.unexpected == 0']),
      new RegExp(
        `^${hole}:3:1  not a text log: bytes that are not UTF-8 at byte ${2 ** 18 - 1} \\(allowed: UTF-8 text`,
      ),
    );
    // The last line alone, and a character cut short by the end of the file.
    const last = file(
      'last-line.jsonl',
      Buffer.concat([
        Buffer.from(`${line('publish', 'a', 1)}\n{"type":"effect","id":"a`),
        Buffer.from([0xff, 0x22, 0x7d]),
      ]),
    );
    refusedInOneLine(
      await acksimInProcess(['audit', last, '--on-bad-line', 'skip']),
      /:2:1 {2}not a text log: bytes that are not UTF-8 at byte 59 /,
    );
    const cut = file(
      'cut.jsonl',
      Buffer.concat([Buffer.from(`${line('publish', 'a', 1)}\n`), Buffer.from([0xe2, 0x82])]),
    );
    refusedInOneLine(
      await acksimInProcess(['audit', cut]),
      /:2:1 {2}not a text log: bytes that are not UTF-8 at byte 35 /,
    );
  });

  it('what a bad line echoes is escaped and cut: no terminal escape reaches stderr', async () => {
    const log = file(
      'escapes.jsonl',
      [
        `\u001b[31m${'x'.repeat(5000)}`,
        JSON.stringify({ type: `\u001b]0;pwned\u0007${'y'.repeat(5000)}`, id: 1, ts: 1 }),
      ].join('\n'),
    );
    const r = await acksimInProcess(['audit', log]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/[\u001b\u0007]/);
    for (const text of r.stderr.trim().split('\n')) expect(text.length).toBeLessThan(1100);
  });
});

describe('acksim audit: a file name with control characters', () => {
  it('is escaped in every format (C1 controls and DEL too), and the JSON report still gives the name back', async () => {
    const log = file('\u009b2J\u007f\u001b[31m\u202e.jsonl', `${line('publish', 'a', 1)}\n${line('effect', 'a', 2)}\n`);
    for (const format of ['table', 'json', 'markdown', 'junit']) {
      const r = await acksimInProcess(['audit', log, '--format', format, '--check', 'lost == 0']);
      expect(r.status).toBe(0);
      expect(r.stdout).not.toMatch(/[\u001b\u007f-\u009f\u202e]/);
      if (format === 'json') expect(JSON.parse(r.stdout).scenarios[0].file).toBe(log);
    }
  });
});

describe('acksim audit: files that are not logs', () => {
  it('refuses a folder, a device, a file named twice and an unreadable file in one line each (exit 2)', async () => {
    const folder = join(dir, 'folder.jsonl');
    mkdirSync(folder);
    refusedInOneLine(
      await acksimInProcess(['audit', folder]),
      /folder\.jsonl: cannot read the log: it is a folder \(allowed: a file\)\n$/,
    );
    refusedInOneLine(
      await acksimInProcess(['audit', '/dev/null']),
      /^acksim: \/dev\/null: cannot read the log: it is a character device \(allowed: a regular file; save a stream to a file first\)\n$/,
    );
    const log = file('twice.jsonl', `${line('publish', 'a', 1)}\n`);
    refusedInOneLine(
      await acksimInProcess(['audit', log, join(dir, '.', 'twice.jsonl')]),
      /twice\.jsonl: the same file as .*twice\.jsonl \(allowed: each log once; a log read twice counts every event twice\)/,
    );
    refusedInOneLine(
      await acksimInProcess(['audit', join(dir, 'missing', 'x.jsonl')]),
      /cannot read the log \(no such file\)/,
    );
    // The same words as for every other input file (input-file.ts): a loop says so, not "no such file".
    const loop = join(dir, 'loop.jsonl');
    symlinkSync(loop, loop);
    refusedInOneLine(
      await acksimInProcess(['audit', loop]),
      /loop\.jsonl: cannot read the log \(symlink loop \(too many levels of symbolic links\)\)\n$/,
    );
    // A file whose reads fail (an I/O error half way): /proc/self/mem cannot be read at offset 0.
    if (existsSync('/proc/self/mem'))
      refusedInOneLine(
        await acksimInProcess(['audit', '/proc/self/mem']),
        /^acksim: \/proc\/self\/mem: cannot read the log \(input\/output error\)\n$/,
      );
  });

  it('refuses a FIFO at once instead of blocking on it (the real binary, with a timeout)', () => {
    const fifo = join(dir, 'events.fifo');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo here
    }
    const started = performance.now();
    const r = acksimProcess(['audit', fifo, '--check', 'lost == 0'], { timeoutMs: 20_000 });
    expect(performance.now() - started).toBeLessThan(20_000);
    refusedInOneLine(
      r,
      /events\.fifo: cannot read the log: it is a FIFO \(named pipe\) \(allowed: a regular file; save a stream to a file first\)\n$/,
    );
  });
});
