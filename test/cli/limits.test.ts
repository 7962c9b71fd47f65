// Work and waits within bounds: explore stops at its time and memory limits with exit 3, worker
// threads never outnumber the runs or the cores silently, a silent broker ends a live run in one line,
// and nothing echoed to the terminal carries an escape sequence or a password.
import { createServer, type Server, type Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { redactUrls } from '../../src/live/broker-url.js';
import { acksimInProcess } from './in-process.js';
import { acksim, acksimAsync, ROOT } from './run-cli.js';

describe('explore within bounds', () => {
  it('20 messages and 8 faults stop at --max-seconds with exit 3, within a 256 MB heap', () => {
    const started = Date.now();
    const r = acksim(['explore', 'lost-acks', '--messages', '20', '--max-faults', '8', '--mode', 'at-least-once', '--max-seconds', '5'], {
      env: { NODE_OPTIONS: '--max-old-space-size=256' },
      timeoutMs: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(
      /^at-least-once {2}[\d,]+ schedules, [\d,]+ fault positions pruned as equal states \(limit hit: complete up to \d fault\(s\) within --max-seconds 5\)/m,
    );
    // explore stops itself at --max-seconds by its own clock, so a slow or busy machine adds only the
    // start and the report: 60 s is twelve times the limit. A run that ignored it is killed at 120 s
    // (status null), which fails above.
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('the schedule limit bounds the schedules waiting their turn, and says how far the search is complete', async () => {
    const r = await acksimInProcess(
      [
        'explore',
        'lost-acks',
        '--messages',
        '20',
        '--max-faults',
        '8',
        '--mode',
        'exactly-once',
        '--max-schedules',
        '300',
        '--format',
        'json',
      ],
      ROOT,
    );
    expect(r.status).toBe(3);
    const mode = JSON.parse(r.stdout).modes[0];
    expect(mode).toMatchObject({ schedules: 300, complete: false, limit: 'schedules' });
    expect(mode.coveredFaults).toBeLessThanOrEqual(1);
  });
});

describe('worker threads', () => {
  it('--workers above the runs or the cores is lowered, with one line on stderr', async () => {
    const r = await acksimInProcess(
      ['run', 'lost-acks', '--runs', '2', '--mode', 'at-least-once', '--messages', '200', '--workers', '256', '--quiet'],
      ROOT,
    );
    expect(r.status === 0 || r.status === 1).toBe(true);
    const expected = Math.min(2, availableParallelism());
    const why = expected === 2 ? 'one per run: 2 run(s)' : `one per core: this machine has ${availableParallelism()}`;
    expect(r.stderr.split('\n')[0]).toBe(`acksim: --workers 256: using ${expected} (at most ${why})`);
  });
});

/** A TCP server that accepts connections and never says a word. */
async function silentServer(): Promise<{ server: Server; port: number; close: () => void }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    server,
    port: (server.address() as { port: number }).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

describe('live against a broker that accepts and never answers', () => {
  for (const scheme of ['redis', 'rabbitmq']) {
    it(`${scheme}: ends within its --timeout with one line, exit 2, and no password in it`, async () => {
      const silent = await silentServer();
      try {
        const live = (port: number, ...more: string[]) =>
          acksimAsync(['live', 'lost-acks', '--broker', `${scheme}://acksim:s3cret@127.0.0.1:${port}`, '--messages', '10', ...more], {
            timeoutMs: 60_000,
          });
        // A run refused at once (nothing listens on port 1) takes what starting node and the clients
        // takes on this machine at this moment; a slow or busy one makes both runs slower alike.
        const refused = await live(1);
        expect(refused.status).toBe(2);
        const r = await live(silent.port, '--timeout', '1');
        expect(r.stderr).toMatch(
          new RegExp(
            `^acksim: --broker ${scheme}://acksim:\\*\\*\\*@127\\.0\\.0\\.1:${silent.port}: cannot connect \\(no answer.* within 1 s.*\\)\\n$`,
          ),
        );
        expect(r.status).toBe(2);
        // Beyond the refused run, the silent broker is waited for 1 s (--timeout); 7 s more is room for
        // timers late on a loaded 2-core machine. A run that waited the 10 s it does without --timeout
        // fails here, and one that hangs is killed at 60 s (status null), which fails above.
        expect(r.ms - refused.ms).toBeLessThan(8_000);
      } finally {
        silent.close();
      }
    });
  }
});

describe('nothing echoed carries an escape sequence or a password', () => {
  it("commander's own errors escape control characters from the command line", async () => {
    const r = await acksimInProcess(['run', 'lost-acks', '--\u001b[31mred'], ROOT);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain("unknown option '--\\x1b[31mred'");
  });

  it('broker passwords are redacted in every message', async () => {
    expect(redactUrls('rabbitmq://guest:guest@127.0.0.1:5672')).toBe('rabbitmq://guest:***@127.0.0.1:5672');
    expect(redactUrls('amqp://u:p@ss@h/v and redis://:pw@h:1 and redis://h:2')).toBe(
      'amqp://u:***@h/v and redis://:***@h:1 and redis://h:2',
    );
    const remote = await acksimInProcess(['live', 'lost-acks', '--broker', 'rabbitmq://me:hunter2@10.1.2.3:5672'], ROOT);
    expect(remote.status).toBe(2);
    expect(remote.stderr).not.toContain('hunter2');
    expect(remote.stderr).toContain('rabbitmq://me:***@10.1.2.3:5672');
    const typo = await acksimInProcess(['live', 'lost-acks', '--brokr=rabbitmq://me:hunter2@127.0.0.1'], ROOT);
    expect(typo.status).toBe(2);
    expect(typo.stderr).not.toContain('hunter2');
  });
});
