// Runs acksim as a user would: the real binary (bin/acksim.js over dist/) in a child process, or the
// same command line in this process (main with an in-memory Io), which is much faster.
import { spawn, spawnSync } from 'node:child_process';
import { main } from '../../src/cli/main.js';
import { ROOT, fromRoot } from '../root.js';
import { checkPrintedReport } from '../report-contract.js';

const BIN = fromRoot('bin/acksim.js');
export { ROOT };

/** What one run of the binary did. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Columns the commands lay out for in tests that read what a report says: wide, so that no phrase is
 * broken across lines. Layout is tested at 80 (test/cli/width.test.ts, golden files, README examples).
 */
export const TEST_COLUMNS = '1000';

/** Runs `acksim ...args` in `cwd` (the repository root by default), without colour; killed after `timeoutMs` (status
 * null). */
export function acksim(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    // COLUMNS unset: output is laid out for 80 columns, as in a pipe, whatever terminal runs the tests.
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, COLUMNS: TEST_COLUMNS, ...options.env },
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const }),
  });
  checkPrintedReport(args, result.stdout);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `acksim ...args` in this process, without colour: the exit code `main` returns and what it
 * wrote. For what only a real process shows (signals, pipes, the bin itself), use `acksim`.
 */
export async function acksimInProcess(
  args: readonly string[],
  options: { cwd?: string; columns?: string } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const noColor = process.env.NO_COLOR;
  const columns = process.env.COLUMNS;
  process.env.NO_COLOR = '1';
  process.env.COLUMNS = options.columns ?? TEST_COLUMNS;
  try {
    const status = await main(['node', 'acksim', ...args], {
      cwd: options.cwd ?? ROOT,
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
    });
    checkPrintedReport(args, stdout);
    return { status, stdout, stderr };
  } finally {
    if (noColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = noColor;
    if (columns === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = columns;
  }
}

/** As `acksim`, without blocking this process's event loop (for tests that serve a socket to it). */
export function acksimAsync(
  args: readonly string[],
  options: { cwd?: string; timeoutMs: number },
): Promise<CliResult & { ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, COLUMNS: TEST_COLUMNS },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      checkPrintedReport(args, stdout);
      resolve({ status, stdout, stderr, ms: Date.now() - started });
    });
  });
}
