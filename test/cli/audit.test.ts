// `acksim audit` from the command line: formats, checks and exit codes as for `run`, every kind of
// bad line reported with file and line, and the log's own field names.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { acksim } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acksim-audit-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const line = (type: string, id: string, ts: number | string) => JSON.stringify({ type, id, ts });
/** a: processed twice (redelivered); b: confirmed, never delivered (lost); c: unconfirmed, processed (recovered). */
const LOG = [
  line('publish', 'a', 0),
  line('confirm', 'a', 1),
  line('deliver', 'a', 2),
  line('effect', 'a', 5),
  line('deliver', 'a', 30_002),
  line('effect', 'a', 30_005),
  line('publish', 'b', 10),
  line('confirm', 'b', 11),
  line('publish', 'c', 20),
  line('deliver', 'c', 21),
  line('effect', 'c', '1970-01-01T00:00:00.100Z'),
  '',
].join('\n');

describe('acksim audit', () => {
  it('reports loss, duplicates and the log’s own facts; a failed check exits 1, JSON carries the audit', () => {
    const log = file('ok.jsonl', LOG);
    const table = acksim(['audit', log, '--check', 'lost == 0', '--check', 'audit.recovered == 1']);
    expect(table.status).toBe(1);
    expect(table.stdout).toContain('lost 1 (neverDelivered 1); duplicated 1 (redelivered 1)');
    expect(table.stdout).toContain('confirmed 2 · indeterminate 0 · recovered 1 · unexpected 0');
    expect(table.stdout).toContain('✗ audit: lost == 0  (actual 1)');
    const json = acksim(['audit', log, '--format', 'json', '--dedupe-window', '10000', '--check', 'duplicates == 1']);
    expect(json.status).toBe(0);
    const result = JSON.parse(json.stdout).scenarios[0].results[0];
    expect(result.metrics).toMatchObject({ produced: 3, processed: 2, lost: 1, duplicates: 1, redeliveries: 1 });
    expect(result.audit).toMatchObject({ lines: 11, recovered: 1, caughtByDedupeWindow: 0, missedByDedupeWindow: 1 });
  });

  it('JUnit for CI, from a CSV log with its own field names', () => {
    const csv = file('own.csv', 'kind,msg_id,time\npublish,1,0\nconfirm,1,1\neffect,1,4\neffect,1,9\n');
    const r = acksim(['audit', csv, '--map', 'type=kind,id=msg_id,ts=time', '--format', 'junit', '--check', 'duplicates == 0']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/<testsuites[\s\S]*<failure[^>]*>duplicates == 0 failed: actual 1/);
  });

  it('reports every kind of bad line with file and line, exits 2 and audits nothing (default fail)', () => {
    const log = file(
      'bad.jsonl',
      [
        line('publish', 'a', 0),
        '{"type": "publish"',
        line('boom', 'a', 1),
        '{"type":"effect","ts":1}',
        line('effect', 'a', 'yesterday'),
        '[1]',
      ].join('\n'),
    );
    const r = acksim(['audit', log]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${log}:2:1  malformed JSON: `)),
      `${log}:3:1  type: unknown event type "boom" (allowed: publish, confirm, deliver, effect, ack, dead-letter)`,
      `${log}:4:1  missing field "id" (the message id)`,
      `${log}:5:1  ts: "yesterday" is not a time (allowed: ms as a number, or ISO-8601 with a zone, e.g. 2026-11-23T12:00:00.000Z)`,
      `${log}:6:1  not an object (allowed: one JSON object per line)`,
      `${log}  5 bad line(s); nothing audited (--on-bad-line skip or warn audits the rest)`,
    ]);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('warn lists bad lines and audits the rest; skip only counts them; a bad CSV row is a bad line too', () => {
    // A stray quote spoils its own line only: the lines after it are still read.
    const csv = file('bad.csv', '\uFEFFtype,id,ts\r\npublish,1,0\r\npublish,"2,3\r\neffect,1,5\r\npublish,4,6\r\n');
    const warn = acksim(['audit', csv, '--on-bad-line', 'warn', '--format', 'json']);
    expect(warn.status).toBe(0);
    expect(warn.stderr).toMatch(new RegExp(`^${csv}:3:1  malformed CSV: `));
    expect(warn.stderr).toContain('1 bad line(s) skipped');
    const audit = JSON.parse(warn.stdout).scenarios[0].results[0].audit;
    expect(audit.badLines).toBe(1);
    expect(JSON.parse(warn.stdout).scenarios[0].results[0].metrics.produced).toBe(2);
    const skip = acksim(['audit', csv, '--on-bad-line', 'skip']);
    expect(skip.status).toBe(0);
    expect(skip.stderr).toBe('');
    expect(skip.stdout).toContain('(1 bad, skipped)');
  });

  it('run --events writes the run as an event log; its audit agrees with the run; an existing file is kept', () => {
    const events = join(dir, 'lost-acks.jsonl');
    const run = acksim(['run', 'lost-acks', '--mode', 'at-least-once', '--messages', '3000', '--format', 'json', '--events', events]);
    expect(run.status).toBe(0);
    const simulated = JSON.parse(run.stdout).scenarios[0].results[0].metrics;
    const audit = acksim(['audit', events, '--format', 'json', '--check', `duplicates == ${simulated.duplicates}`]);
    expect(audit.status).toBe(0);
    const audited = JSON.parse(audit.stdout).scenarios[0].results[0].metrics;
    for (const key of ['produced', 'processed', 'lost', 'duplicates', 'deliveries', 'publishAttempts'])
      expect(audited[key]).toBe(simulated[key]);
    const again = acksim(['run', 'lost-acks', '--mode', 'at-least-once', '--events', events]);
    expect(again.status).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(`acksim: --events ${events} exists; choose another path or pass --force\n`);
    const twoModes = acksim(['run', 'lost-acks', '--events', join(dir, 'other.jsonl')]);
    expect(twoModes.status).toBe(2);
    expect(twoModes.stderr).toContain('allowed: one --mode');
  });

  it('reads a JSON Lines file that starts with a byte-order mark and ends lines with CRLF', () => {
    const log = file('bom.jsonl', `\uFEFF${line('publish', 'a', 0)}\r\n${line('effect', 'a', 1)}\r\n`);
    const r = acksim(['audit', log, '--format', 'json', '--check', 'processed == 1']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses a missing file, a bad --map and a bad check in one line each, exit 2', () => {
    for (const [args, message] of [
      [['audit', join(dir, 'nope.jsonl')], /nope\.jsonl: cannot read the log \(no such file\)/],
      [['audit', file('x.jsonl', ''), '--map', 'kind=type'], /unknown field "kind" \(allowed: type, id, ts\)/],
      [['audit', file('y.jsonl', ''), '--check', 'lost = 0'], /cannot read check "lost = 0"/],
    ] as const) {
      const r = acksim(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
