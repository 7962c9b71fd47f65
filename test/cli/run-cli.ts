// Runs acksim as a user would: the real binary (bin/acksim.js over dist/) in a child process, or the
// same command line in this process (main with an in-memory Io), which is much faster.
import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/main.js';
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
export function acksim(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `acksim ...args` in this process, without colour: the exit code `main` returns and what it
 * wrote. For what only a real process shows (signals, pipes, the bin itself), use `acksim`.
 */
export async function acksimInProcess(args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const noColor = process.env.NO_COLOR;
  process.env.NO_COLOR = '1';
  try {
    const status = await main(['node', 'acksim', ...args], {
      cwd: options.cwd ?? ROOT,
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
    });
    return { status, stdout, stderr };
  } finally {
    if (noColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = noColor;
  }
}
