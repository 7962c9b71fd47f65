// `acksim audit`: the report of a simulated run, for what a real system's event log says happened.
import { shellWord } from '../safe-text.js';
import { Command, Option } from 'commander';
import { basename } from 'node:path';
import { DEFAULT_FIELDS, parseFieldMap, type FieldMap } from '../audit/event.js';
import { auditReport } from '../audit/audit-report.js';
import { CONFIRMS_SETTINGS, type ConfirmsSetting } from '../audit/facts.js';
import { MAX_LINE_BYTES } from '../audit/line-reader.js';
import { readLogs, type BadLine, type LogFormat } from '../audit/read-logs.js';
import { MAX_OTLP_LINE_BYTES } from '../audit/otlp-log.js';
import { AuditTally } from '../audit/tally.js';
import { BadLinesError, formatIssue, UsageError } from '../errors.js';
import { sizeText } from '../input-file.js';
import type { Issue } from '../scenario/types.js';
import type { FormatName } from '../report/index.js';
import { parseCheck } from '../scenario/check-expression.js';
import { exitCodeOf } from '../run/report.js';
import { emit, longWork, type Io } from './common.js';
import {
  integer,
  formatOption,
  outOption,
  forceOption,
  noColorOption,
  quietOption,
  progressOption,
} from './options.js';
import { outputWidth, useColor } from './terminal.js';
import { RUN_FORMATS } from './run-formats.js';
import { causeGlosses } from '../run/cause-glossary.js';

interface AuditFlags {
  map?: string;
  input: LogFormat;
  identity: 'id' | 'value';
  idAttribute?: string;
  dedupeWindow?: number;
  confirms: ConfirmsSetting;
  onBadLine: 'fail' | 'skip' | 'warn';
  check?: string[];
  format: FormatName | 'html';
  out?: string;
  color?: boolean;
  quiet?: boolean;
  progress?: boolean;
  force?: boolean;
}

/** Bad lines printed before the rest are only counted. */
const SHOWN_BAD_LINES = 20;

const EXAMPLES = `
Events, one per line (JSON Lines) or per row (CSV whose first line is a header; files ending in .csv):
  {"type": "publish", "id": "order-17", "ts": 1763900000000}
  type: publish | publish-failed | confirm | deliver | effect | ack | dead-letter
        (publish-failed: the client learned that a publish attempt failed, e.g. the broker refused it;
        written after that attempt's publish)
  id:   the message id (a string or a number; up to 1,024 characters)
  ts:   ms (a number within ±5e14 of 1970: a time in µs or ns is refused) or ISO-8601 with a zone
        ("2026-11-23T12:00:00.123Z")
  key:  optional, the message's key: outOfOrder counts messages whose first effect came after the first
        effect of a message of their key published later (ties in time are no order).
  Other fields are ignored. Lines may come in any order; several files are read as one log.
OpenTelemetry traces (OTLP/JSON, one export request per line, or one document): by the messaging
  conventions, a send span is a publish, then a confirm (publish-failed when its status is ERROR); a
  process span a delivery, then an effect unless ERROR; a settle span an ack. Receive spans are
  skipped (a batch names no one message; each message has its process span).
  A line may be up to ${sizeText(MAX_LINE_BYTES)} (of traces, ${sizeText(MAX_OTLP_LINE_BYTES)}); a file must be a regular file of
  UTF-8 text.

Examples:
  $ acksim audit events.jsonl                                the report of a run, for a real log
  $ acksim audit a.jsonl b.csv --map type=kind,id=msg_id,ts=time   the log's own field names
  $ acksim audit events.jsonl --check 'lost == 0' --check 'audit.unexpected == 0' --format junit --out audit.xml
  $ acksim audit events.jsonl --confirms absent              the log does not record confirms
  $ acksim audit events.jsonl --dedupe-window 300000         duplicates a 5-min dedupe store would catch
  $ acksim audit events.jsonl --on-bad-line warn             audit what can be read; list the rest

Lost: published, no effect, not dead-lettered, and not indeterminate. With confirms present (the log
records them: --confirms present, or auto when at least half of the published messages have a
confirm), a publish never confirmed nor delivered and without effect is indeterminate; with confirms
absent (auto below half: a few confirms do not show that the log records them all) it is lost.
A publish whose every attempt failed (publish-failed) is never lost: audit.failedPublishes.
Unexpected: a message with events but no publish (audit.unexpected); an effect timed before its
publish is counted (audit.effectBeforePublish), not given a latency.
Exit codes: 0 all checks passed, 1 a check failed, 2 bad input (an unreadable file, a CSV without a
header, bad lines under --on-bad-line fail), 3 inconclusive (no --check given: nothing was judged;
nothing to audit: no message published, or a log of several holds no event; or a loss check
indeterminate messages could turn).`;

