// Writing files without ever destroying what the user wrote. A target must be absent or a regular
// file (never a link, a device, a FIFO or a folder, even with --force), reached through no link below
// the working folder, never one of the inputs (the same file by device and inode, however it is
// reached), and an existing file only when acksim wrote it or --force says so. Writes go to a fresh temp file (random
// name, exclusive creation, no link
// followed), then a rename, which replaces the directory entry and never writes through it.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  type Stats,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { AcksimError, OutputError } from '../errors.js';
import { fromCwd, kindOf, reasonOf } from '../input-file.js';
import { atomicFile, writeAll, writeAtomically, type AtomicFile } from './atomic-file.js';
import { linkedFolder, lstatOrUndefined as present } from './linked-folder.js';

export { writeAtomically } from './atomic-file.js';

/**
 * What marks a file as a report acksim wrote (every pattern of one entry matches its first 4 KiB and last 512
 * bytes): JSON that opens with acksim's formatVersion and kind (a Gradle module's `{"formatVersion": "1.1"` is
 * not one), JUnit of the suite acksim names, the markdown heading, or text that ends with the verdict line and
 * names its reproducing command.
 */
const REPORT_MARKERS: ReadonlyArray<readonly RegExp[]> = [
  [/^\s*\{\s*"formatVersion":\s*\d+,\s*"kind":\s*"(run|runs|compare|sweep|explore|live|audit)"/],
  [/<testsuites name="acksim"/],
  [/^# acksim report/],
  [/^<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="generator" content="acksim">/],
  [/(PASS|FAIL|INCONCLUSIVE|no checks)[^\n]* in \d+ scenarios?\s*$/, /\breproduce: acksim /],
];

/** A file acksim is asked to write: the flag that names it, the path, and what it must not replace. */
export interface Target {
  flag: string;
  path: string;
  /** The folder relative paths start from. */
  cwd: string;
  /** Files read by the command (paths relative to `cwd`): never replaced. */
  inputs: readonly string[];
  /** Lets an existing regular file be replaced. */
  force: boolean;
}

/** The first 4 KiB and last 512 bytes of a regular file, read without following a link or blocking. */
function head(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const { size } = fstatSync(fd);
    const buffer = Buffer.alloc(Math.min(size, 4096));
    readSync(fd, buffer, 0, buffer.length, 0);
    const tail = Buffer.alloc(Math.min(size, 512));
    readSync(fd, tail, 0, tail.length, Math.max(0, size - tail.length));
    return `${buffer.toString('utf8')}\n${tail.toString('utf8')}`;
  } finally {
    closeSync(fd);
  }
}

function same(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** The input that is the same file as `stat` (through a link, a hard link or another spelling of its path). */
function inputAt(stat: Stats, cwd: string, inputs: readonly string[]): string | undefined {
  return inputs.find((input) => {
    try {
      return same(statSync(fromCwd(cwd, input)), stat);
    } catch {
      return false;
    }
  });
}

/** How an input is named in a refusal: as written, and how it was reached when `absolute` spells it otherwise. */
function inputAlias(input: string, cwd: string, absolute: string): string {
  const inside = isAbsolute(input) ? relative(cwd, input) : input;
  return fromCwd(cwd, input) === absolute ? '' : ` (${inside.startsWith('..') ? input : inside})`;
}

/** Refuses a target whose path goes through a link below the working folder. */
function checkFolders(target: Target): void {
  let linked: string | undefined;
  try {
    linked = linkedFolder(target.cwd, target.path);
  } catch (error) {
    throw new OutputError(`cannot write ${target.flag} ${target.path}: ${reasonOf(error)}`);
  }
  if (linked !== undefined)
    throw new OutputError(
      `${target.flag} ${target.path}: ${linked} is a symbolic link; acksim does not write through links (allowed: real folders below the working folder)`,
    );
}

/** `present` for a target: an error other than "nothing there" is one line about the target. */
function presentFor(target: Target, path: string): Stats | undefined {
  try {
    return present(path);
  } catch (error) {
    throw new OutputError(`cannot write ${target.flag} ${target.path}: ${reasonOf(error)}`);
  }
}

/**
 * Refuses (before any work) a target that is not absent or a regular file, that is an input, or that
 * exists when it may not be replaced: `kind` report replaces earlier acksim reports, lines only with
 * --force. Returns the absolute path.
 */
export function checkTarget(target: Target, kind: 'report' | 'lines'): string {
  const { flag, path } = target;
  checkFolders(target);
  const absolute = fromCwd(target.cwd, path);
  const stat = presentFor(target, absolute);
  if (stat === undefined) {
    const folder = presentFor(target, dirname(absolute));
    if (folder === undefined) throw new OutputError(`cannot write ${flag} ${path}: its folder does not exist`);
    return absolute;
  }
  if (stat.isSymbolicLink())
    throw new OutputError(
      `${flag} ${path} is a symbolic link; acksim does not write through links (allowed: a regular file or a new path)`,
    );
  if (stat.isDirectory()) throw new OutputError(`${flag} ${path} is a folder (allowed: a file path)`);
  if (!stat.isFile())
    throw new OutputError(`${flag} ${path} is ${kindOf(stat)} (allowed: a regular file or a new path)`);
  const input = inputAt(stat, target.cwd, target.inputs);
  if (input !== undefined) {
    throw new OutputError(
      `${flag} ${path} is one of the inputs${inputAlias(input, target.cwd, absolute)}; refusing to overwrite it`,
    );
  }
  if (stat.size === 0 || target.force) return absolute;
  if (kind === 'lines') throw new OutputError(`${flag} ${path} exists; choose another path or pass --force`);
  const text = head(absolute);
  if (!REPORT_MARKERS.some((marker) => marker.every((pattern) => pattern.test(text))))
    throw new OutputError(`${flag} ${path} exists and is not an acksim report; choose another path or pass --force`);
  return absolute;
}

/** Refuses two targets that are the same file (`--out` and `--events` naming one path). */
export function checkDistinct(a: Target, b: Target): void {
  const first = fromCwd(a.cwd, a.path);
  const second = fromCwd(b.cwd, b.path);
  let sameFile = resolve(first) === resolve(second);
  try {
    sameFile ||= same(lstatSync(first), lstatSync(second));
  } catch {
    // One of them does not exist yet: the paths decide.
  }
  if (sameFile)
    throw new OutputError(
      `${a.flag} ${a.path} and ${b.flag} ${b.path} are the same file (allowed: two different paths)`,
    );
}

function writeChecked(target: Target, kind: 'report' | 'lines', write: (fd: number) => void): void {
  const absolute = checkTarget(target, kind);
  try {
    writeAtomically(absolute, write);
  } catch (error) {
    throw outputProblem(target, error);
  }
}

/** A system call's failure is about the target, in one line; anything else is a bug of ours, reported as such. */
function outputProblem(target: Target, error: unknown): unknown {
  if (error instanceof AcksimError || typeof (error as NodeJS.ErrnoException).code !== 'string') return error;
  return new OutputError(`cannot write ${target.flag} ${target.path}: ${reasonOf(error)}`);
}

/**
 * Writes the lines `produce` hands over, in chunks, after the checks of `checkTarget` (lines). `produce` may
 * return a promise (a run with an asynchronous handler): the file is kept open until it settles.
 */
export async function writeLinesFile(
  target: Target,
  produce: (write: (line: string) => void) => unknown,
): Promise<void> {
  const absolute = checkTarget(target, 'lines');
  let file: AtomicFile;
  try {
    file = atomicFile(absolute);
  } catch (error) {
    throw outputProblem(target, error);
  }
  try {
    let chunk = '';
    await produce((line) => {
      chunk += `${line}\n`;
      if (chunk.length > 1 << 20) {
        writeAll(file.fd, chunk);
        chunk = '';
      }
    });
    writeAll(file.fd, chunk);
    file.commit();
  } catch (error) {
    file.abort();
    throw outputProblem(target, error);
  }
}

/** Writes `text` after the checks of `checkTarget` (report): an input or a file acksim did not write is kept. */
export function writeReportFile(target: Target, text: string): void {
  writeChecked(target, 'report', (fd) => writeAll(fd, text));
}

/** How a failure file starts (its first key), which is how acksim knows one it may replace. */
const FAILURE_MARKER = /^\s*\{\s*"acksimFailure"\s*:/;

/** A failure file to write: `name` in the folder `folder` of `cwd`, never over one of `inputs`. */
export interface OwnFile {
  cwd: string;
  folder: string;
  name: string;
  text: string;
  /** Files read by the command (paths relative to `cwd`): never replaced. */
  inputs: readonly string[];
}

/**
 * Writes a failure file into its folder (created when absent), never through a link: a folder or file
 * that is a symbolic link (committed in a pull request, say) is refused. It replaces only an earlier
 * failure file: never an input (by device and inode), nor a file that does not start like a failure
 * file (a JSON scenario that happens to have the name). Returns the problem in one line, or undefined
 * when written.
 */
export function writeOwnFile(own: OwnFile): string | undefined {
  const { cwd, folder, name, text } = own;
  const dir = join(cwd, folder);
  try {
    const linked = linkedFolder(cwd, join(folder, name));
    if (linked !== undefined) return `${linked} is a symbolic link; acksim does not write through links`;
    const stat = present(dir);
    if (stat === undefined) mkdirSync(dir);
    else if (stat.isSymbolicLink()) return `${folder} is a symbolic link; acksim does not write through links`;
    else if (!stat.isDirectory()) return `${folder} is ${kindOf(stat)}, not a folder`;
    const file = join(dir, name);
    const existing = present(file);
    if (existing?.isSymbolicLink() === true)
      return `${join(folder, name)} is a symbolic link; acksim does not write through links`;
    if (existing !== undefined && !existing.isFile()) return `${join(folder, name)} is ${kindOf(existing)}`;
    if (existing !== undefined) {
      const input = inputAt(existing, cwd, own.inputs);
      if (input !== undefined)
        return `it is one of the inputs${inputAlias(input, cwd, file)}; refusing to overwrite it`;
      if (existing.size > 0 && !FAILURE_MARKER.test(head(file)))
        return 'a file that is not an acksim failure file has that name; refusing to overwrite it';
    }
    writeAtomically(file, (fd) => writeAll(fd, text));
    return undefined;
  } catch (error) {
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
    return reasonOf(error);
  }
}

/**
 * Writes `text` to a file that must not exist yet; with --force, over a regular file only (the checks
 * of `checkTarget`: never a link, a folder, a device or an input). Unlike a report, even an empty file
 * is kept without --force.
 */
export function writeNewFile(target: Target, text: string): void {
  const existing = presentFor(target, fromCwd(target.cwd, target.path));
  if (existing?.isFile() === true && !target.force)
    throw new OutputError(`${target.flag} ${target.path} exists; choose another path or pass --force`);
  writeChecked(target, 'lines', (fd) => writeAll(fd, text));
}
