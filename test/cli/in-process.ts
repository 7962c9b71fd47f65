// Runs the command line in this process (`main(argv, io)` with an in-memory Io): the same code as the
// binary, without a process start per case. The shorter spelling of run-cli's `acksimInProcess`.
import { acksimInProcess as inProcess, type CliResult } from './run-cli.js';

/** Runs `acksim ...args` in this process with `cwd` as its working folder; resolves with what it printed. */
export function acksimInProcess(args: readonly string[], cwd: string): Promise<CliResult> {
  return inProcess(args, { cwd });
}
