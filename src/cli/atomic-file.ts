// Files written atomically (output.ts checks first where they may go): a temp file beside the target with a
// random name, created exclusively without following a link, then renamed over the target; removed when anything
// fails.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A temp file open for writing: commit renames it over the target, abort removes it. */
export interface AtomicFile {
  readonly fd: number;
  commit(): void;
  abort(): void;
}

/** Opens the temp file of an atomic write of `absolute`. */
export function atomicFile(absolute: string): AtomicFile {
  const temp = join(
    dirname(absolute),
    `.acksim-tmp-${randomBytes(8).toString('hex')}-${basename(absolute).slice(0, 64)}`,
  );
  let open: number | undefined = openSync(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o666,
  );
  return {
    fd: open,
    commit() {
      closeSync(open!);
      open = undefined;
      renameSync(temp, absolute);
    },
    abort() {
      if (open !== undefined) closeSync(open);
      open = undefined;
      try {
        unlinkSync(temp);
      } catch {
        // Already gone: nothing to clean.
      }
    },
  };
}

/** Writes what `write` puts into a file descriptor to `absolute`, atomically (see atomicFile). */
export function writeAtomically(absolute: string, write: (fd: number) => void): void {
  const file = atomicFile(absolute);
  try {
    write(file.fd);
    file.commit();
  } catch (error) {
    file.abort();
    throw error;
  }
}

/** Writes all of `text` to `fd`. */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
}