/** Collects bad lines as they are read: the first few kept (and, with warn, printed), the rest counted. */
function badLines(flags: AuditFlags, io: Io) {
  const shown: BadLine[] = [];
  let count = 0;
  return {
    onBadLine: (line: BadLine) => {
      count++;
      if (shown.length < SHOWN_BAD_LINES) shown.push(line);
      if (flags.onBadLine === 'warn' && count <= SHOWN_BAD_LINES) io.stderr(`${formatIssue(asIssue(line))}\n`);
    },
    /** After reading: refuses the log (--on-bad-line fail) or says how many lines were skipped (warn). */
    settle: (files: readonly string[]) => {
      const more = count - SHOWN_BAD_LINES;
      if (flags.onBadLine === 'fail' && count > 0) {
        const issues: Issue[] = shown.map(asIssue);
        const tail = more > 0 ? `; ${more} more not shown` : '';
        issues.push({
          file: files.join(' '),
          path: '',
          message: `${count} bad line(s)${tail}; nothing audited (--on-bad-line skip or warn audits the rest)`,
        });
        throw new BadLinesError(issues);
      }
      if (flags.onBadLine === 'warn' && more > 0) io.stderr(`... and ${more} more bad line(s)\n`);
      if (flags.onBadLine === 'warn' && count > 0) io.stderr(`${count} bad line(s) skipped\n`);
    },
  };
}

async function audit(files: string[], flags: AuditFlags, io: Io): Promise<number> {
  if (flags.idAttribute !== undefined && flags.idAttribute.trim() === '')
    throw new UsageError('--id-attribute: empty (allowed: the name of a span attribute, e.g. app.order_id)');
  let fields: FieldMap = DEFAULT_FIELDS;
  if (flags.map !== undefined) {
    const parsed = parseFieldMap(flags.map);
    if (typeof parsed === 'string') throw new UsageError(parsed);
    fields = parsed;
  }
  const checks = (flags.check ?? []).map((text) => {
    const parsed = parseCheck(text, 'audit');
    if (!parsed.ok) throw new UsageError(`--check: ${parsed.message}`);
    return { text: text.trim(), check: parsed.check };
  });
  const tally = new AuditTally();
  const bad = badLines(flags, io);
  // A file that cannot be audited at all throws a LogError: one line, exit 2.
  const { withoutEvents } = await longWork(flags, async (tools) =>
    readLogs(files, tally, {
      cwd: io.cwd,
      fields,
      input: flags.input,
      otlp: flags.idAttribute === undefined ? {} : { idAttribute: flags.idAttribute },
      onBadLine: bad.onBadLine,
      ...(tools.progress === undefined
        ? {}
        : {
            onProgress: (done, total) =>
              tools.progress!({ scenario: 'audit', mode: files.map((f) => basename(f)).join(' '), done, total }),
          }),
    }),
  );
  bad.settle(files);
  const measured = tally.measure({
    confirms: flags.confirms,
    identity: flags.identity,
    ...(flags.dedupeWindow === undefined ? {} : { dedupeWindowMs: flags.dedupeWindow }),
  });
  const report = auditReport({ files, measured, checks, withoutEvents, reproduce: reproduceOf(files, flags) });
  const color = useColor(flags.color);
  const width = outputWidth();
  const page = { glossary: causeGlosses() };
  const text = RUN_FORMATS[flags.format](report, { color: flags.out === undefined && color, width, page });
  const table = flags.out === undefined ? '' : RUN_FORMATS.table(report, { color, width });
  emit(io, { output: flags, text, table, inputs: files });
  // For the benchmark (bench/audit.js): the process's own peak memory, in KiB.
  if (process.env.ACKSIM_REPORT_MAX_RSS === '1') io.stderr(`max rss ${process.resourceUsage().maxRSS}\n`);
  return exitCodeOf(report);
}

