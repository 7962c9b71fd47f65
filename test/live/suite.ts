// The live tests every broker passes: for lost acks, crashes after the effect, a visibility timeout
// shorter than processing, an ack partition, and two shapes the model was not tuned on (consumers with
// prefetch 5 that crash, consumers that process two messages at once against a visibility timeout),
// the model's loss and duplicate rates lie inside the live run's 95 % interval; the event log it
// writes audits to the same figures; a remote or silent broker is refused.
// Each broker's test file starts its own server and runs this suite. No server, a failure: no skips.
// A slow or busy machine makes the clients late (timers, round trips, reconnects); `acksim live`
// measures that and refuses (exit 2, one line on stderr) a comparison the lateness could decide, so
// such a machine fails a case with that line, never with a false disagreement. Each case says how
// close it runs to that.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import { acksim } from '../cli/run-cli.js';
import type { Server } from './servers.js';

interface Row {
  mode: string;
  produced: number;
  lossRate: { live: number; predicted: number; inside: boolean };
  duplicateRate: { live: number; predicted: number; inside: boolean };
}

/** What differs between brokers: the name, how to start one, the scheme, the scenario sizes. */
export interface LiveSuite {
  broker: string;
  start: () => Promise<Server>;
  scheme: string;
  defaultPort: number;
  /** A profile whose broker fields this broker contradicts. */
  foreignProfile: string;
  /**
   * Scenario (a built-in or a file under test/live/fixtures), messages, modes, time scale: 0.1 where
   * the scenario's rate would ask thousands of real messages a second of clients and broker on 2
   * cores (at 0.05, lost-acks' producer fell behind).
   */
  cases: ReadonlyArray<readonly [scenario: string, messages: number, modes: string, timeScale: number]>;
}

/** Runs the live tests against one broker. */
export function liveSuite({ broker, start, scheme, defaultPort, foreignProfile, cases }: LiveSuite): void {
  describe(`acksim live on ${broker}`, () => {
    let server: Server;
    before(async () => {
      server = await start();
    });
    after(() => server?.stop());

    for (const [scenario, messages, modes, timeScale] of cases) {
      it(`${basename(scenario, '.yaml')}: the model's loss and duplicate rates lie inside the live run's 95 % interval`, () => {
        const scale = ['--time-scale', String(timeScale)];
        const r = acksim([
          'live',
          scenario,
          '--broker',
          server.url,
          '--messages',
          String(messages),
          '--mode',
          modes,
          ...scale,
          '--format',
          'json',
        ]);
        expect(r.stderr).toBe('');
        const rows = JSON.parse(r.stdout).modes as Row[];
        expect(rows.map((row) => row.mode)).toEqual(modes.split(','));
        for (const row of rows) {
          expect(row.produced).toBe(messages);
          // On a failure, the diff shows the whole rate: live, interval and prediction.
          const verdict = (rate: Row['lossRate']) => (rate.inside ? 'inside' : rate);
          expect({ mode: row.mode, loss: verdict(row.lossRate), duplicates: verdict(row.duplicateRate) }).toEqual({
            mode: row.mode,
            loss: 'inside',
            duplicates: 'inside',
          });
        }
        expect(r.status).toBe(0);
        // The faults are real: every one of these scenarios loses or duplicates messages live.
        expect(rows.some((row) => row.lossRate.live > 0 || row.duplicateRate.live > 0)).toBe(true);
      });
    }

    it('refuses, with one line and exit 2, a comparison its clients could not keep the time of', () => {
      // 5 ms of processing at time scale 0.002 is 10 µs of real time: no timer, event-loop turn or
      // round trip is that short, and a consumer that really takes longer holds more when it crashes.
      const r = acksim([
        'live',
        'test/live/fixtures/timer-bound.yaml',
        '--broker',
        server.url,
        '--time-scale',
        '0.002',
        '--format',
        'json',
      ]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      // The producer may have fallen behind too (a warning first); the refusal is the last line.
      expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(
        /^acksim: at-most-once: the clients could not keep the scenario's time at --time-scale 0\.002: each processed delivery took [\d.]+ ms of the scenario beyond its processing time .*, which moves the model's loss rate from [\d.]+% to [\d.]+%, more than a quarter of the live interval; try --time-scale [\d.]+ or more$/,
      );
    });

    it('writes the live event log, which acksim audit reads back to the same rates; the password is never shown', () => {
      const events = join(mkdtempSync(join(tmpdir(), 'acksim-live-')), 'live.jsonl');
      // Redis ignores credentials in the URL: one is added to check that it is redacted.
      const url = server.url.includes('@') ? server.url : server.url.replace('://', '://acksim:s3cret@');
      const password = new URL(url).password;
      const r = acksim([
        'live',
        'lost-acks',
        '--broker',
        url,
        '--messages',
        '1000',
        '--mode',
        'at-least-once',
        '--format',
        'json',
        '--events',
        events,
      ]);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).broker).toBe(url.replace(`:${password}@`, ':***@'));
      expect(r.stdout + r.stderr + readFileSync(events, 'utf8')).not.toContain(`:${password}@`);
      const row = (JSON.parse(r.stdout).modes as Row[])[0]!;
      const audit = acksim(['audit', events, '--format', 'json']);
      expect(audit.status).toBe(0);
      const metrics = JSON.parse(audit.stdout).scenarios[0].results[0].metrics;
      expect(metrics.produced).toBe(1000);
      expect(metrics.duplicateRate).toBe(row.duplicateRate.live);
      expect(metrics.lossRate).toBe(row.lossRate.live);
    });

    it('refuses a broker that is not on loopback, and says when nothing answers', () => {
      const address = `${scheme}://10.1.2.3:${defaultPort}`;
      const remote = acksim(['live', 'lost-acks', '--broker', address]);
      expect(remote.status).toBe(2);
      expect(remote.stderr).toBe(
        `acksim: --broker "${address}": 10.1.2.3 is not a loopback address; acksim live only touches a remote broker with --allow-remote\n`,
      );
      const closed = acksim(['live', 'lost-acks', '--broker', `${scheme}://127.0.0.1:1`, '--messages', '10']);
      expect(closed.status).toBe(2);
      expect(closed.stderr).toMatch(
        new RegExp(`^acksim: --broker ${scheme}://127\\.0\\.0\\.1:1: cannot connect \\(.*ECONNREFUSED.*\\)\\n$`),
      );
    });

    it(`refuses a prediction under a profile that contradicts ${broker}, before touching it`, () => {
      const r = acksim([
        'live',
        'lost-acks',
        '--broker',
        `${scheme}://127.0.0.1:1`,
        '--profile',
        foreignProfile,
        '--mode',
        'at-least-once',
      ]);
      expect(r.status).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe('acksim: cannot run live:');
      expect(lines.slice(1).map((line) => line.replace(/^.*at-least-once: /, '').split(':')[0])).toEqual([
        'broker.visibilityTimeoutScope',
        'broker.prefetchCountsUnacked',
        'broker.requeueOnDisconnect',
      ]);
    });
  });
}
