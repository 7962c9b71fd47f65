// Streams event logs from files into a tally, line by line: JSON Lines, or CSV with a header row
// (by the .csv extension), one event per line. The only file system access of the audit, as scenario/load is for scenarios.
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsvLine } from 'csv-parse/sync';
import { toEvent, type FieldMap } from './event.js';
import type { AuditTally } from './tally.js';

/** A line that could not be read as an event. */
export interface BadLine {
  file: string;
  line: number;
  message: string;
}

/** How to read: field names, and what to do with each bad line (return true to go on). */
export interface ReadOptions {
  fields: FieldMap;
  onBadLine: (bad: BadLine) => void;
  /** Bytes read so far of all files, and their total (for a progress bar). */
  onProgress?: (done: number, total: number) => Promise<void>;
}

/** Total size of the files, in bytes; throws a one-line message for a file that cannot be read. */
export function sizeOf(files: readonly string[]): number {
  let total = 0;
  for (const file of files) {
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      total += stat.size;
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new Error(`${file}: cannot read the log (${reason})`);
    }
  }
  return total;
}

/** Reads every file into the tally, in order. */
export async function readLogs(files: readonly string[], tally: AuditTally, options: ReadOptions): Promise<void> {
  const total = sizeOf(files);
  let before = 0;
  for (const file of files) {
    const stream = createReadStream(file);
    const toRecord = file.toLowerCase().endsWith('.csv') ? csvRecords(file) : jsonRecord;
    let line = 0;
    for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
      line++;
      if (line % PROGRESS_EVERY === 0) await options.onProgress?.(before + stream.bytesRead, total);
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      const record = toRecord(text, line);
      if (record === HEADER) continue;
      const event = typeof record === 'string' ? record : toEvent(record.value, options.fields);
      if (typeof event === 'string') {
        tally.skip();
        options.onBadLine({ file, line, message: event });
      } else tally.add(event);
    }
    before += stream.bytesRead;
  }
}

const PROGRESS_EVERY = 65536;
const HEADER = Symbol('header');

/** One line as a record, or what is wrong with it, or HEADER for a CSV header line. */
type LineReader = (text: string, line: number) => { value: unknown } | string | typeof HEADER;

function jsonRecord(text: string): { value: unknown } | string {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return `malformed JSON: ${(error as Error).message}`;
  }
}

/**
 * CSV with a header row, one event per line: each line is parsed on its own, so a stray quote spoils
 * that line only (a quoted field cannot span lines in an event log). A bad header ends the audit.
 */
function csvRecords(file: string): LineReader {
  let header: string[] | undefined;
  return (text, line) => {
    let fields: string[];
    try {
      const rows: string[][] = parseCsvLine(text, { relax_quotes: true, relax_column_count: true });
      fields = rows[0] ?? [];
    } catch (error) {
      const reason = (error as Error).message.replace(/,? (at|on) line \d+$/, '');
      if (header === undefined) throw new Error(`${file}:${line}: cannot read the CSV header (${reason})`);
      return `malformed CSV: ${reason}`;
    }
    if (header === undefined) {
      const repeated = fields.find((name, i) => fields.indexOf(name) !== i);
      if (repeated !== undefined) throw new Error(`${file}:${line}: the CSV header names column "${repeated}" twice`);
      header = fields;
      return HEADER;
    }
    if (fields.length !== header.length) return `malformed CSV: ${fields.length} field(s) where the header has ${header.length}`;
    return { value: Object.fromEntries(header.map((name, i) => [name, fields[i]])) };
  };
}
