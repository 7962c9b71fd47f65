// A throwaway redis-server for the live tests: a free loopback port, a temporary data folder, no
// persistence; stopped when the tests end. A missing server fails the tests with a clear message.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running server. */
export interface Server {
  url: string;
  stop: () => void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts redis-server; rejects with how to get it when it is not installed or does not answer. */
export async function startRedis(): Promise<Server> {
  if (spawnSync('redis-server', ['--version']).error !== undefined) {
    throw new Error('redis-server is not installed: .ci/run installs it (apt-get install -y redis-server, as root)');
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'acksim-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') {
      return {
        url: `redis://127.0.0.1:${port}`,
        stop: () => {
          child.kill();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  child.kill();
  throw new Error(`redis-server did not answer on 127.0.0.1:${port} within 5 s`);
}
