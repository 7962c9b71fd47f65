// Throwaway brokers for the live tests: a free loopback port, a temporary folder, stopped when the
// tests end. A missing or silent server fails the tests with a clear message; they never skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as amqp from 'amqplib';
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

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until `ready` holds, for at most `seconds`; then stops the server and says why. */
async function started(
  server: Server,
  what: string,
  seconds: number,
  ready: () => Promise<boolean> | boolean,
): Promise<Server> {
  for (let waited = 0; waited < seconds * 1000; waited += 100) {
    if (await ready()) return server;
    await new Promise((done) => setTimeout(done, 100));
  }
  server.stop();
  throw new Error(`${what} did not answer on ${server.url} within ${seconds} s`);
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
    { stdio: 'ignore' },
  );
  const server = {
    url: `redis://127.0.0.1:${port}`,
    stop: () => {
      child.kill();
      removeFolder(dir);
    },
  };
  return started(
    server,
    'redis-server',
    5,
    () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG',
  );
}

/**
 * Removes a server's folder, again after a pause if a file appeared behind the removal: a killed process may
 * finish a write before it goes (ENOTEMPTY from RabbitMQ's folder, once in a clean clone's run, 2026-12-01).
 */
function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

/**
 * Starts a private nats-server with JetStream (`-js`) on a free loopback port, its store in a throwaway folder;
 * rejects with how to get it when it is not installed or does not answer.
 */
export async function startNats(): Promise<Server> {
  if (spawnSync('nats-server', ['--version']).error !== undefined) {
    throw new Error('nats-server is not installed: .ci/run installs it (apt-get install -y nats-server, as root)');
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'acksim-nats-'));
  const child: ChildProcess = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], {
    stdio: 'ignore',
  });
  const server = {
    url: `nats://127.0.0.1:${port}`,
    stop: () => {
      child.kill();
      removeFolder(dir);
    },
  };
  return started(server, 'nats-server', 10, () => listening(port));
}

/** Debian's start script (the one on the PATH insists on running as root or rabbitmq). */
const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';

/**
 * Starts a private RabbitMQ node: its own name, ports, data, logs and config, so it never meets a
 * system instance. Rejects with how to get it when it is not installed or does not answer.
 */
export async function startRabbit(): Promise<Server> {
  if (!existsSync(RABBITMQ_SERVER)) {
    throw new Error(
      'rabbitmq-server is not installed: .ci/run installs it (apt-get install -y rabbitmq-server, as root)',
    );
  }
  const port = await freePort();
  const distributionPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'acksim-rabbitmq-'));
  for (const folder of ['data', 'log']) mkdirSync(join(dir, folder));
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.1 = 127.0.0.1:${port}`,
      'disk_free_limit.absolute = 1MB',
      'log.console = false',
      'log.file.level = warning',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  const child: ChildProcess = spawn(RABBITMQ_SERVER, [], {
    cwd: dir,
    stdio: 'ignore',
    // Its own process group: the script starts the Erlang VM as a child, and both must go at the end.
    detached: true,
    env: {
      ...process.env,
      HOME: dir,
      RABBITMQ_NODENAME: `acksim${port}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distributionPort),
      RABBITMQ_MNESIA_BASE: join(dir, 'data'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
      RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_FEATURE_FLAGS_FILE: join(dir, 'feature_flags'),
    },
  });
  const server = {
    url: `rabbitmq://guest:guest@127.0.0.1:${port}`,
    stop: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      removeFolder(dir);
    },
  };
  await started(server, 'rabbitmq-server', 60, () => listening(port));
  await warmUp(port);
  return server;
}

/**
 * A new node starts its quorum-queue machinery on first use, which stalls the first run's clients for
 * a while: one quorum queue through publish, confirm, consume and delete first.
 */
async function warmUp(port: number): Promise<void> {
  const model = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}`);
  const channel = await model.createConfirmChannel();
  const queue = 'acksim.warm-up';
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  for (let i = 0; i < 200; i++) channel.sendToQueue(queue, Buffer.from(String(i)), { persistent: true });
  await channel.waitForConfirms();
  let received = 0;
  await new Promise<void>((done) => {
    void channel.consume(queue, (message) => {
      if (message !== null) channel.ack(message);
      if (++received === 200) done();
    });
  });
  await channel.deleteQueue(queue);
  await model.close();
}
