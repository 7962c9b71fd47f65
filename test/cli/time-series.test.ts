// `acksim run --time-series` (issue 18 §1): the JSON report carries each mode's series (checked against the report
// schema by `acksim`), the interval is asked for or chosen, and a batch of runs is refused in one line.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { simulate } from '../../src/api/index.js';
import { acksim } from './run-cli.js';

const base = ['run', 'lost-acks', '--mode', 'at-least-once', '--messages', '500', '--format', 'json'];

describe('acksim run --time-series', () => {
  it("puts each mode's series in the JSON report, at the interval asked for, and nothing without it", () => {
    const plain = JSON.parse(acksim(base).stdout);
    expect(plain.scenarios[0].results[0].timeSeries).toBeUndefined();
    const sampled = acksim([...base, '--time-series']);
    expect(sampled.status).toBe(0);
    const result = JSON.parse(sampled.stdout).scenarios[0].results[0];
    // 500 messages at 200 a second: 2.5 s of sending, points of 5 ms; the redeliveries after the 30 s timeout
    // make it 32 s: without an interval asked for, at most 1,024 points are kept, so neighbours merge three times
    // (10, 20, 40 ms), and 512 to 1,023 points remain.
    expect(result.timeSeries.sampleMs).toBe(40);
    expect(result.timeSeries.t.length).toBeGreaterThanOrEqual(512);
    expect(result.timeSeries.t.length).toBeLessThan(1024);
    expect(result.timeSeries.t.at(-1)).toBe(result.metrics.simulatedMs);
    // Everything else is the report of the run without it.
    expect({ ...result, timeSeries: undefined }).toEqual({ ...plain.scenarios[0].results[0], timeSeries: undefined });
    const asked = JSON.parse(acksim([...base, '--sample-ms', '1000']).stdout).scenarios[0].results[0];
    expect(asked.timeSeries.sampleMs).toBe(1000);
    expect(asked.timeSeries.t.slice(0, 2)).toEqual([1000, 2000]);
  });

  it('gives the library the same series as the command line (simulate, timeSeries)', async () => {
    const cli = JSON.parse(acksim([...base, '--sample-ms', '1000']).stdout);
    const api = await simulate('lost-acks', { mode: 'at-least-once', messages: 500, timeSeries: { sampleMs: 1000 } });
    const result = api.report.scenarios[0]!.results[0]!;
    expect('timeSeries' in result && result.timeSeries).toEqual(cli.scenarios[0].results[0].timeSeries);
  });

  it('refuses a batch of runs and a bad interval with one line and exit 2', () => {
    const many = acksim([...base, '--time-series', '--runs', '2']);
    expect(many.status).toBe(2);
    expect(many.stderr).toBe('acksim: --time-series samples one run per mode (allowed: without --runs)\n');
    const bad = acksim([...base, '--sample-ms', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
