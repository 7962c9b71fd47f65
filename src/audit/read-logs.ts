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
    const progress = async () => options.onProgress?.(before + stream.bytesRead, total);
    if (file.toLowerCase().endsWith('.csv')) await readCsv(file, stream, tally, options, progress);
    else await readJsonLines(file, stream, tally, options, progress);
    before += stream.bytesRead;
  }
}

const PROGRESS_EVERY = 65536;

async function readJsonLines(
  file: string,
  stream: NodeJS.ReadableStream,
  tally: AuditTally,
  options: ReadOptions,
  progress: () => Promise<void>,
): Promise<void> {
  let line = 0;
  for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    if (line % PROGRESS_EVERY === 0) await progress();
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      bad(tally, options, { file, line, message: `malformed JSON: ${(error as Error).message}` });
      continue;
    }
    const event = toEvent(record, options.fields);
    if (typeof event === 'string') bad(tally, options, { file, line, message: event });
    else tally.add(event);
  }
}

/**
 * CSV with a header row, one event per line: each line is parsed on its own, so a stray quote spoils
 * that line only (a quoted field cannot span lines in an event log).
 */
async function readCsv(
  file: string,
  stream: NodeJS.ReadableStream,
  tally: AuditTally,
  options: ReadOptions,
  progress: () => Promise<void>,
): Promise<void> {
  let line = 0;
  let header: string[] | undefined;
  for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    if (line % PROGRESS_EVERY === 0) await progress();
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    let fields: string[];
    try {
      const rows: string[][] = parseCsvLine(text, { relax_quotes: true, relax_column_count: true });
      fields = rows[0] ?? [];
    } catch (error) {
      if (header === undefined) throw new Error(`${file}:${line}: cannot read the CSV header (${(error as Error).message})`);
      bad(tally, options, { file, line, message: `malformed CSV: ${(error as Error).message.replace(/,? (at|on) line \d+$/, '')}` });
      continue;
    }
    if (header === undefined) {
      const repeated = fields.find((name, i) => fields.indexOf(name) !== i);
      if (repeated !== undefined) throw new Error(`${file}:${line}: the CSV header names column "${repeated}" twice`);
      header = fields;
      continue;
    }
    if (fields.length !== header.length) {
      bad(tally, options, { file, line, message: `malformed CSV: ${fields.length} field(s) where the header has ${header.length}` });
      continue;
    }
    const record = Object.fromEntries(header.map((name, i) => [name, fields[i]]));
    const event = toEvent(record, options.fields);
    if (typeof event === 'string') bad(tally, options, { file, line, message: event });
    else tally.add(event);
  }
}

function bad(tally: AuditTally, options: ReadOptions, line: BadLine): void {
  tally.skip();
  options.onBadLine(line);
}
