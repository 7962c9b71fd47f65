// The hand-read fast path of a JSON Lines log (flat-json.ts) against JSON.parse: on random and hostile lines
// it either declines or reads exactly the values JSON.parse gives, and whole logs audit to the same report and
// the same bad-line messages as when every line goes through JSON.parse.
import '../../setup.js';
import fc from 'fast-check';
import { anyText } from '../../any-text.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { DEFAULT_FIELDS, EVENT_TYPES, toEvent, type FieldMap } from '../../../src/audit/event.js';
import { readFlatObject, type FlatFields } from '../../../src/audit/flat-json.js';
import { readLogs, type BadLine } from '../../../src/audit/read-logs.js';
import { AuditTally } from '../../../src/audit/tally.js';

const keys = fc.constantFrom(
  'type',
  'id',
  'ts',
  'kind',
  '__proto__',
  'constructor',
  '',
  'ty\\u0070e',
  'i"d',
  'tş',
  'partition',
);
const numberTexts = fc.constantFrom(
  '0',
  '-0',
  '12',
  '-7',
  '1e400',
  '-1e400',
  '1E-400',
  '01',
  '-01',
  '1.',
  '.5',
  '+1',
  '1.5e3',
  '9007199254740993',
  '123456789012345',
  '1234567890123456',
  '0.1',
  '1e+2',
  '-',
  '1x',
  'NaN',
  'Infinity',
  '0x10',
);
const stringTexts = fc.oneof(
  fc.constantFrom(...EVENT_TYPES, ' ack ', '', 'msg-1', '\u2028', '\ud83d\ude00', '\\n', '\\"', '\\u0061ck', '\t'),
  fc.string({ maxLength: 6 }),
  anyText({ maxLength: 4 }),
);
const values = fc.oneof(
  { weight: 4, arbitrary: numberTexts },
  { weight: 2, arbitrary: fc.integer().map(String) },
  { weight: 2, arbitrary: fc.double().map((x) => JSON.stringify(x)) },
  { weight: 6, arbitrary: stringTexts.map((s) => `"${s}"`) },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null', '{}', '[]', '{"a":1}', '[1,"x"]', '"a') },
);
const space = fc.constantFrom('', '', '', ' ', '\t', '\r', '\n', '  ', '\u00a0', '\ufeff', '\u000b');
/** A line built token by token, with random whitespace (some of it not JSON's) between tokens. */
const lines = fc
  .tuple(
    fc.array(fc.tuple(keys, values, space, space, space, space), { maxLength: 5 }),
    space,
    space,
    fc.constantFrom('{', '{', '{', '[', ''),
    fc.constantFrom('}', '}', '}', '', '}}', '},', '] '),
  )
  .map(([pairs, before, after, open, close]) =>
    [
      before,
      open,
      pairs.map(([k, v, s1, s2, s3, s4]) => `${s1}"${k}"${s2}:${s3}${v}${s4}`).join(','),
      close,
      after,
    ].join(''),
  );
