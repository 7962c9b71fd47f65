// Fuzz target: random malformed logs (JSON Lines and CSV, binary bytes, huge fields, control
// characters, stray quotes), under file names and --map columns with control characters, through the
// in-process CLI. Whatever the input: an exit code of the contract (never 70), no stack trace, nothing
// unescaped echoed, and a bounded time. Every case runs, however slow the machine: no time budget cuts
// the run short. Seeded by test/setup.ts (FC_SEED explores elsewhere); FC_RUNS raises the number of logs.
import '../setup.js';
import fc from 'fast-check';
import { anyText } from '../any-text.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { EVENT_TYPES } from '../../src/audit/event.js';
import { escapeControls } from '../../src/safe-text.js';
import { acksimInProcess } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acksim-fuzz-audit-'));
let logs = 0;

const nasty = fc.constantFrom(
  '\u001b[31m',
  '\u001b]0;title\u0007',
  '\u009b2J',
  '\u202e',
  '\u0000',
  '\r',
  '"',
  ',',
  '\\',
  '\ufeff',
  '\ud800',
);
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  anyText({ maxLength: 12 }),
  nasty,
  fc.array(fc.oneof(nasty, fc.string({ maxLength: 3 })), { maxLength: 5 }).map((parts) => parts.join('')),
);
/** Now and then a field past the line bound (1 MiB), or long enough to be cut when echoed. */
const huge = fc.constantFrom(2000, 70_000, 2 ** 20 + 7).map((n) => 'z'.repeat(n));
const type = fc.oneof(
  fc.constantFrom(...EVENT_TYPES),
  fc.constantFrom(' publish', 'PUBLISH', 'sent', '', 'constructor', '__proto__'),
  text,
);
const id = fc.oneof(
  fc.constantFrom('a', 'b', 'c', ' ', ''),
  fc.integer({ min: 0, max: 5 }),
  fc.constantFrom(2 ** 60, -0, 1.5, null, true),
  text,
  fc.constant({ nested: [1] }),
);
const ts = fc.oneof(
  fc.integer({ min: -5, max: 50 }),
  fc.constantFrom(
    '1e999',
    'NaN',
    'Infinity',
    '2026-11-23T12:00:00Z',
    '2026-11-23T12:00:00',
    '2026-13-45T99:99Z',
    '',
    ' 7 ',
  ),
  fc.double(),
  text,
);
const event = fc.record({ type, id, ts }, { requiredKeys: [] });
/** A good event of a few ids, so that many logs get as far as a verdict. */
const goodEvent = fc.record({
  type: fc.constantFrom(...EVENT_TYPES, 'publish', 'effect'),
  id: fc.constantFrom('a', 'b', 'c', 'd', 7),
  ts: fc.integer({ min: 0, max: 50 }),
});

/** One line of a JSON Lines log: an event, an event with a bad field, any JSON, or no JSON at all. */
const jsonLine = fc.oneof(
  { weight: 8, arbitrary: goodEvent.map((e) => JSON.stringify(e)) },
  { weight: 3, arbitrary: event.map((e) => JSON.stringify(e)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: fc.nat({ max: 1000 }).map((n) => '['.repeat(n)) },
  { weight: 1, arbitrary: fc.tuple(type, huge).map(([t, h]) => JSON.stringify({ type: t, id: h, ts: 1 })) },
);
const csvField = fc.oneof(
  type.map(String),
  id.map((v) => (typeof v === 'object' ? '' : String(v))),
  ts.map(String),
  text,
);
/** One line of a CSV log: a header (ours, another, none), a row, or a row that is not one. */
const csvLine = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom('type,id,ts', 'kind,msg_id,time', 'type,type,id,ts', 'id,ts', ' type , id , ts '),
  },
  { weight: 8, arbitrary: goodEvent.map((e) => `${e.type},${e.id},${e.ts}`) },
  { weight: 3, arbitrary: fc.array(csvField, { minLength: 1, maxLength: 4 }).map((fields) => fields.join(',')) },
  { weight: 1, arbitrary: huge.map((h) => `publish,"${h},1`) },
  { weight: 1, arbitrary: text },
);
const lineEnd = fc.constantFrom('\n', '\r\n', '\n\n');
const log = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ csv: fc.constant(false), body: fc.array(fc.tuple(jsonLine, lineEnd), { maxLength: 12 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ csv: fc.constant(true), body: fc.array(fc.tuple(csvLine, lineEnd), { maxLength: 12 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      csv: fc.boolean(),
      body: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    }),
  },
);
/** Text with terminal escapes and other controls (no "/" or NUL, so it can be part of a file name). */
const controlled = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\u001b[31m',
        '\u001b]0;title\u0007',
        '\u009b2J',
        '\u202e',
        '\n',
        '\t',
        '\r',
        '\u007f',
        "'",
        '$(x)',
        ' ',
      ),
      fc.stringMatching(/^[a-z]{1,3}$/),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.join(''));
