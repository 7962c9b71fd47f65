// The repository root, wherever the compiled tests run from.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function find(dir: string): string {
  if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scenarios'))) return dir;
  const parent = dirname(dir);
  if (parent === dir) throw new Error('repository root not found');
  return find(parent);
}

/** Absolute path of the repository root. */
export const ROOT = find(dirname(fileURLToPath(import.meta.url)));

/** Absolute path of a file of the repository. */
export const fromRoot = (path: string): string => join(ROOT, path);