/** Lines that are nearly always JSON objects, with hostile numbers and strings in our three fields. */
const objectLines = fc
  .array(
    fc.tuple(
      fc.constantFrom('type', 'id', 'ts', '__proto__'),
      fc.oneof(
        numberTexts,
        stringTexts.map((s) => `"${s}"`),
      ),
      fc.constantFrom('', ' ', '\t'),
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((pairs) => `{${pairs.map(([k, v, s]) => `"${k}":${s}${v}`).join(',')}}`);
/** Flat objects of plain strings and numbers, as a logger writes them: the fast path must take every one. */
const plainLines = fc
  .array(
    fc.tuple(
      fc.constantFrom('type', 'id', 'ts', 'host', '__proto__', 'partition', 'p'),
      fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.stringMatching(/^[ -!#-[\]-~]{0,8}$/), fc.integer(), fc.double()),
    ),
    { maxLength: 6 },
  )
  .map(
    (pairs) =>
      `{${pairs.map(([k, v]) => `"${k}":${Number.isFinite(v) || typeof v === 'string' ? JSON.stringify(v) : 0}`).join(',')}}`,
  );
const fieldMaps = fc.constantFrom<FieldMap>(
  DEFAULT_FIELDS,
  { type: 'kind', id: '__proto__', ts: 'ts', key: 'key', offset: 'o', consumer: '', partition: 'p' },
  { type: 'constructor', id: 'id', ts: '', key: 'k', offset: '', consumer: 'by', partition: '' },
  { type: 'tş', id: 'i"d', ts: 'type', key: 'kéy', offset: 'offset', consumer: 'c', partition: 'partition' },
);

/** What JSON.parse makes of a line: its mapped fields read as toEvent reads them, or the error's message. */
function parsed(text: string, fields: FieldMap): FlatFields | { error: string; notObject?: boolean } {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return { error: '', notObject: true };
  const own = record as Record<string, unknown>;
  const field = (name: string): unknown => (Object.hasOwn(own, name) ? own[name] : undefined);
  const optional = (name: string): unknown => (name === '' ? undefined : field(name));
  return {
    type: field(fields.type),
    id: field(fields.id),
    ts: field(fields.ts),
    key: optional(fields.key),
    offset: optional(fields.offset),
    consumer: optional(fields.consumer),
    partition: optional(fields.partition),
  };
}

function fast(text: string, fields: FieldMap): FlatFields | undefined {
  const out: FlatFields = { type: 1, id: 2, ts: 3, key: 4, offset: 5, consumer: 6, partition: 7 };
  return readFlatObject(text, 0, text.length, fields.type, fields.id, fields.ts, fields, out) ? out : undefined;
}

describe('flat JSON fast path', () => {
  it('reads a line in place, inside the chunk around it, exactly as it reads the line alone', () => {
    // What may follow a line in the reader's chunk: its line end, the next line, whitespace and a brace, nothing.
    const after = fc.oneof(
      fc.constant(''),
      fc.constantFrom('\n', '\r\n', '\n}', ' }\n', '\n\t"x":1}', '"\n'),
      fc.oneof(lines, objectLines, plainLines).map((next) => `\n${next}`),
    );
    const before = fc.oneof(
      fc.constant(''),
      fc.oneof(lines, objectLines).map((previous) => `${previous}\n`),
    );
    fc.assert(
      fc.property(before, fc.oneof(lines, objectLines, plainLines), after, fieldMaps, (head, text, tail, fields) => {
        const chunk = head + text + tail;
        const out: FlatFields = { type: 1, id: 2, ts: 3, key: 4, offset: 5, consumer: 6, partition: 7 };
        const from = head.length;
        const { type, id, ts } = fields;
        const inPlace = readFlatObject(chunk, from, from + text.length, type, id, ts, fields, out);
        const alone = fast(text, fields);
        expect(inPlace ? { ...out } : undefined).toEqual(alone === undefined ? undefined : { ...alone });
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a line only when JSON.parse reads the same object, and then the same values of every mapped field (-0 and Infinity too)', () => {
    fc.assert(
      fc.property(fc.oneof(lines, objectLines, plainLines), fieldMaps, (text, fields) => {
        const mine = fast(text, fields);
        if (mine === undefined) return;
        const theirs = parsed(text, fields);
        expect(theirs).not.toHaveProperty('error');
        const t = theirs as FlatFields;
        // Object.is: -0 is not 0, NaN never arises.
        const fieldNames = ['type', 'id', 'ts', 'key', 'offset', 'consumer', 'partition'] as const;
        expect(fieldNames.filter((f) => !Object.is(mine[f], t[f]))).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes every flat object of plain strings and numbers (the common line), so the fast path is used', () => {
    fc.assert(
      fc.property(plainLines, (text) => {
        expect(fast(text, DEFAULT_FIELDS)).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the last of a key given twice, reads -0, 1e400 and long numbers as JSON.parse does', () => {
    expect(fast('{"type":"ack","id":"a","type":"effect","ts":-0}', DEFAULT_FIELDS)).toEqual({
      type: 'effect',
      id: 'a',
      ts: -0,
    });
    expect(Object.is(fast('{"type":"a","id":-0,"ts":1}', DEFAULT_FIELDS)?.id, -0)).toBe(true);
    expect(fast('{"ts":1e400,"id":9007199254740993,"type":1.5e3}', DEFAULT_FIELDS)).toEqual({
      type: 1500,
      id: 9007199254740992,
      ts: Infinity,
    });
    expect(fast(' {"__proto__":"x", "id" : "y", "offset": 7}\t', { ...DEFAULT_FIELDS, type: '__proto__' })).toEqual({
      type: 'x',
      id: 'y',
      ts: undefined,
      key: undefined,
      offset: 7,
      consumer: undefined,
    });
  });

  it('declines escapes, nesting, literals, leading zeros and whitespace JSON does not allow', () => {
    for (const text of [
      '{"type":"a\\u0063k","id":"a","ts":1}',
      '{"ty\\u0070e":"ack","id":"a","ts":1}',
      '{"type":"ack","id":{"a":1},"ts":1}',
      '{"type":"ack","id":"a","ts":null}',
      '{"type":"ack","id":"a","ts":01}',
      '{"type":"ack","id":"a","ts":1}\u00a0',
      '\ufeff{"type":"ack","id":"a","ts":1}',
      '{"type":"ack","id":"a\tb","ts":1}',
      '{"type":"ack","id":"a","ts":1},',
      '{"type":"ack","id":"a","ts":1',
      '{"type":"ack","id":"a",}',
      '["ack"]',
    ])
      expect([text, fast(text, DEFAULT_FIELDS)]).toEqual([text, undefined]);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'acksim-flat-json-'));
let logs = 0;

/** A log's report and bad lines through readLogs (the fast path where it applies). */
async function audited(text: string, fields: FieldMap): Promise<{ report: unknown; bad: BadLine[] }> {
  const file = join(dir, `log-${logs++}.jsonl`);
  writeFileSync(file, text);
  const tally = new AuditTally();
  const bad: BadLine[] = [];
  await readLogs([file], tally, { cwd: dir, fields, onBadLine: (line) => bad.push(line) });
  return { report: tally.measure({ dedupeWindowMs: 1000 }), bad: bad.map((b) => ({ ...b, file: '' })) };
}

/** The same log with every line through JSON.parse and toEvent, as before the fast path. */
function reference(text: string, fields: FieldMap): { report: unknown; bad: BadLine[] } {
  const tally = new AuditTally();
  const bad: BadLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const unended = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // A byte-order mark opens a file, not a record.
    const line = i === 0 && unended.startsWith('\ufeff') ? unended.slice(1) : unended;
    if (line.trim() === '') return;
    let event;
    try {
      event = toEvent(JSON.parse(line), fields);
    } catch (error) {
      event = `malformed JSON: ${(error as Error).message}`;
    }
    if (typeof event === 'string') {
      tally.skip();
      bad.push({ file: '', line: i + 1, message: event });
    } else tally.add(event);
  });
  return { report: tally.measure({ dedupeWindowMs: 1000 }), bad };
}

describe('audit reports with the fast path', () => {
  const events = fc
    .tuple(
      fc.constantFrom(...EVENT_TYPES),
      fc.oneof(
        fc.constantFrom('m1', 'm2', 'm3', ' m1', 'a-rather-long-message-id-0001'),
        fc.integer({ min: 0, max: 3 }),
      ),
      fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom('2026-11-23T12:00:00Z', '-0', 1.5)),
    )
    .map(([type, id, ts]) => JSON.stringify({ type, id, ts }));
  const logLines = fc.oneof({ weight: 5, arbitrary: events }, { weight: 2, arbitrary: lines }, objectLines, plainLines);

  it('gives the same report and bad-line messages as JSON.parse on every line, for random logs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(logLines, { maxLength: 40 }), fieldMaps, async (log, fields) => {
        const text = log.join('\n');
        expect(await audited(text, fields)).toEqual(reference(text, fields));
      }),
      { numRuns: 150 },
    );
  });
});
