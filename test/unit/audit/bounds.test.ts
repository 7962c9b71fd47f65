// An audit's bounds (src/audit/bounds.ts): a log that names more than the bound of any kind is refused at the line
// that passes it, with one line that says what and how many; a log that names exactly the bound is audited.
// The bounds here are small ones given to the tally; the CLI's are 2^24 - 1 entries and 2^29 characters.
import '../../setup.js';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { AuditBounds, MAX_AUDIT_CHARACTERS, MAX_AUDIT_ENTRIES } from '../../../src/audit/bounds.js';
import { DEFAULT_FIELDS } from '../../../src/audit/event.js';
import { readLogs } from '../../../src/audit/read-logs.js';
import { AuditTally } from '../../../src/audit/tally.js';
import { LogError } from '../../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'acksim-bounds-'));
let logs = 0;

/** Audits `lines` under `bounds`: the refusal's line and message, or undefined when the log was audited. */
async function refusal(lines: string[], bounds: AuditBounds): Promise<{ line?: number; message: string } | undefined> {
  const file = join(dir, `log-${logs++}.jsonl`);
  writeFileSync(file, lines.join('\n') + '\n');
  const tally = new AuditTally(bounds);
  try {
    await readLogs([file], tally, { cwd: dir, fields: DEFAULT_FIELDS, onBadLine: () => {} });
    tally.measure({ dedupeWindowMs: 1000 });
    return undefined;
  } catch (error) {
    if (!(error instanceof LogError)) throw error;
    const issue = error.issues[0]!;
    expect(issue.file).toBe(file);
    expect(error.exitCode).toBe(2);
    return { line: issue.line, message: issue.message };
  }
}

/** One kind of thing a log names, and the line that names the i-th distinct one (each line one more, none again). */
const KINDS = {
  'distinct message ids': (i: number) => `{"type":"publish","id":"m${i}","ts":${i}}`,
  'distinct keys': (i: number) => `{"type":"publish","id":"m","key":"k${i}","ts":${i}}`,
  'distinct partitions': (i: number) => `{"type":"publish","id":"m","partition":"p${i}","offset":0,"ts":${i}}`,
  'distinct consumers': (i: number) => `{"type":"deliver","id":"m","consumer":"c${i}","offset":0,"ts":${i}}`,
  'events with an offset': (i: number) => `{"type":"deliver","id":"m","offset":${i},"ts":${i}}`,
  // The first effect is kept as a first time; every one after it keeps all of them (the first two at once).
  'effects of messages processed more than once': (i: number) => `{"type":"effect","id":"m","ts":${i}}`,
} as const;

describe("an audit's bounds", () => {
  it('refuse the line that names one more than the bound of each kind, and no line before it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(KINDS) as (keyof typeof KINDS)[])),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 0, max: 4 }),
        async (kind, limit, past) => {
          // As many as fit (for repeated effects: the second keeps two times, each one after it one more).
          const fit = limit;
          const lines = Array.from({ length: fit + past }, (_, i) => KINDS[kind](i));
          const got = await refusal(lines, new AuditBounds(limit, 1e9));
          if (past === 0) expect(got).toBeUndefined();
          else
            expect(got).toEqual({
              line: fit + 1,
              message: `more than ${limit} ${kind} (allowed: up to ${limit} in one audit; audit a shorter span of the log)`,
            });
        },
      ),
      { numRuns: 120 },
    );
  });

  it('count the characters of every name kept, ids, keys, partitions and consumers alike, once each', async () => {
    // Each line names a new id of 4 characters, a new key of 3 and a new consumer of 3: 10 characters a line,
    // and the same names again on a second line add none.
    const line = (i: number) =>
      `{"type":"deliver","id":"m${String(i).padStart(3, '0')}","key":"k${i % 10}${
        Math.floor(i / 10) % 10
      }","consumer":"c${i % 10}${Math.floor(i / 10) % 10}","offset":${i},"ts":${i}}`;
    const lines = Array.from({ length: 10 }, (_, i) => [line(i), line(i)]).flat();
    expect(await refusal(lines, new AuditBounds(1000, 100))).toBeUndefined();
    expect(await refusal(lines, new AuditBounds(1000, 99))).toEqual({
      line: 19,
      message:
        'more than 99 characters in the ids, keys, partitions and consumers named (allowed: up to 99 in one audit; ' +
        'audit a shorter span of the log)',
    });
  });

  it("are those of a JavaScript Map's size and of about half a gigabyte of names", () => {
    expect(MAX_AUDIT_ENTRIES).toBe(2 ** 24 - 1);
    expect(MAX_AUDIT_CHARACTERS).toBe(2 ** 29);
    expect(new AuditBounds().maxEntries).toBe(MAX_AUDIT_ENTRIES);
  });
});
