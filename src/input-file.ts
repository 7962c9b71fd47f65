// Reading the user's files within bounds: only regular files (a FIFO would block, /dev/zero never
// ends), at most a documented size, UTF-8 text only, and JSON no deeper than a documented nesting.
// With scenario/load.ts and cli/, the only file system access; every problem is one line about the input.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, sep } from 'node:path';
import { count } from './number-text.js';

/** The largest scenario file read, in bytes (1 MiB: the built-ins are under 4 KiB). */
export const SCENARIO_MAX_BYTES = 1 << 20;
/** The largest failure file `replay` reads (16 MiB). */
export const FAILURE_MAX_BYTES = 16 << 20;
/** The largest shard report `merge` reads (256 MiB: about 140,000 runs of one mode). */
export const REPORT_MAX_BYTES = 256 << 20;
/** The deepest nesting of lists and mappings read from any input file. */
export const MAX_NESTING = 64;

/**
 * `path` from `cwd` as the kernel resolves it: joined without lexical normalisation, because through a
 * symlinked folder `l`, `l/../x` is not `x` (path.resolve would say it is).
 */
export function fromCwd(cwd: string, path: string): string {
  return isAbsolute(path) ? path : `${cwd}${sep}${path}`;
}

/** A problem with an input file, at a line and column when it has one. */
export interface InputProblem {
  message: string;
  line?: number;
  column?: number;
}

/** File contents, or what is wrong with them. */
export type InputText = { ok: true; text: string } | ({ ok: false } & InputProblem);

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'symlink loop (too many levels of symbolic links)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder',
  ENAMETOOLONG: 'the name is too long',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  EBUSY: 'busy',
  EXDEV: 'on another device',
  EIO: 'input/output error',
};

/** A file system error in words, without the library's paths and syscall names. */
export function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && REASONS[code] !== undefined) return REASONS[code];
  return code ?? (error instanceof Error ? error.message.split('\n')[0]! : String(error));
}

/** What kind of file a status describes, for messages ("a FIFO"). */
export function kindOf(stat: Stats): string {
  if (stat.isFile()) return 'a regular file';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A limit in words: 1 MiB, 16 MiB. */
export function sizeText(bytes: number): string {
  return bytes % (1 << 20) === 0 ? `${bytes / (1 << 20)} MiB` : `${count(bytes)} bytes`;
}

function tooLarge(size: number | undefined, max: number): string {
  const actual = size === undefined ? `more than ${sizeText(max)}` : `${count(size)} bytes`;
  return `too large: ${actual} (allowed: at most ${sizeText(max)})`;
}

/** The 1-based line and column of `index` in `text` (1:1 when it is not there). */
export function lineAndColumn(text: string, index: number): { line: number; column: number } {
  if (index < 0) return { line: 1, column: 1 };
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: index - start + 1 };
}

const BOMS: Array<[number[], string]> = [
  [[0x00, 0x00, 0xfe, 0xff], 'UTF-32 big-endian'],
  [[0xff, 0xfe, 0x00, 0x00], 'UTF-32 little-endian'],
  [[0xfe, 0xff], 'UTF-16 big-endian'],
  [[0xff, 0xfe], 'UTF-16 little-endian'],
];

/** Bytes as UTF-8 text (a UTF-8 byte-order mark dropped), or why they are not UTF-8 text. */
export function decodeText(bytes: Uint8Array): InputText {
  for (const [mark, name] of BOMS) {
    if (mark.every((byte, i) => bytes[i] === byte))
      return { ok: false, message: `not UTF-8 text (a ${name} byte-order mark); save it as UTF-8` };
  }
  const nul = bytes.indexOf(0);
  const lossy = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (nul !== -1) {
    return {
      ok: false,
      message: 'not UTF-8 text (it holds NUL bytes: UTF-16, UTF-32 or binary?); save it as UTF-8',
      ...lineAndColumn(lossy, lossy.indexOf('\u0000')),
    };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    return {
      ok: false,
      message: 'not UTF-8 text (an invalid byte sequence); save it as UTF-8',
      ...lineAndColumn(lossy, lossy.indexOf('\ufffd')),
    };
  }
}

/**
 * Opens a file to read without blocking (a FIFO put in place after a look at its path must not block
 * the open) and checks again, by its descriptor, what was opened. The descriptor and its status, or
 * `check`'s refusal (the file closed again); the open's or the status's error is thrown.
 */
export function openChecked(
  path: string,
  check: (stat: Stats) => string | undefined,
): { fd: number; stat: Stats } | { refusal: string } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let stat: Stats;
  try {
    stat = fstatSync(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  const refusal = check(stat);
  if (refusal === undefined) return { fd, stat };
  closeSync(fd);
  return { refusal };
}

/**
 * Reads a regular file of at most `maxBytes` as UTF-8 text. Anything else is refused before it is
 * opened (a FIFO, a device, a folder), or, if swapped in between, by its open descriptor.
 */
export function readInputText(path: string, maxBytes: number): InputText {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    return { ok: false, message: reasonOf(error) };
  }
  const refusal = refuse(stat, maxBytes);
  if (refusal !== undefined) return { ok: false, message: refusal };
  let opened: ReturnType<typeof openChecked>;
  try {
    opened = openChecked(path, (again) => refuse(again, maxBytes));
  } catch (error) {
    return { ok: false, message: `cannot read: ${reasonOf(error)}` };
  }
  if ('refusal' in opened) return { ok: false, message: opened.refusal };
  const { fd } = opened;
  try {
    // One byte more than allowed tells a file that grew past the limit since its size was read.
    const buffer = Buffer.alloc(Math.min(opened.stat.size, maxBytes) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n)
      n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes) return { ok: false, message: tooLarge(undefined, maxBytes) };
    return decodeText(buffer.subarray(0, length));
  } catch (error) {
    return { ok: false, message: `cannot read: ${reasonOf(error)}` };
  } finally {
    closeSync(fd);
  }
}

/**
 * Why a file is not one to read, by its status (a folder, a FIFO, a device), or undefined for a regular
 * file; `hint` says what to do instead of a FIFO or a device.
 */
export function notRegularFile(stat: Stats, hint?: string): string | undefined {
  if (stat.isDirectory()) return 'is a folder (allowed: a file)';
  if (!stat.isFile()) return `is ${kindOf(stat)} (allowed: a regular file${hint === undefined ? '' : `; ${hint}`})`;
  return undefined;
}

function refuse(stat: Stats, maxBytes: number): string | undefined {
  return notRegularFile(stat) ?? (stat.size > maxBytes ? tooLarge(stat.size, maxBytes) : undefined);
}

/** Where JSON text nests lists and objects deeper than `max`, if it does (strings skipped). */
export function jsonDepthProblem(text: string, max = MAX_NESTING): InputProblem | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max)
        return { message: `nested deeper than ${max} levels (allowed: at most ${max})`, ...lineAndColumn(text, i) };
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/** Reads a JSON file within `maxBytes` and the nesting bound; the value, or one line on what is wrong. */
export function readJsonFile(
  path: string,
  maxBytes: number,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const read = readInputText(path, maxBytes);
  if (!read.ok) return { ok: false, message: where(read) };
  const deep = jsonDepthProblem(read.text);
  if (deep !== undefined) return { ok: false, message: where(deep) };
  try {
    return { ok: true, value: JSON.parse(read.text) as unknown };
  } catch (error) {
    return { ok: false, message: (error as Error).message.split('\n')[0]! };
  }
}

function where(problem: InputProblem): string {
  return problem.line === undefined
    ? problem.message
    : `line ${problem.line}:${problem.column ?? 1}: ${problem.message}`;
}
