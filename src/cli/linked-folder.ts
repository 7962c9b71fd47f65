// Which folder on the way to a file acksim writes is a symbolic link: the check that keeps a link
// committed in a pull request (`reports -> /elsewhere`) from carrying a write out of the project.
import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, parse, resolve, sep } from 'node:path';

/** The status of what is at `path` (a link itself, not what it points to), or undefined when nothing is. */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The first folder on the way to `path` that is a symbolic link, as `path` spells it, or undefined.
 * Every folder the path names at or below the working folder must be a real one: a link committed in
 * a pull request (`reports -> /elsewhere`) would otherwise carry the write out of the project. Folders
 * outside the working folder are the machine's own (macOS's `/tmp -> /private/tmp`) and are followed.
 * The last part, the target itself, is checked by `checkTarget`.
 */
export function linkedFolder(cwd: string, path: string): string | undefined {
  let root: string;
  try {
    root = realpathSync(cwd);
  } catch {
    root = resolve(cwd);
  }
  const inside = (dir: string) => dir === root || dir.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
  const parts = path.split(sep);
  /** Where the parts walked so far lead: always a real path (no link in it). */
  let current = isAbsolute(path) ? parse(resolve(path)).root : root;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, part);
    if (!inside(current)) {
      try {
        current = realpathSync(next);
      } catch {
        return undefined;
      }
      continue;
    }
    const stat = lstatOrUndefined(next);
    if (stat === undefined) return undefined;
    if (stat.isSymbolicLink()) return parts.slice(0, i + 1).join(sep) || sep;
    current = next;
  }
  return undefined;
}