function asIssue(line: BadLine): Issue {
  return { file: line.file, line: line.line, path: '', message: line.message };
}

/** The command that audits the same logs the same way (the flags that change the report). */
function reproduceOf(files: readonly string[], flags: AuditFlags): string {
  const words = ['audit', ...files];
  if (flags.map !== undefined) words.push('--map', flags.map);
  if (flags.input !== 'auto') words.push('--input', flags.input);
  if (flags.identity !== 'id') words.push('--identity', flags.identity);
  if (flags.idAttribute !== undefined) words.push('--id-attribute', flags.idAttribute);
  if (flags.confirms !== 'auto') words.push('--confirms', flags.confirms);
  if (flags.dedupeWindow !== undefined) words.push('--dedupe-window', String(flags.dedupeWindow));
  if (flags.onBadLine !== 'fail') words.push('--on-bad-line', flags.onBadLine);
  for (const check of flags.check ?? []) words.push('--check', check);
  return ['acksim', ...words.map(shellWord)].join(' ');
}

/** Registers `acksim audit`. */
export function auditCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('audit')
    .description(
      "audit a real system's event log (JSON Lines or CSV): loss, duplicates, retries, checks and exit codes as for a run",
    )
    .argument(
      '<logs...>',
      'event logs (.csv: CSV with a header row; else JSON Lines) or OpenTelemetry traces (OTLP/JSON)',
    )
    .addOption(
      new Option(
        '--input <format>',
        'what the files hold: events, otlp (OpenTelemetry traces, as the Collector file exporter writes), or auto (traces when a file opens with {"resourceSpans"})',
      )
        .choices(['auto', 'events', 'otlp'])
        .default('auto'),
    )
    .addOption(
      new Option(
        '--identity <what>',
        "what a message is: id (a repeated publish of an id is a retry), or value (every publish is a message of its own, as Jepsen's multisets count)",
      )
        .choices(['id', 'value'])
        .default('id'),
    )
    .option(
      '--id-attribute <name>',
      'traces: the span attribute that names the message (default: messaging.message.id, or the older messaging.message_id)',
    )
    .option(
      '--map <fields>',
      'where our fields are in your records: ours=theirs, comma-separated (fields: type, id, ts, key, offset, consumer, partition)',
    )
    .option(
      '--dedupe-window <ms>',
      'also count duplicates a dedupe store with this window would catch and miss (0 = forever)',
      integer('--dedupe-window', 0, Number.MAX_SAFE_INTEGER),
    )
    .addOption(
      new Option(
        '--confirms <rule>',
        'does the log record confirms? present: an unconfirmed publish never delivered and without effect is indeterminate; absent: it is lost; auto: present when at least half of the published messages have a confirm',
      )
        .choices(CONFIRMS_SETTINGS)
        .default('auto'),
    )
    .addOption(
      new Option(
        '--on-bad-line <what>',
        'a line that is not an event: fail (exit 2, nothing audited), skip it, or warn and skip',
      )
        .choices(['fail', 'skip', 'warn'])
        .default('fail'),
    )
    .option(
      '--check <expr>',
      'a check to judge, e.g. "lost == 0" or "audit.unexpected == 0" (repeatable)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .addOption(formatOption(Object.keys(RUN_FORMATS), 'report format'))
    .addOption(outOption())
    .addOption(noColorOption('no colour, even on a terminal (NO_COLOR is honoured too)'))
    .addOption(quietOption())
    .addOption(progressOption())
    .addOption(forceOption())
    .addHelpText('after', EXAMPLES)
    .action(async (files: string[], flags: AuditFlags) => setExit(await audit(files, flags, io)));
}
