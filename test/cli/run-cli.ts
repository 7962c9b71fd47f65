// Runs acksim's command line: in this process (`main(argv, io)` with an in-memory Io, in a worker thread, so
// synchronously), or as a user would, the real binary (bin/acksim.js over dist/) in a child process, kept for
// what only a process shows: the bin itself, signals, pipes, memory limits, a kill after a timeout.
import { spawn, spawnSync } from 'node:child_process';
import { receiveMessageOnPort, MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { main } from '../../src/cli/main.js';
import type { CliReply, CliRequest } from './cli-worker.js';
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

/** The worker that runs command lines for `acksim`, started on first use; it never keeps the tests alive. */
let worker: { thread: Worker; port: MessagePort; flag: Int32Array } | undefined;

/** How long `acksim` waits for one command line: far above any test's, so only a hang reaches it. */
const IN_PROCESS_LIMIT_MS = 10 * 60_000;

/**
 * Runs `acksim ...args` in `cwd` (the repository root by default), without colour, laid out for TEST_COLUMNS:
 * `main(argv, io)` in a worker thread of this process, waited for synchronously, so a call costs the command's
 * own work and no process start. `env` sets (or, with null, unsets) variables for this run only: the worker
 * has its own copy of process.env, so the test's is never touched. What only a real process shows (exit of the
 * bin, signals, pipes, stdin, a TTY, NODE_OPTIONS, a kill after a timeout) needs `acksimProcess`.
 */
export function acksim(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | null> } = {},
): CliResult {
  worker ??= startWorker();
  const request: CliRequest = {
    args,
    cwd: options.cwd ?? ROOT,
    env: { NO_COLOR: '1', FORCE_COLOR: null, COLUMNS: TEST_COLUMNS, ...options.env },
  };
  Atomics.store(worker.flag, 0, 0);
  worker.port.postMessage(request);
  if (Atomics.wait(worker.flag, 0, 0, IN_PROCESS_LIMIT_MS) === 'timed-out') {
    void worker.thread.terminate();
    worker = undefined;
    throw new Error(`acksim ${args.join(' ')}: no answer in ${IN_PROCESS_LIMIT_MS / 60_000} minutes (a hang?)`);
  }
  const reply = receiveMessageOnPort(worker.port)?.message as CliReply | undefined;
  if (reply === undefined) throw new Error(`acksim ${args.join(' ')}: the worker woke without a reply`);
  if ('crash' in reply) throw new Error(`acksim ${args.join(' ')}: an error escaped main:\n${reply.crash}`);
  checkPrintedReport(args, reply.stdout);
  return reply;
}

function startWorker(): { thread: Worker; port: MessagePort; flag: Int32Array } {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const thread = new Worker(new URL('./cli-worker.js', import.meta.url), {
    workerData: { port: port2, flag },
    transferList: [port2],
  });
  thread.unref();
  port1.unref();
  return { thread, port: port1, flag };
}

/** Runs `acksim ...args` as a child process of the real binary, in `cwd` (the repository root by default),
 * without colour; killed after `timeoutMs` (status null). For what only a process shows; else `acksim`. */
export function acksimProcess(
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
