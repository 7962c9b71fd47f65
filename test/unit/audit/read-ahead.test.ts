// Reading a log one chunk ahead (src/audit/read-ahead.ts): the same bytes in the same order as reading without, a
// failed read failing the call that waits for it, and nothing left in flight once settled.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { readAhead } from '../../../src/audit/read-ahead.js';

const dir = mkdtempSync(join(tmpdir(), 'acksim-read-ahead-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('reading one chunk ahead', () => {
  it('gives the file whole and in order, whatever the lengths asked, then 0 at its end', async () => {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 70_000 }),
        fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 8 }),
        async (bytes, lengths) => {
          const path = join(dir, `log-${file++}`);
          writeFileSync(path, bytes);
          const fd = openSync(path, 'r');
          try {
            const source = readAhead(fd);
            const got: Buffer[] = [];
            // Each call asks its length (in turn from the list) at an offset of 3, as the line reader does.
            for (let call = 0; ; call++) {
              const length = lengths[call % lengths.length]!;
              const buffer = Buffer.alloc(3 + length);
              const { bytesRead } = await source.read(buffer, 3, length, null);
              expect(bytesRead).toBeLessThanOrEqual(length);
              if (bytesRead === 0) break;
              got.push(buffer.subarray(3, 3 + bytesRead));
            }
            expect(Buffer.concat(got).equals(Buffer.from(bytes))).toBe(true);
            expect((await source.read(Buffer.alloc(8), 0, 8, null)).bytesRead).toBe(0);
            await source.settle();
          } finally {
            closeSync(fd);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('fails the read that waits for a failed one, with its error', async () => {
    const fd = openSync(dir, 'r');
    try {
      const source = readAhead(fd);
      await expect(source.read(Buffer.alloc(16), 0, 16, null)).rejects.toMatchObject({ code: 'EISDIR' });
      await source.settle();
    } finally {
      closeSync(fd);
    }
  });

  it('keeps a read in flight after each chunk used up, and settle waits for it', async () => {
    const path = join(dir, 'two-chunks');
    writeFileSync(path, Buffer.alloc(10, 7));
    const fd = openSync(path, 'r');
    const source = readAhead(fd);
    expect((await source.read(Buffer.alloc(6), 0, 6, null)).bytesRead).toBe(6);
    expect((await source.read(Buffer.alloc(6), 0, 6, null)).bytesRead).toBe(4);
    // The read of what follows (nothing) is in flight: settled, the descriptor may close.
    await source.settle();
    closeSync(fd);
  });
});
