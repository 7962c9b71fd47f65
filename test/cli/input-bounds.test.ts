// Files acksim reads (scenarios, failure files, shard reports) within bounds: only regular files (a
// FIFO must not block, /dev/zero must not be read), at most a documented size, UTF-8 text, one
// document, no alias bomb, no nesting that would exhaust the stack; each refusal one line about the
// input, exit 2, in bounded time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { each } from '../each.js';
import { acksimInProcess } from './in-process.js';
import { acksimProcess } from './run-cli.js';

const folder = () => mkdtempSync(join(tmpdir(), 'acksim-in-'));

/** One line on stderr, exit 2, no stack trace, no "internal error". */
function refusedWith(r: { status: number | null; stderr: string }, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.status).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error|Maximum call stack/);
}

describe('scenario files that are not regular files are refused without being opened', () => {
  it('a FIFO does not block, /dev/zero is not read (real processes, killed after 20 s)', () => {
    const dir = folder();
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    refusedWith(
      acksimProcess(['validate', 'pipe.yaml'], { cwd: dir, timeoutMs: 20_000 }),
      /^pipe\.yaml {2}\(file\) {2}is a FIFO \(named pipe\) \(allowed: a regular file\)$/m,
    );
    refusedWith(
      acksimProcess(['run', '/dev/zero'], { cwd: dir, timeoutMs: 20_000 }),
      /^\/dev\/zero {2}\(file\) {2}is a character device \(allowed: a regular file\)$/m,
    );
    // A FIFO inside a folder of scenarios is refused the same way.
    refusedWith(
      acksimProcess(['validate', '.'], { cwd: dir, timeoutMs: 20_000 }),
      /pipe\.yaml {2}\(file\) {2}is a FIFO/,
    );
  });

  it('a symlink loop says so, not "no such file"', async () => {
    const dir = folder();
    symlinkSync(join(dir, 'b.yaml'), join(dir, 'a.yaml'));
    symlinkSync(join(dir, 'a.yaml'), join(dir, 'b.yaml'));
    refusedWith(
      await acksimInProcess(['validate', 'a.yaml'], dir),
      /^a\.yaml {2}\(file\) {2}cannot read: symlink loop \(too many levels of symbolic links\)$/m,
    );
  });

  it('a file over 1 MiB is refused with the limit, before it is read', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(1 << 20)}\nmessages: 10\n`);
    writeFileSync(join(dir, 'huge.yaml'), '');
    truncateSync(join(dir, 'huge.yaml'), 2 ** 31);
    refusedWith(
      await acksimInProcess(['validate', 'big.yaml'], dir),
      /^big\.yaml {2}\(file\) {2}too large: 1,048,\d{3} bytes \(allowed: at most 1 MiB\)$/m,
    );
    refusedWith(
      await acksimInProcess(['validate', 'huge.yaml'], dir),
      /^huge\.yaml {2}\(file\) {2}too large: 2,147,483,648 bytes \(allowed: at most 1 MiB\)$/m,
    );
  });
});

describe('scenario text that would exhaust the parser is refused with a message about the input', () => {
  const bomb = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
    .concat(
      'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
    )
    .join('\n');
  each<[string, string, RegExp]>(
    [
      [
        'UTF-16 with a byte-order mark',
        '\ufeffmessages: 10\n',
        /^s\.yaml {2}\(file\) {2}not UTF-8 text \(a UTF-16 little-endian byte-order mark\); save it as UTF-8$/m,
      ],
      [
        'UTF-16 without a byte-order mark',
        'messages: 10\n',
        /^s\.yaml:1:2 {2}\(text\) {2}not UTF-8 text \(it holds NUL bytes: UTF-16, UTF-32 or binary\?\); save it as UTF-8$/m,
      ],
      [
        'two YAML documents',
        'messages: 10\n---\nmessages: 20\n',
        /^s\.yaml:2:1 {2}\(syntax\) {2}one scenario per file \(found 2 documents\); split them into separate files$/m,
      ],
      [
        'an alias bomb (billion laughs)',
        `${bomb}\n`,
        /^s\.yaml:2:\d+ {2}\(syntax\) {2}aliases expand too much \(a YAML alias bomb\?\) \(allowed: at most 100 alias expansions\)$/m,
      ],
      [
        '100,000 nested JSON arrays',
        `{"messages": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
        /^s\.yaml:1:\d+ {2}\(syntax\) {2}nested deeper than 64 levels \(allowed: at most 64\)$/m,
      ],
      [
        '100,000 nested YAML flow mappings',
        `messages: ${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`,
        /nested deeper than 64 levels/,
      ],
      ['100,000 nested YAML block sequences', `modes: ${'- '.repeat(100_000)}x\n`, /nested deeper than 64 levels/],
      [
        'nesting by indentation',
        Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'),
        /^s\.yaml:65:\d+ {2}\(syntax\) {2}nested deeper than 64 levels/m,
      ],
    ],
    'refuses %s in one line, exit 2',
    async (name, text, message) => {
      const dir = folder();
      const encoded = name.startsWith('UTF-16') ? Buffer.from(text, 'utf16le') : Buffer.from(text);
      writeFileSync(join(dir, 's.yaml'), encoded);
      const started = Date.now();
      refusedWith(await acksimInProcess(['validate', 's.yaml'], dir), message);
      // Each takes under 50 ms on an idle 2-core machine; under load (two test files per core, garbage
      // collection) several times that. What this guards against takes minutes or never ends: an
      // alias bomb expanded, nesting parsed without a bound.
      expect(Date.now() - started).toBeLessThan(60_000);
    },
  );

  it('a name, summary or file name with a control character is refused: reports print them as they are', async () => {
    const dir = folder();
    writeFileSync(
      join(dir, 's.yaml'),
      'name: "\\e[2Jgone"\nsummary: "ok\\u202eevil"\ndescription: "two\\nlines\\tand a tab"\n',
    );
    writeFileSync(join(dir, 'x\u001b[31m.yaml'), 'messages: 10\n');
    const r = await acksimInProcess(['validate', 's.yaml', 'x\u001b[31m.yaml'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      's.yaml:1:7  name  holds a control character such as a terminal escape (allowed: one line of printable text)',
      's.yaml:2:10  summary  holds a control character such as a terminal escape (allowed: one line of printable text)',
      'x\\x1b[31m.yaml  (file)  the file name holds a control character (allowed: printable text)',
    ]);
  });

  it('invalid UTF-8 is named with its line', async () => {
    const dir = folder();
    writeFileSync(
      join(dir, 's.yaml'),
      Buffer.concat([Buffer.from('messages: 10\nname: '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
    );
    refusedWith(
      await acksimInProcess(['validate', 's.yaml'], dir),
      /^s\.yaml:2:7 {2}\(text\) {2}not UTF-8 text \(an invalid byte sequence\); save it as UTF-8$/m,
    );
  });

  it('90,000 unknown keys: the first 100 problems and a count, in bounded time', () => {
    const dir = folder();
    writeFileSync(join(dir, 's.yaml'), Array.from({ length: 90_000 }, (_, i) => `k${i}: 1\n`).join(''));
    // A real process, killed after 30 s: yaml's own duplicate-key check took minutes here.
    const r = acksimProcess(['validate', 's.yaml'], { cwd: dir, timeoutMs: 30_000 });
    expect(r.status).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(101);
    expect(lines[100]).toBe('s.yaml  (file)  and 89900 more problem(s): only the first 100 are shown');
  });
});

describe('failure files and shard reports are read within bounds too', () => {
  it('replay refuses a FIFO, an oversized file and deep nesting; merge the same', () => {
    const dir = folder();
    execFileSync('mkfifo', [join(dir, 'pipe.json')]);
    writeFileSync(join(dir, 'sparse.json'), '');
    truncateSync(join(dir, 'sparse.json'), 17 << 20);
    writeFileSync(join(dir, 'deep.json'), `{"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const run = (args: string[]) => acksimProcess(args, { cwd: dir, timeoutMs: 20_000 });
    refusedWith(
      run(['replay', 'pipe.json']),
      /^acksim: pipe\.json: cannot read a failure file \(is a FIFO \(named pipe\) \(allowed: a regular file\)\)$/m,
    );
    refusedWith(
      run(['replay', 'sparse.json']),
      /^acksim: sparse\.json: cannot read a failure file \(too large: 17,825,792 bytes \(allowed: at most 16 MiB\)\)$/m,
    );
    refusedWith(
      run(['replay', 'deep.json']),
      /^acksim: deep\.json: cannot read a failure file \(line 1:70: nested deeper than 64 levels \(allowed: at most 64\)\)$/m,
    );
    refusedWith(
      run(['merge', 'pipe.json', 'deep.json']),
      /^acksim: pipe\.json: cannot read a JSON report \(is a FIFO/m,
    );
    refusedWith(
      run(['merge', 'deep.json', 'deep.json']),
      /^acksim: deep\.json: cannot read a JSON report \(line 1:70: nested deeper than 64 levels/m,
    );
  });
});