const flags = fc.record({
  onBadLine: fc.constantFrom('fail', 'skip', 'warn'),
  confirms: fc.constantFrom('auto', 'present', 'absent'),
  format: fc.constantFrom('table', 'json', 'markdown', 'junit'),
  checks: fc.subarray(['lost == 0', 'audit.unexpected == 0', 'duplicates == 0', 'latencyMs.p99 < 100']),
  map: fc.oneof(
    fc.constantFrom(undefined, 'type=kind,id=msg_id,ts=time'),
    controlled.map((name) => `type=${name},id=msg_id,ts=time`),
    controlled.map((name) => `id=${name}`),
    controlled.map((name) => `${name}=kind`),
  ),
  /** Part of the log's file name: printed in messages and the reproduce line. */
  name: fc.option(controlled, { nil: '' }),
});
/** Logs audited per run: fixed, so a slow machine takes longer instead of quietly testing less. */
const RUNS = Number(process.env.FC_RUNS ?? 150);
/**
 * One case takes well under 100 ms on a quiet machine; the bound is generous (tests run two files at a
 * time on shared cores, and a busy CI can be ten times slower) so that it catches a hang, not a slow machine.
 */
const CASE_BOUND_MS = 60_000;

describe('fuzz: acksim audit with malformed logs', () => {
  it('exits 0-3 (never 70), prints no stack trace and no raw control character, in bounded time', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(log, flags, async (input, f) => {
        cases++;
        const path = join(dir, `log-${logs++}${f.name}.${input.csv ? 'csv' : 'jsonl'}`);
        writeFileSync(path, Buffer.isBuffer(input.body) ? input.body : input.body.map(([l, end]) => l + end).join(''));
        const args = ['audit', path, '--on-bad-line', f.onBadLine, '--confirms', f.confirms, '--format', f.format];
        for (const check of f.checks) args.push('--check', check);
        if (f.map !== undefined) args.push('--map', f.map);
        const started = performance.now();
        const r = await acksimInProcess(args);
        expect(performance.now() - started).toBeLessThan(CASE_BOUND_MS);
        expect([0, 1, 2, 3]).toContain(r.status);
        expect(r.stderr).not.toMatch(/^ {4}at /m);
        expect(r.stderr).not.toMatch(/internal error|RangeError|TypeError/);
        // Everything echoed from the log, its name and --map is escaped (safeText, shellWord), on stderr
        // and in every format on stdout: no terminal escape anywhere.
        expect(r.stdout).not.toContain('\u001b');
        expect(r.stderr).not.toContain('\u001b');
        expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
        expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e]/);
        for (const line of r.stderr.split('\n')) expect(line.length).toBeLessThan(2000);
        // Bad input says what is wrong and where (a bad --map says so before any file is read); any
        // other outcome is a report.
        if (r.status === 2 && !r.stderr.startsWith('acksim: --map')) expect(r.stderr).toContain(escapeControls(path));
        else if (r.status !== 2) expect(r.stdout).not.toBe('');
      }),
      { numRuns: RUNS },
    );
    // Every case ran: nothing cut the run short.
    expect(cases).toBe(RUNS);
  });
});
