// The folder of acksim's package.json, found by walking up from this file (dist/ or a test build): its own
// module, light enough for `acksim --version` to load without the scenario layer.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of acksim's package.json. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'acksim')
      return dir;
    if (dirname(dir) === dir) throw new Error(`acksim's package.json not found above ${start}`);
  }
}
