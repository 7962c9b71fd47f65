// Writing reports to files without ever destroying what the user wrote: never over an input file,
// over another kind of file only with --force, and atomically (temp file, then rename).
import { closeSync, openSync, readSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { OutputError } from '../errors.js';

const REPORT_MARKERS = [
  /"formatVersion"/,
  /<testsuites name="acksim"/,
  /^# acksim report/,
  /(PASS|FAIL|INCONCLUSIVE|no checks)[^\n]* in \d+ scenarios?\s*$/,
];

function head(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const buffer = Buffer.alloc(Math.min(size, 4096));
    readSync(fd, buffer, 0, buffer.length, 0);
    const tail = Buffer.alloc(Math.min(size, 512));
    readSync(fd, tail, 0, tail.length, Math.max(0, size - tail.length));
    return `${buffer.toString('utf8')}\n${tail.toString('utf8')}`;
  } finally {
    closeSync(fd);
  }
}

/** Refuses (before any work) a target that is an input, a folder, or an existing file unless forced. */
export function checkLinesTarget(flag: string, path: string, inputs: readonly string[], force: boolean): string {
  const target = resolve(path);
  if (inputs.some((input) => resolve(input) === target)) {
    throw new OutputError(`${flag} ${path} is one of the inputs; refusing to overwrite it`);
  }
  let size = -1;
  try {
    const stat = statSync(target);
    if (stat.isDirectory()) throw new OutputError(`${flag} ${path} is a folder (allowed: a file path)`);
    size = stat.size;
  } catch (error) {
    if (error instanceof OutputError) throw error;
  }
  if (size > 0 && !force) throw new OutputError(`${flag} ${path} exists; choose another path or pass --force`);
  return target;
}

/**
 * Writes the lines `produce` hands over to `path` (`flag` names the option in messages), atomically
 * and in chunks, after the checks of `checkLinesTarget`.
 */
export function writeLinesFile(
  flag: string,
  path: string,
  produce: (write: (line: string) => void) => void,
  inputs: readonly string[],
  force: boolean,
): void {
  const target = checkLinesTarget(flag, path, inputs, force);
  const temp = join(dirname(target), `.acksim-tmp-${process.pid}-${basename(target)}`);
  try {
    const fd = openSync(temp, 'w');
    let chunk = '';
    try {
      produce((line) => {
        chunk += `${line}\n`;
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = '';
        }
      });
      writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (error) {
    throw new OutputError(`cannot write ${flag} ${path}: ${(error as Error).message}`);
  }
}

/** Writes `text` to `path`, refusing to replace an input or a file acksim did not write (unless forced). */
export function writeReportFile(path: string, text: string, inputs: readonly string[], force: boolean): void {
  const target = resolve(path);
  if (inputs.some((input) => resolve(input) === target)) {
    throw new OutputError(`--out ${path} is one of the input scenarios; refusing to overwrite it`);
  }
  let exists = false;
  try {
    const stat = statSync(target);
    if (stat.isDirectory()) throw new OutputError(`--out ${path} is a folder (allowed: a file path)`);
    exists = true;
  } catch (error) {
    if (error instanceof OutputError) throw error;
  }
  if (exists && !force && statSync(target).size > 0 && !REPORT_MARKERS.some((marker) => marker.test(head(target)))) {
    throw new OutputError(`--out ${path} exists and is not an acksim report; choose another path or pass --force`);
  }
  const temp = join(dirname(target), `.acksim-tmp-${process.pid}-${basename(target)}`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, target);
  } catch (error) {
    throw new OutputError(`cannot write --out ${path}: ${(error as Error).message}`);
  }
}
