// Runs the command line in this process (`main(argv, io)` with an in-memory Io): the same code as the
// binary, without a process start per case.
import { main } from '../../src/cli/main.js';
import type { CliResult } from './run-cli.js';
import { checkPrintedReport } from '../report-contract.js';

/** Runs `acksim ...args` in this process with `cwd` as its working folder; resolves with what it printed. */
export async function acksimInProcess(args: readonly string[], cwd: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const status = await main(['node', 'acksim', ...args], {
    cwd,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  checkPrintedReport(args, stdout);
  return { status, stdout, stderr };
}
