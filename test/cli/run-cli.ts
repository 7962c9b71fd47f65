// Spawns the real binary (bin/acksim.js over dist/) and captures what a user would see.
import { spawnSync } from 'node:child_process';
import { ROOT, fromRoot } from '../root.js';

const BIN = fromRoot('bin/acksim.js');
export { ROOT };

/** What one run of the binary did. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `acksim ...args` in `cwd` (the repository root by default), without colour. */
export function acksim(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
