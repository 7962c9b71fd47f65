// Streams event logs from files into a tally, line by line: JSON Lines, or CSV with a header row
// (by the .csv extension), one event per line. The only file system access of the audit, as scenario/load is for
// scenarios.
import { parse as parseCsvLine } from 'csv-parse/sync';
import { LogError } from '../errors.js';
import { AuditFull } from './bounds.js';
import { sizeText } from '../input-file.js';
import { openLog, sizeOf, unreadable } from './log-files.js';
import { eventOf, plainEvent, toEvent, withOptional, type AuditEvent, type FieldMap } from './event.js';
import { emptyFields, readFlatObject } from './flat-json.js';
import { MAX_LINE_BYTES, NotTextError, readLines } from './line-reader.js';
import type { OtlpOptions, RequestEvents } from './otlp.js';
import { MAX_OTLP_LINE_BYTES, opensTraces, prettyDocument, traceEvents, wholeDocument } from './otlp-log.js';
import type { AuditTally } from './tally.js';
import { count } from '../number-text.js';

/** A line that could not be read as an event. */
export interface BadLine {
  file: string;
  line: number;
  message: string;
}

/** How to read: field names, and what to do with each bad line. */
export interface ReadOptions {
  /** The folder relative file names are read from (the command's working folder). */
  cwd: string;
  fields: FieldMap;
  onBadLine: (bad: BadLine) => void;
  /** Bytes read so far of all files, and their total (for a progress bar). */
  onProgress?: (done: number, total: number) => Promise<void>;
  /** The longest line, in bytes (MAX_LINE_BYTES unless a test says otherwise). */
  maxLineBytes?: number;
  /** What the files hold: events (JSON Lines or CSV), OTLP/JSON traces, or either, told by its first bytes. */
  input?: LogFormat;
  /** Reading traces: where a span names its message (`--id-attribute`). */
  otlp?: OtlpOptions;
}

/** What a log holds. */
export type LogFormat = 'auto' | 'events' | 'otlp';

/**
 * Reads every file into the tally, in order; returns the files that held no event (each must be named:
 * a log that was meant to hold events and is empty says something went wrong). Throws LogError for a
 * file that cannot be audited at all.
 */
export async function readLogs(
  files: readonly string[],
  tally: AuditTally,
  options: ReadOptions,
): Promise<{ withoutEvents: string[] }> {
  const total = sizeOf(files, options.cwd);
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  let before = 0;
  const withoutEvents: string[] = [];
  for (const file of files) {
    const log = openLog(file, options.cwd);
    const { head, csv, eventOfLine, longest } = readerOf(file, log, options, maxLineBytes);
    const bad = (line: number, message: string): void => {
      tally.skip();
      options.onBadLine({ file, line, message });
    };
    const { lineIn, events, at } = lineCounter(tally, eventOfLine, bad);
    if (head !== undefined && prettyDocument(head)) {
      // One request written over many lines (pretty-printed): read whole, within its bound.
      const text = wholeDocument(file, log);
      try {
        lineIn(text, 0, text.length, 1);
      } catch (error) {
        throw error instanceof AuditFull ? fullAt(error, file, 1) : error;
      }
      before += Buffer.byteLength(text);
      if (events() === 0) withoutEvents.push(file);
      continue;
    }
    let read = 0;
    try {
      await readLines(
        log.source,
        {
          line: (text, line) => lineIn(text, 0, text.length, line),
          lineIn,
          overlong: (line) => {
            const message = `line longer than ${sizeText(longest)} (allowed: lines up to ${count(longest)} bytes; the rest of it is skipped unread)`;
            if (csv !== undefined && !csv.started()) throw new LogError(message, { file, line, path: '', message });
            bad(line, message);
          },
          ...(options.onProgress === undefined
            ? {}
            : { progress: (bytes) => options.onProgress!(before + (read = bytes), total) }),
        },
        longest,
      );
    } catch (error) {
      if (error instanceof LogError) throw error;
      if (error instanceof AuditFull) throw fullAt(error, file, at());
      if (error instanceof NotTextError)
        throw new LogError(error.message, { file, line: error.line, path: '', message: error.message });
      // A read that fails half way (an I/O error, a file that is not what its type says); anything else is a bug of
      // ours.
      if (typeof (error as NodeJS.ErrnoException).code === 'string') throw unreadable(file, error);
      throw error;
    } finally {
      // No read may be left in flight on a closed descriptor (its number may be given to the next file opened).
      await log.source.settle();
      log.close();
    }
    before += read;
    if (events() === 0) withoutEvents.push(file);
  }
  return { withoutEvents };
}

/** A bound of the audit's, passed at `line` of `file`: one line, exit 2. */
function fullAt(error: AuditFull, file: string, line: number): LogError {
  return new LogError(error.message, { file, line, path: '', message: error.message });
}

