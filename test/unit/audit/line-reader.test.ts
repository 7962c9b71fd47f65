// The log's line splitter against the obvious one (split on LF, drop a CR before it), over random text
// with multi-byte characters cut at chunk edges and lines past the bound; and what is not text, checked
// against Node's own decoder over random bytes, wherever the bad byte falls.
import '../../setup.js';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { isUtf8 } from 'node:buffer';
import { NotTextError, readLines } from '../../../src/audit/line-reader.js';
import { firstNotUtf8 } from '../../../src/audit/utf8-check.js';

const dir = mkdtempSync(join(tmpdir(), 'acksim-lines-'));
let files = 0;

/** What the reader makes of these bytes with this bound: lines and overlong lines in order, by number. */
async function read(bytes: Buffer | string, maxLineBytes: number): Promise<Array<[number, string | null]>> {
  const path = join(dir, `${files++}.log`);
  writeFileSync(path, bytes);
  const handle = await open(path);
  const out: Array<[number, string | null]> = [];
  try {
    await readLines(
      handle,
      { line: (text, n) => void out.push([n, text]), overlong: (n) => void out.push([n, null]) },
      maxLineBytes,
    );
  } finally {
    await handle.close();
  }
  return out;
}

/** The obvious splitter, holding the whole text: null for a line past the bound. */
function expected(text: string, maxLineBytes: number): Array<[number, string | null]> {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l, i) => [
    i + 1,
    Buffer.byteLength(l) > maxLineBytes ? null : l.endsWith('\r') ? l.slice(0, -1) : l,
  ]);
}

const piece = fc.oneof(
  fc.constantFrom('\n', '\r\n', '\r', 'a', 'é', '€', '😀', '\ufffd', '{"type":"publish"}'),
  fc.integer({ min: 1, max: 40 }).map((n) => 'x'.repeat(n)),
);

describe('audit line reader', () => {
  it('splits like text.split("\\n") whatever the chunk edges, and reports each line past the bound once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 60 }),
        fc.integer({ min: 1, max: 48 }),
        async (pieces, maxLineBytes) => {
          const text = pieces.join('');
          expect(await read(text, maxLineBytes)).toEqual(expected(text, maxLineBytes));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads lines of the full bound across many chunks, and skips a longer one without keeping it', async () => {
    const long = 'y'.repeat(600_000);
    expect(await read(`a\n${long}\nb`, 600_000)).toEqual([
      [1, 'a'],
      [2, long],
      [3, 'b'],
    ]);
    expect(await read(`a\n${long}y\nb\n`, 600_000)).toEqual([
      [1, 'a'],
      [2, null],
      [3, 'b'],
    ]);
  });

  it('refuses a NUL byte and bytes that are not UTF-8, naming the line', async () => {
    const nul = read(Buffer.from('a\nb\n\u0000c\n'), 1024);
    await expect(nul).rejects.toBeInstanceOf(NotTextError);
    await expect(nul).rejects.toMatchObject({ line: 3, message: expect.stringMatching(/a NUL byte at byte 4/) });
    await expect(read(Buffer.from([0x61, 0x0a, 0xe9, 0x0a, 0x62, 0x0a]), 1024)).rejects.toMatchObject({
      message: expect.stringMatching(/bytes that are not UTF-8/),
    });
  });

  it('refuses bytes that are not UTF-8 where the old check never looked: a chunk without a line end, the last line, a cut character', async () => {
    const notUtf8 = (line: number, byte: number) => ({
      line,
      message: expect.stringContaining(`bytes that are not UTF-8 at byte ${byte} `),
    });
    // Chunks of 8 bytes (the bound): 0xFE ends the first chunk, whose line goes on into the next one.
    await expect(read(Buffer.from('abcdefg\xfe\nok\n', 'latin1'), 8)).rejects.toMatchObject(notUtf8(1, 7));
    // The last line, without a line end.
    await expect(read(Buffer.from('ok\n{"id":"a\xff"}', 'latin1'), 1024)).rejects.toMatchObject(notUtf8(2, 11));
    // A line past the bound is skipped, not trusted: its bytes are checked too.
    await expect(read(Buffer.from(`ok\n${'x'.repeat(40)}\xc3(\nok\n`, 'latin1'), 16)).rejects.toMatchObject(
      notUtf8(2, 43),
    );
    // A character cut short by the end of the file, and one cut at a chunk's edge that the next chunk does not finish.
    await expect(read(Buffer.from([0x61, 0x0a, 0x62, 0xe2, 0x82]), 1024)).rejects.toMatchObject(notUtf8(2, 3));
    await expect(read(Buffer.from([0x61, 0x62, 0x63, 0xe2, 0x82, 0x41, 0x0a]), 4)).rejects.toMatchObject(notUtf8(1, 3));
    // Whole characters cut at every edge are fine, and so is a real U+FFFD.
    expect(await read('€😀é\ufffd\n'.repeat(3), 1)).toEqual([1, 2, 3].map((n) => [n, null]));
    expect(await read('€😀é\ufffd\n', 64)).toEqual([[1, '€😀é\ufffd']]);
  });

  it('refuses a file exactly when it is not UTF-8, naming the first bad byte and its line, whatever the chunk size', async () => {
    // Valid pieces, and bytes that are not UTF-8: lone continuation bytes, bytes no character starts with,
    // overlong forms, surrogates, code points past U+10FFFF, and characters cut short.
    const bytesPiece = fc.oneof(
      fc.constantFrom('a', '\n', '\r\n', 'é', '€', '😀', '\ufffd', '{"id":"x"}').map((t) => Buffer.from(t)),
      fc
        .constantFrom(
          [0x80],
          [0xbf],
          [0xc0, 0xaf],
          [0xc1, 0xbf],
          [0xe0, 0x80, 0xaf],
          [0xed, 0xa0, 0x80],
          [0xf4, 0x90, 0x80, 0x80],
        )
        .map((b) => Buffer.from(b)),
      fc.constantFrom([0xf5], [0xfe], [0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98]).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(bytesPiece, { maxLength: 30 }),
        fc.integer({ min: 1, max: 24 }),
        async (pieces, maxLineBytes) => {
          const bytes = Buffer.concat(pieces);
          const reading = read(bytes, maxLineBytes);
          if (isUtf8(bytes)) {
            await reading;
            return;
          }
          // Node's decoder replaces each bad sequence: the text before the first replacement that is not
          // in the input is what is good, so its length in bytes is where the first bad byte is.
          const good = bytes
            .toString('utf8')
            .split('\ufffd')
            .reduce(
              (text, part, i, parts) => {
                if (text.done) return text;
                const next = text.value + part;
                if (i === parts.length - 1) return { value: next, done: true };
                const at = Buffer.byteLength(next);
                const real = bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd;
                return real ? { value: `${next}\ufffd`, done: false } : { value: next, done: true };
              },
              { value: '', done: false },
            ).value;
          const byte = Buffer.byteLength(good);
          expect(firstNotUtf8(bytes)).toBe(byte);
          await expect(reading).rejects.toMatchObject({
            line: good.split('\n').length,
            message: expect.stringContaining(`bytes that are not UTF-8 at byte ${byte} `),
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
