// A run that produced no message tested nothing: with or without checks, in one run, many or merged
// shards, it is inconclusive (exit 3), a check it would fail included, and no failure file is written.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { acksimInProcess } from './in-process.js';

describe('nothing tested: no message was produced', () => {
  it('a scenario without checks, run with --messages 0, is inconclusive: one run, --runs N, merged shards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-nothing-'));
    writeFileSync(join(dir, 'good.yaml'), 'name: good\nmodes: [at-least-once]\n');
    const one = await acksimInProcess(['run', 'good.yaml', '--messages', '0'], dir);
    expect(one.status).toBe(3);
    expect(one.stdout).toContain('INCONCLUSIVE: nothing was tested: no message was produced');
    const many = await acksimInProcess(['run', 'good.yaml', '--messages', '0', '--runs', '3'], dir);
    expect(many.status).toBe(3);
    expect(many.stdout).toContain('INCONCLUSIVE: nothing was tested: no run produced a message');
    for (const shard of ['1/2', '2/2']) {
      const r = await acksimInProcess(
        [
          'run',
          'good.yaml',
          '--messages',
          '0',
          '--runs',
          '4',
          '--shard',
          shard,
          '--format',
          'json',
          '--out',
          `s${shard[0]}.json`,
        ],
        dir,
      );
      expect(r.status).toBe(3);
    }
    const merged = await acksimInProcess(['merge', 's1.json', 's2.json', '--format', 'json'], dir);
    expect(merged.status).toBe(3);
    const report = JSON.parse(merged.stdout) as { scenarios: Array<{ results: Array<{ inconclusive?: string }> }> };
    expect(report.scenarios[0]!.results[0]!.inconclusive).toBe('nothing was tested: no run produced a message');
    expect(JSON.parse(readFileSync(join(dir, 's1.json'), 'utf8')).scenarios[0].results[0].inconclusive).toBe(
      'nothing was tested: no run produced a message',
    );
  });

  it('every check of a run without a message is inconclusive, one it would fail too, and nothing is shrunk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-nothing-'));
    const r = await acksimInProcess(['run', 'lost-acks', '--messages', '0'], dir);
    expect(r.status).toBe(3);
    expect(r.stdout).toContain(
      '? at-least-once: duplicateRate > 0.5%  (actual 0 (0%); inconclusive: no message was produced)',
    );
    expect(r.stdout).not.toContain('✗');
    expect(existsSync(join(dir, 'acksim-failures'))).toBe(false);
    const runs = await acksimInProcess(['run', 'lost-acks', '--messages', '0', '--runs', '3'], dir);
    expect(runs.status).toBe(3);
    expect(runs.stdout).toContain('inconclusive: no run produced a message');
    expect(existsSync(join(dir, 'acksim-failures'))).toBe(false);
  });
});