/** Reads each line, text[from, to), into the tally (skipped when blank, else events or a bad line); counts events. */
function lineCounter(tally: AuditTally, eventOfLine: LineReader, bad: (line: number, message: string) => void) {
  let events = 0;
  let at = 0;
  const lineIn = (text: string, start: number, to: number, line: number): void => {
    at = line;
    const from = line === 1 && text.charCodeAt(start) === 0xfeff ? start + 1 : start;
    // An event's line starts with "{" (JSON) or a letter (CSV); only others need the look for a blank line.
    if (!notBlankStart(text.charCodeAt(from)) && text.slice(from, to).trim() === '') return;
    const event = eventOfLine(text, from, to, line);
    if (event === HEADER) return;
    if (typeof event === 'string') bad(line, event);
    else if ('events' in event) {
      // A line of traces: its spans' events, and each span that could not be read skipped as a bad line.
      for (const problem of event.problems) bad(line, problem);
      tally.addLine(event.events);
      events += event.events.length;
    } else {
      tally.add(event);
      events++;
    }
  };
  return { lineIn, events: () => events, at: () => at };
}

/**
 * How a log's lines are read: as traces (its head, when it opens like one or --input otlp says so), CSV (a .csv
 * file) or JSON Lines, and the longest line allowed.
 */
function readerOf(file: string, log: ReturnType<typeof openLog>, options: ReadOptions, maxLineBytes: number) {
  const input = options.input ?? 'auto';
  let head: string | undefined;
  try {
    head = input === 'events' ? undefined : log.head();
  } catch (error) {
    log.close();
    throw unreadable(file, error);
  }
  if (input === 'otlp' || (head !== undefined && opensTraces(head)))
    return {
      head,
      csv: undefined,
      eventOfLine: traceEvents(options.otlp ?? {}) as LineReader,
      longest: Math.max(maxLineBytes, MAX_OTLP_LINE_BYTES),
    };
  const csv = file.toLowerCase().endsWith('.csv') ? csvRecords(file, options.fields) : undefined;
  return { head: undefined, csv, eventOfLine: csv ?? jsonEvents(options.fields), longest: maxLineBytes };
}

const HEADER = Symbol('header');

/** Whether a line starting with this code unit is surely not blank: an ASCII letter, digit, quote or brace. */
function notBlankStart(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 123) || c === 34;
}

/** One line, text[from, to), as an event (a trace's line: its spans' events), or what is wrong with it, or HEADER for a
 * CSV header line. */
type LineReader = (
  text: string,
  from: number,
  to: number,
  line: number,
) => AuditEvent | RequestEvents | string | typeof HEADER;
/** A CSV reader: says whether it has read its header yet. */
type CsvReader = LineReader & { started: () => boolean };

/** JSON Lines: a flat object of strings and numbers read by hand (flat-json.ts), any other line by JSON.parse. */
function jsonEvents(fields: FieldMap): LineReader {
  const flat = emptyFields();
  return (text, from, to) => {
    if (readFlatObject(text, from, to, fields.type, fields.id, fields.ts, fields, flat)) {
      const event = plainEvent(flat.type, flat.id, flat.ts) ?? eventOf(flat.type, flat.id, flat.ts, fields);
      const plain = flat.key === undefined && flat.offset === undefined && flat.consumer === undefined;
      return plain && flat.partition === undefined ? event : withOptional(event, flat, fields);
    }
    let record: unknown;
    try {
      record = JSON.parse(text.slice(from, to));
    } catch (error) {
      return `malformed JSON: ${(error as Error).message}`;
    }
    return toEvent(record, fields);
  };
}

/**
 * CSV with a header row, one event per line: each line is parsed on its own, so a stray quote spoils
 * that line only (a quoted field cannot span lines in an event log). The first line that is not blank
 * must be a header naming the type, id and ts columns (after --map): a file without one is refused,
 * else its first event would be read as column names and every other line against them.
 */
function csvRecords(file: string, fields: FieldMap): CsvReader {
  let header: string[] | undefined;
  const refuse = (line: number, message: string): never => {
    throw new LogError(message, { file, line, path: '', message });
  };
  const reader = (text: string, from: number, to: number, line: number): AuditEvent | string | typeof HEADER => {
    let values: string[];
    try {
      const rows: string[][] = parseCsvLine(text.slice(from, to), { relax_quotes: true, relax_column_count: true });
      values = rows[0] ?? [];
    } catch (error) {
      const reason = (error as Error).message.replace(/,? (at|on) line \d+$/, '');
      if (header === undefined) refuse(line, `cannot read the CSV header (${reason})`);
      return `malformed CSV: ${reason}`;
    }
    if (header === undefined) {
      const names = values.map((name) => name.trim());
      const missing = [fields.type, fields.id, fields.ts].filter((name) => !names.includes(name));
      if (missing.length > 0) {
        refuse(
          line,
          `the first line is not a CSV header naming the columns ${[fields.type, fields.id, fields.ts].join(', ')}: no ${missing.join(', ')} in ${JSON.stringify(names.join(','))} (allowed: a header row first; --map type=...,id=...,ts=... for other names)`,
        );
      }
      const repeated = names.find((name, i) => names.indexOf(name) !== i);
      if (repeated !== undefined) refuse(line, `the CSV header names column "${repeated}" twice`);
      header = names;
      return HEADER;
    }
    if (values.length !== header.length)
      return `malformed CSV: ${values.length} field(s) where the header has ${header.length}`;
    // No prototype: a column named __proto__ is a column like any other.
    const record = Object.create(null) as Record<string, string>;
    for (let i = 0; i < header.length; i++) record[header[i]!] = values[i]!;
    return toEvent(record, fields);
  };
  return Object.assign(reader, { started: () => header !== undefined });
}
