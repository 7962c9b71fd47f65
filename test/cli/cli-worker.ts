// The worker thread behind run-cli's `acksim`: runs `main(argv, io)` with an in-memory Io for each command line
// it is sent, in its own copy of process.env, and wakes the waiting test thread with what the command printed.
import { workerData, type MessagePort } from 'node:worker_threads';
import { main } from '../../src/cli/main.js';

/** One command line to run, as run-cli sends it. */
export interface CliRequest {
  args: readonly string[];
  cwd: string;
  /** Variables set (a string) or unset (null) for this run only. */
  env: Record<string, string | null>;
}

/** What the command did, or the error that escaped `main` (a bug in the test set-up or in acksim). */
export type CliReply = { status: number; stdout: string; stderr: string } | { crash: string };

const { port, flag } = workerData as { port: MessagePort; flag: Int32Array };

function reply(message: CliReply): void {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

// An error that escapes every handler must wake the test thread with a failure, not leave it waiting.
process.on('uncaughtException', (error) => reply({ crash: error.stack ?? String(error) }));
process.on('unhandledRejection', (error) =>
  reply({ crash: error instanceof Error ? (error.stack ?? '') : String(error) }),
);

port.on('message', (request: CliRequest) => void run(request));

async function run(request: CliRequest): Promise<void> {
  const saved = Object.fromEntries(Object.keys(request.env).map((key) => [key, process.env[key]]));
  setEnv(request.env);
  let stdout = '';
  let stderr = '';
  try {
    const status = await main(['node', 'acksim', ...request.args], {
      cwd: request.cwd,
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
    });
    reply({ status, stdout, stderr });
  } catch (error) {
    reply({ crash: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  } finally {
    setEnv(saved);
  }
}

function setEnv(env: Record<string, string | null | undefined>): void {
  for (const [key, value] of Object.entries(env)) {
    if (value === null || value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}
