// Passes that were not (a hostile review, 2026-12-01), each now refused or inconclusive: an explored schedule
// cut at the horizon before its redelivery, a latency check where nothing was processed or where a latency
// overflowed the histogram, a percentage on a count, and a JSON report that said ok while the exit was 3.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { acksimInProcess } from './in-process.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'acksim-false-green-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('false greens', () => {
  it('explore: a schedule cut at horizonMs before its redelivery settles nothing (exit 3), at any horizon', async () => {
    const dir = folder({
      // A lost ack is redelivered at 30 s: a 20 s horizon ends the schedule before the duplicate.
      'cut.yaml': [
        'messages: 100',
        'horizonMs: 20s',
        'network: { ack: { loss: 0.01 } }',
        'broker: { visibilityTimeoutMs: 30s }',
        'modes: [at-least-once]',
        "expect: { at-least-once: ['duplicates == 0'] }",
        '',
      ].join('\n'),
      'none.yaml': "messages: 10\nhorizonMs: 1\nmodes: [at-least-once]\nexpect: { at-least-once: ['lost == 0'] }\n",
    });
    for (const file of ['cut.yaml', 'none.yaml']) {
      const r = await acksimInProcess(['explore', file, '--faults', 'scenario', '--format', 'json'], dir);
      expect(r.status).toBe(3);
      const [mode] = (JSON.parse(r.stdout) as { modes: Array<Record<string, unknown>> }).modes;
      expect(mode).toMatchObject({ complete: false, limit: 'events', unfinished: { endedBy: 'horizon' } });
      const text = await acksimInProcess(['explore', file, '--faults', 'scenario'], dir);
      expect(text.stdout).toContain("reached the scenario's horizonMs");
      expect(text.stdout).not.toContain('holds in every schedule');
    }
    // The same scenario with room for the redelivery finds the duplicate.
    writeFileSync(join(dir, 'room.yaml'), readFileSync(join(dir, 'cut.yaml'), 'utf8').replace('20s', '60s'));
    const room = await acksimInProcess(['explore', 'room.yaml', '--faults', 'scenario'], dir);
    expect(room.stdout).toContain('✗ no duplicate');
  });

  it('a latency check is inconclusive where no message was processed: run, --runs and audit', async () => {
    const dir = folder({
      'lost.yaml':
        "messages: 50\nmodes: [at-most-once]\nnetwork: { deliver: { loss: 1 } }\nexpect: { at-most-once: ['latencyMs.p99 < 50'] }\n",
      'dlq.jsonl': '{"type":"publish","id":"a","ts":1}\n{"type":"dead-letter","id":"a","ts":2}\n',
    });
    const one = await acksimInProcess(['run', 'lost.yaml'], dir);
    expect(one.status).toBe(3);
    expect(one.stdout).toContain('no message was processed: there is no latency to judge');
    const runs = await acksimInProcess(['run', 'lost.yaml', '--runs', '3', '--check', 'max(latencyMs.max) < 1'], dir);
    expect(runs.status).toBe(3);
    expect(runs.stdout).toContain('3 of 3 runs processed no message');
    const audit = await acksimInProcess(['audit', 'dlq.jsonl', '--check', 'latencyMs.p99 < 100'], dir);
    expect(audit.status).toBe(3);
  });

  it('audit: a latency past 2^53 µs reads as the largest a histogram holds, never as 0; a time in ns is refused', async () => {
    const lines: string[] = [];
    for (let m = 0; m < 100; m++) {
      lines.push(`{"type":"publish","id":"m${m}","ts":${-4e14 + m}}`);
      // Every tenth effect 8e14 ms after its publish (2^53 µs is about 9e12 ms), the rest 100 ms.
      const effect = m % 10 === 0 ? 4e14 : -4e14 + m + 100;
      lines.push(`{"type":"effect","id":"m${m}","ts":${effect}}`);
    }
    const dir = folder({
      'mixed.jsonl': `${lines.join('\n')}\n`,
      'ns.jsonl':
        '{"type":"publish","id":"a","ts":1763900000000}\n{"type":"effect","id":"a","ts":1763900000000000000}\n',
    });
    const ns = await acksimInProcess(['audit', 'ns.jsonl'], dir);
    expect(ns.status).toBe(2);
    expect(ns.stderr).toContain('ns.jsonl:2:1  ts: 1763900000000000000 is out of range');
    const r = await acksimInProcess(
      ['audit', 'mixed.jsonl', '--check', 'latencyMs.p99 < 600', '--format', 'json'],
      dir,
    );
    expect(r.status).toBe(1);
    const latency = (
      JSON.parse(r.stdout) as {
        scenarios: Array<{ results: Array<{ metrics: { latencyMs: Record<string, number> } }> }>;
      }
    ).scenarios[0]!.results[0]!.metrics.latencyMs;
    expect(latency.p95).toBeGreaterThan(9e12);
    expect(latency.p99).toBeGreaterThanOrEqual(latency.p95!);
  });

  it('a percentage on a count is refused, in a scenario and on the command line (exit 2, one line each)', async () => {
    const dir = folder({
      'pct.yaml': "messages: 100\nmodes: [at-most-once]\nexpect: { at-most-once: ['processed >= 99%'] }\n",
    });
    const file = await acksimInProcess(['run', 'pct.yaml'], dir);
    expect(file.status).toBe(2);
    expect(file.stderr).toContain('pct.yaml:3:');
    expect(file.stderr).toContain('processed is not a rate, so 99% has no meaning here');
    const flag = await acksimInProcess(['run', 'lost-acks', '--check', 'max(lost) < 5%'], dir);
    expect(flag.status).toBe(2);
    expect(flag.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('sweep: a point whose runs produced nothing or stopped early is named and exits 3, merged shards too', async () => {
    const dir = folder({
      'empty.yaml': 'messages: 0\nmodes: [at-least-once]\n',
      // A lost ack comes back after the 30 s timeout, past the 5 s horizon, where the ack is lost at all.
      'cut.yaml': 'messages: 20\nhorizonMs: 5s\nmodes: [at-least-once]\n',
    });
    const empty = await acksimInProcess(['sweep', 'empty.yaml', '--param', 'network.ack.loss=0,0.2'], dir);
    expect(empty.status).toBe(3);
    expect(empty.stderr).toContain(
      'acksim: sweep: at network.ack.loss=0 (at-least-once): 1 of 1 run(s) produced no message',
    );
    const cut = await acksimInProcess(['sweep', 'cut.yaml', '--param', 'network.ack.loss=0,0.5'], dir);
    expect(cut.status).toBe(3);
    expect(cut.stderr).toContain('network.ack.loss=0.5 (at-least-once): 1 of 1 run(s) stopped before every message');
    expect(cut.stderr).not.toContain('network.ack.loss=0 (');
    for (const shard of ['1', '2'])
      await acksimInProcess(
        [
          'sweep',
          'empty.yaml',
          '--param',
          'network.ack.loss=0,0.2',
          '--shard',
          `${shard}/2`,
          '--format',
          'json',
          '--out',
          `s${shard}.json`,
        ],
        dir,
      );
    const merged = await acksimInProcess(['merge', 's1.json', 's2.json'], dir);
    expect(merged.status).toBe(3);
    const whole = await acksimInProcess(
      ['sweep', 'lost-acks', '--messages', '100', '--param', 'network.ack.loss=0,0.1'],
      dir,
    );
    expect({ status: whole.status, stderr: whole.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('a run stopped at its horizon with every produced message settled still says it stopped early', async () => {
    const dir = folder({
      'h.yaml':
        'messages: 30\nproducer: { arrivals: poisson, ratePerSec: 10 }\nhorizonMs: 3100\nnetwork: { ack: { loss: 0.1 } }\nmodes: [at-least-once]\n',
    });
    const r = await acksimInProcess(['run', 'h.yaml', '--seed', '3'], dir);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain("stopped before the run's end (horizonMs: the scenario's horizon was reached), 29 produced");
    expect(text).not.toContain('no anomaly');
  });

  it('the JSON report is ok exactly when the exit code is 0', async () => {
    const dir = folder({ 'empty.yaml': 'messages: 0\nmodes: [at-least-once]\n' });
    for (const argv of [
      ['run', 'empty.yaml'],
      ['run', 'empty.yaml', '--runs', '2'],
      ['run', 'lost-acks', '--messages', '200'],
      ['run', 'lost-acks', '--messages', '200', '--check', 'duplicates == 0'],
    ]) {
      const r = await acksimInProcess([...argv, '--format', 'json'], dir);
      expect({ argv, ok: (JSON.parse(r.stdout) as { ok: boolean }).ok }).toEqual({ argv, ok: r.status === 0 });
    }
  });
});
