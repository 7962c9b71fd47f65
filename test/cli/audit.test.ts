// `acksim audit` from the command line: formats, checks and exit codes as for `run`, every kind of
// bad line reported with file and line, the log's own field names, and verdicts that are never green
// without something to audit. Hostile input is in audit-input.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { acksim, acksimInProcess, acksimProcess } from './run-cli.js';

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
    const r = acksim([
      'audit',
      csv,
      '--map',
      'type=kind,id=msg_id,ts=time',
      '--format',
      'junit',
      '--check',
      'duplicates == 0',
    ]);
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
      `${log}:3:1  type: unknown event type "boom" (allowed: publish, publish-failed, confirm, deliver, effect, ack, dead-letter)`,
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
    // Read, the bad line skipped; with no check given nothing was judged: exit 3, never a pass.
    expect(warn.status).toBe(3);
    expect(warn.stderr).toMatch(new RegExp(`^${csv}:3:1  malformed CSV: `));
    expect(warn.stderr).toContain('1 bad line(s) skipped');
    const audit = JSON.parse(warn.stdout).scenarios[0].results[0].audit;
    expect(audit.badLines).toBe(1);
    expect(JSON.parse(warn.stdout).scenarios[0].results[0].metrics.produced).toBe(2);
    const skip = acksim(['audit', csv, '--on-bad-line', 'skip']);
    expect(skip.status).toBe(3);
    expect(skip.stderr).toBe('');
    expect(skip.stdout).toContain('(1 bad, skipped)');
  });

  it('run --events writes the run as an event log; its audit agrees with the run; an existing file is kept', () => {
    const events = join(dir, 'lost-acks.jsonl');
    const run = acksim([
      'run',
      'lost-acks',
      '--mode',
      'at-least-once',
      '--messages',
      '3000',
      '--format',
      'json',
      '--events',
      events,
    ]);
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
      [
        ['audit', file('x.jsonl', ''), '--map', 'kind=type'],
        /unknown field "kind" \(allowed: type, id, ts, key, offset, consumer, partition\)/,
      ],
      [['audit', file('y.jsonl', ''), '--check', 'lost = 0'], /cannot read check "lost = 0"/],
    ] as const) {
      const r = acksim(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

/** The one result of an audit's JSON report. */
async function auditJson(args: readonly string[]) {
  const r = await acksimInProcess(['audit', ...args, '--format', 'json']);
  const report = JSON.parse(r.stdout);
  return { status: r.status, stderr: r.stderr, report, result: report.scenarios[0].results[0] };
}

describe('acksim audit: no verdict without something to audit', () => {
  const cases = [
    ['an empty log', 'empty.jsonl', '', /^nothing to audit: the log has no events$/],
    ['a log of blank lines', 'blank.jsonl', '\n  \n\r\n', /^nothing to audit: the log has no events$/],
    [
      'a log with no publish',
      'nopub.jsonl',
      `${line('confirm', 'a', 1)}\n${line('effect', 'b', 2)}\n`,
      /^nothing to audit: no publish in the log/,
    ],
    ['a CSV of only its header', 'header.csv', 'type,id,ts\n', /^nothing to audit: the log has no events$/],
    [
      'a log whose every publish failed',
      'failed.jsonl',
      `${line('publish', 'a', 1)}\n${line('publish-failed', 'a', 2)}\n`,
      /every publish in the log failed/,
    ],
  ] as const;
  for (const [what, name, text, reason] of cases) {
    it(`${what}: a passing check is inconclusive (exit 3), the report says why`, async () => {
      const log = file(name, text);
      const table = await acksimInProcess(['audit', log, '--check', 'lost == 0']);
      expect(table.status).toBe(3);
      expect(table.stdout).toMatch(/\? audit: lost == 0 {2}\(actual 0; inconclusive: nothing to audit: /);
      expect(table.stdout).not.toContain('PASS');
      const json = await auditJson([log, '--check', 'lost == 0']);
      expect(json.status).toBe(3);
      expect(json.report.ok).toBe(false);
      expect(json.result.inconclusive).toMatch(reason);
      expect(json.result.checks[0]).toMatchObject({
        status: 'inconclusive',
        ok: false,
        reason: json.result.inconclusive,
      });
    });
  }

  it('with no checks at all, an empty log says "nothing to audit" and exits 3 (table, markdown, junit; the real binary too)', async () => {
    const log = file('empty2.jsonl', '');
    const table = await acksimInProcess(['audit', log]);
    expect(table.status).toBe(3);
    expect(table.stdout).toContain('INCONCLUSIVE: nothing to audit: the log has no events in 1 scenario');
    const markdown = await acksimInProcess(['audit', log, '--format', 'markdown']);
    expect(markdown.stdout).toContain('**INCONCLUSIVE: nothing to audit: the log has no events in 1 scenario**');
    const junit = await acksimInProcess(['audit', log, '--format', 'junit']);
    expect(junit.status).toBe(3);
    expect(junit.stdout).toMatch(/<testsuite name="audit" tests="1" failures="0" errors="0" skipped="1" time="0">/);
    expect(junit.stdout).toContain('<skipped message="inconclusive: nothing to audit: the log has no events"/>');
    const spawned = acksimProcess(['audit', log, '--check', 'lost == 0']);
    expect(spawned.status).toBe(3);
  });

  it('of several logs, each that holds no event is named and makes a pass inconclusive (exit 3); a failure still fails', async () => {
    const ok = file('some.jsonl', `${line('publish', 'a', 0)}\n${line('effect', 'a', 1)}\n`);
    const empty = file('none.jsonl', '');
    const header = file('header-only.csv', 'type,id,ts\n');
    const r = await auditJson([ok, empty, header, '--check', 'lost == 0']);
    expect(r.status).toBe(3);
    expect(r.result.inconclusive).toBe(`${empty}, ${header} hold no event`);
    expect(r.result.checks[0]).toMatchObject({ status: 'inconclusive', reason: r.result.inconclusive });
    const table = await acksimInProcess(['audit', ok, empty]);
    expect(table.status).toBe(3);
    expect(table.stdout).toContain(`INCONCLUSIVE: ${empty} holds no event`);
    const failed = await acksimInProcess(['audit', ok, empty, '--check', 'lost == 1']);
    expect(failed.status).toBe(1);
    const other = file('more.jsonl', `${line('publish', 'b', 0)}\n${line('effect', 'b', 1)}\n`);
    const both = await acksimInProcess(['audit', ok, other, '--check', 'lost == 0']);
    expect(both.status).toBe(0);
  });

  it('a failed check still fails (exit 1) on a log with nothing to audit: a failure is a finding', async () => {
    const log = file('stray.jsonl', `${line('effect', 'ghost', 1)}\n`);
    const r = await acksimInProcess(['audit', log, '--check', 'lost == 0', '--check', 'audit.unexpected == 0']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('✗ audit: audit.unexpected == 0  (actual 1)');
  });
});

describe('acksim audit: honest counts', () => {
  it('an event of any type for an id never published is unexpected, and does not count as produced, lost or indeterminate', async () => {
    const log = file(
      'unexpected.jsonl',
      [
        line('publish', 'a', 0),
        line('confirm', 'a', 1),
        line('effect', 'a', 2),
        line('publish', 'b', 3),
        ...['confirm', 'deliver', 'effect', 'ack', 'dead-letter'].map((type, i) => line(type, `ghost-${i}`, 10 + i)),
      ].join('\n'),
    );
    const { status, result } = await auditJson([log, '--check', 'audit.unexpected == 0']);
    expect(status).toBe(1);
    expect(result.audit).toMatchObject({ unexpected: 5, unexpectedProcessed: 1, confirmed: 1, indeterminate: 1 });
    expect(result.metrics).toMatchObject({ produced: 2, processed: 1, lost: 0, deadLettered: 0, deliveries: 0 });
    const table = await acksimInProcess(['audit', log]);
    expect(table.stdout).toContain('audit  unexpected 5');
    expect(table.stdout).toContain(
      '5 message(s) with events but no publish in the log (1 processed): check audit.unexpected == 0',
    );
  });

  it('an effect timed before its publish is counted as clock skew and left out of latency, never clamped to 0.001 ms', async () => {
    const log = file(
      'skew.jsonl',
      [line('publish', 'a', 100), line('effect', 'a', 40), line('publish', 'b', 0), line('effect', 'b', 10)].join('\n'),
    );
    const { status, result } = await auditJson([log, '--check', 'audit.effectBeforePublish == 0']);
    expect(status).toBe(1);
    expect(result.audit.effectBeforePublish).toBe(1);
    expect(result.metrics.processed).toBe(2);
    expect(result.metrics.latencyMs.p50).toBeGreaterThanOrEqual(9.99);
    // A latency check cannot pass while clock skew leaves messages out of latencyMs.
    const latency = await auditJson([log, '--check', 'latencyMs.p99 < 1000', '--check', 'processed == 2']);
    expect(latency.status).toBe(3);
    expect(latency.result.checks.map((c: { status: string }) => c.status)).toEqual(['inconclusive', 'pass']);
    expect(latency.result.checks[0].reason).toBe(
      '1 message(s) with an effect timed before their publish (clock skew) are left out of latencyMs',
    );
    const table = await acksimInProcess(['audit', log]);
    expect(table.stdout).toContain('effect before publish 1');
    expect(table.stdout).toContain(
      "1 message(s) with an effect timed before their publish: the hosts' clocks disagree (clock skew)",
    );
  });

  it('--confirms: without confirms in the log an unconfirmed publish is lost; a stray confirm changes nothing; present makes it indeterminate', async () => {
    const log = file(
      'noconfirms.jsonl',
      [line('publish', 'a', 0), line('effect', 'a', 5), line('publish', 'b', 1), line('confirm', 'zz', 2)].join('\n'),
    );
    const auto = await auditJson([log, '--check', 'lost == 0']);
    expect(auto.status).toBe(1);
    expect(auto.result.metrics.lost).toBe(1);
    expect(auto.result.audit).toMatchObject({
      confirms: 'absent',
      confirmsRule: 'auto: no published message has a confirm; 1 confirm(s) of ids never published ignored',
      indeterminate: 0,
    });
    // Present: b is indeterminate, so lost is 0 or 1 and `lost == 0` is not settled (exit 3).
    const present = await auditJson([log, '--confirms', 'present', '--check', 'lost == 0']);
    expect(present.status).toBe(3);
    expect(present.result.audit).toMatchObject({
      confirms: 'present',
      confirmsRule: '--confirms present',
      indeterminate: 1,
    });
    const table = await acksimInProcess(['audit', log]);
    expect(table.stdout).toContain(
      'confirms absent (auto: no published message has a confirm; 1 confirm(s) of ids never published ignored): every publish without effect is lost unless dead-lettered',
    );
    // A log that records confirms, read as if it did not: every publish without effect is lost.
    const confirmed = file(
      'confirms.jsonl',
      [line('publish', 'a', 0), line('confirm', 'a', 1), line('publish', 'b', 2)].join('\n'),
    );
    const absent = await auditJson([confirmed, '--confirms', 'absent']);
    expect(absent.result.metrics.lost).toBe(2);
    expect(absent.result.audit).toMatchObject({ confirms: 'absent', confirmed: 1, indeterminate: 0 });
    const byDefault = await acksimInProcess(['audit', confirmed]);
    expect(byDefault.stdout).toContain(
      'confirms present (auto: 1 of 2 published messages have a confirm, at least half)',
    );
    expect(byDefault.stdout).toContain(
      '1 unconfirmed publish(es) counted indeterminate, not lost: if the log does not record every confirm, pass --confirms absent',
    );
    const bad = await acksimInProcess(['audit', log, '--confirms', 'maybe']);
    expect(bad.status).toBe(2);
  });

  it('--confirms present: a check that indeterminate messages could turn is inconclusive, never a pass', async () => {
    const log = file('publishes.jsonl', Array.from({ length: 100 }, (_, i) => line('publish', `m${i}`, i)).join('\n'));
    const r = await auditJson([
      log,
      '--confirms',
      'present',
      '--check',
      'lost == 0',
      '--check',
      'lossRate < 50%',
      '--check',
      'lost < 1000',
    ]);
    expect(r.status).toBe(3);
    expect(r.result.audit).toMatchObject({ indeterminate: 100 });
    const reason = '100 message(s) indeterminate (published, never confirmed nor delivered) could each be lost or not';
    expect(r.result.checks.map((c: { status: string; reason?: string }) => [c.status, c.reason])).toEqual([
      ['inconclusive', reason],
      ['inconclusive', reason],
      // 100 more losses still leave lost below 1000: settled.
      ['pass', undefined],
    ]);
    const table = await acksimInProcess(['audit', log, '--confirms', 'present', '--check', 'lost == 0']);
    expect(table.status).toBe(3);
    expect(table.stdout).toContain(reason);
    expect(table.stdout).not.toContain('PASS');
  });

  it('--confirms auto: one confirm among 1,000 publishes does not make the other 999 indeterminate; they are lost', async () => {
    const log = file(
      'one-confirm.jsonl',
      [
        line('publish', 'm0', 1),
        line('confirm', 'm0', 2),
        line('effect', 'm0', 3),
        ...Array.from({ length: 999 }, (_, i) => line('publish', `m${i + 1}`, 10 + i)),
      ].join('\n'),
    );
    const auto = await auditJson([log, '--check', 'lost == 0']);
    expect(auto.status).toBe(1);
    expect(auto.result.metrics).toMatchObject({ produced: 1000, processed: 1, lost: 999 });
    expect(auto.result.audit).toMatchObject({
      confirms: 'absent',
      confirmsRule:
        'auto: only 1 of 1,000 published messages have a confirm, fewer than half; --confirms present if the log records every confirm',
      indeterminate: 0,
    });
    const table = await acksimInProcess(['audit', log]);
    expect(table.stdout).toContain(
      'confirms absent (auto: only 1 of 1,000 published messages have a confirm, fewer than half; --confirms present if the log records every confirm): every publish without effect is lost unless dead-lettered',
    );
    // The user who knows the log records every confirm says so.
    // Present: b is indeterminate, so lost is 0 or 1 and `lost == 0` is not settled (exit 3).
    const present = await auditJson([log, '--confirms', 'present', '--check', 'lost == 0']);
    expect(present.status).toBe(3);
    expect(present.result.audit).toMatchObject({ confirms: 'present', indeterminate: 999 });
  });

  it('publish-failed: a publish the client knows failed is never lost but counted; an effect of it is an anomaly', async () => {
    const log = file(
      'failed-publish.jsonl',
      [
        line('publish', 'a', 0),
        line('publish-failed', 'a', 1),
        line('publish', 'b', 2),
        line('publish-failed', 'b', 3),
        line('effect', 'b', 9),
        line('publish', 'c', 4),
        line('confirm', 'c', 5),
        line('effect', 'c', 6),
        // A failed attempt, then a retry that made it.
        line('publish', 'd', 7),
        line('publish-failed', 'd', 8),
        line('publish', 'd', 9),
        line('confirm', 'd', 10),
      ].join('\n'),
    );
    const { status, result } = await auditJson([
      log,
      '--check',
      'lost == 0',
      '--check',
      'audit.failedButProcessed == 0',
    ]);
    expect(status).toBe(1);
    expect(result.audit).toMatchObject({ failedPublishes: 2, failedButProcessed: 1, unexpected: 0 });
    expect(result.metrics).toMatchObject({ produced: 2, processed: 1, lost: 1, publishAttempts: 3 });
    expect(result.checks.map((c: { status: string }) => c.status)).toEqual(['fail', 'fail']);
    const table = await acksimInProcess(['audit', log]);
    expect(table.stdout).toContain('failed publishes 2');
    expect(table.stdout).toContain('1 message(s) processed although every publish of theirs failed');
  });

  it('a publish line logged twice is one publish, not a retry', async () => {
    const log = file(
      'repeated.jsonl',
      [line('publish', 'a', 5), line('publish', 'a', 5), line('deliver', 'a', 6), line('effect', 'a', 7)].join('\n'),
    );
    const { result } = await auditJson([log]);
    expect(result.metrics).toMatchObject({ publishAttempts: 1, publishRetries: 0, retryRate: 0 });
    expect(result.audit.repeatedPublishes).toBe(1);
  });

  it('help shows the event types, --confirms, the line bound and exit code 3', async () => {
    const r = await acksimInProcess(['audit', '--help']);
    expect(r.status).toBe(0);
    for (const text of [
      'publish-failed',
      '--confirms <rule>',
      'a line may be up to 1 MiB',
      '3 inconclusive (no --check given: nothing was judged;',
      'audit.unexpected == 0',
    ])
      expect(r.stdout.toLowerCase()).toContain(text.toLowerCase());
  });
});

describe('audit reads from the working folder it is given', () => {
  it('a relative log path is read from io.cwd, not from the process folder (the API and in-process use)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-audit-cwd-'));
    const lines = [0, 1, 2].flatMap((i) => [
      { type: 'publish', id: `m${i}`, ts: i },
      { type: 'effect', id: `m${i}`, ts: i + 1 },
    ]);
    writeFileSync(join(dir, 'here.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const r = await acksimInProcess(['audit', 'here.jsonl', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).scenarios[0].results[0].metrics.produced).toBe(3);
  });
});
