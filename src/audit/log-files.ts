// The logs an audit reads, as files: each a regular file named once, opened without blocking, read one chunk ahead.
import { closeSync, readSync, statSync, type Stats } from 'node:fs';
import { LogError } from '../errors.js';
import { fromCwd, notRegularFile, openChecked, reasonOf } from '../input-file.js';
import { readAhead, type AheadSource } from './read-ahead.js';

export function unreadable(file: string, error: unknown): LogError {
  return new LogError(`${file}: cannot read the log (${reasonOf(error)})`);
}

/** What a FIFO or a device in place of a log is told to do. */
const STREAM_HINT = 'save a stream to a file first';

function notLog(file: string, refusal: string): LogError {
  return new LogError(`${file}: cannot read the log: it ${refusal}`);
}

/**
 * The files' total size in bytes; refuses, in one line, a file that is missing, not a regular file
 * (a FIFO would block, a device never ends), or named twice (its events would count twice).
 */
export function sizeOf(files: readonly string[], cwd: string): number {
  let total = 0;
  const seen = new Map<string, string>();
  for (const file of files) {
    let stat: Stats;
    try {
      stat = statSync(fromCwd(cwd, file));
    } catch (error) {
      throw unreadable(file, error);
    }
    const refusal = notRegularFile(stat, STREAM_HINT);
    if (refusal !== undefined) throw notLog(file, refusal);
    const key = `${stat.dev}:${stat.ino}`;
    const other = seen.get(key);
    if (other !== undefined)
      throw new LogError(
        `${file}: the same file as ${other} (allowed: each log once; a log read twice counts every event twice)`,
      );
    seen.set(key, file);
    total += stat.size;
  }
  return total;
}

/** Opens a log as input-file opens every input (without blocking, checked again once open), and reads it
 * asynchronously. */
export function openLog(
  file: string,
  cwd: string,
): { source: AheadSource; fd: number; head: () => string; close: () => void } {
  let opened: ReturnType<typeof openChecked>;
  try {
    opened = openChecked(fromCwd(cwd, file), (stat) => notRegularFile(stat, STREAM_HINT));
  } catch (error) {
    throw unreadable(file, error);
  }
  if ('refusal' in opened) throw notLog(file, opened.refusal);
  const { fd } = opened;
  const source = readAhead(fd);
  // The first bytes, read at their place without moving the file's position (to tell traces from events).
  const head = (): string => {
    const buffer = Buffer.alloc(256);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
  };
  return { source, fd, head, close: () => closeSync(fd) };
}
