// The log's line splitter against the obvious one (split on LF, drop a CR before it), over random text
// with multi-byte characters cut at chunk edges and lines past the bound; and what is not text.
import '../../setup.js';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { NotTextError, readLines } from '../../../src/audit/line-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'acksim-lines-'));
let files = 0;

/** What the reader makes of these bytes with this bound: lines and overlong lines in order, by number. */
async function read(bytes: Buffer | string, maxLineBytes: number): Promise<Array<[number, string | null]>> {
  const path = join(dir, `${files++}.log`);
  writeFileSync(path, bytes);
  const handle = await open(path);
  const out: Array<[number, string | null]> = [];
  try {
    await readLines(handle, { line: (text, n) => void out.push([n, text]), overlong: (n) => void out.push([n, null]) }, maxLineBytes);
  } finally {
    await handle.close();
  }
  return out;
}

/** The obvious splitter, holding the whole text: null for a line past the bound. */
function expected(text: string, maxLineBytes: number): Array<[number, string | null]> {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l, i) => [i + 1, Buffer.byteLength(l) > maxLineBytes ? null : l.endsWith('\r') ? l.slice(0, -1) : l]);
}

const piece = fc.oneof(
  fc.constantFrom('\n', '\r\n', '\r', 'a', 'é', '€', '😀', '\ufffd', '{"type":"publish"}'),
  fc.integer({ min: 1, max: 40 }).map((n) => 'x'.repeat(n)),
);

describe('audit line reader', () => {
  it('splits like text.split("\\n") whatever the chunk edges, and reports each line past the bound once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 1, max: 48 }), async (pieces, maxLineBytes) => {
        const text = pieces.join('');
        expect(await read(text, maxLineBytes)).toEqual(expected(text, maxLineBytes));
      }),
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
});
