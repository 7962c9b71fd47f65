// Sparklines of queue depth (issue 18 §4): `run` and `compare` draw each mode's queue depth over time on one line
// where a terminal has room (or whenever the run was sampled, --time-series); never in a pipe otherwise, so logs
// and golden files keep their shape.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { sparkline } from '../../src/report/sparkline.js';
import { acksim, acksimProcess, ROOT } from './run-cli.js';

const BARS = '▁▂▃▄▅▆▇█';
const MODES = ['at-most-once', 'at-least-once', 'exactly-once'];

/** The sparkline lines of a table report: the heading, then one line per mode. */
function sparklines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => /^ {2}queue depth over [\d,]+ s of virtual time/.test(line));
  return at < 0 ? [] : lines.slice(at, at + 1 + MODES.length);
}

describe('sparklines', () => {
  it('draw each stretch of values as the height of its largest, on the scale given', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 80 }),
        (values, width) => {
          const top = Math.max(...values);
          const line = sparkline(values, width, top);
          expect([...line]).toHaveLength(Math.min(width, values.length));
          for (const bar of line) expect(BARS).toContain(bar);
          // The largest value reaches full height exactly when it is above zero; zero draws the lowest bar.
          expect(line.includes('█')).toBe(top > 0);
          if (top === 0) expect(line).toBe('▁'.repeat(line.length));
        },
      ),
    );
  });

  it('are drawn under the table for a sampled run, one line per mode, and never in JSON', () => {
    const table = acksim(['run', 'lost-acks', '--messages', '300', '--time-series']).stdout;
    const lines = sparklines(table);
    expect(lines.map((l) => l.trim().split(/\s+/)[0])).toEqual(['queue', ...MODES]);
    // Lost acks keep messages stored until their timeout: the line rises above the lowest bar.
    expect(/[▂▃▄▅▆▇█]/.test(lines[2]!)).toBe(true);
    const json = acksim(['run', 'lost-acks', '--messages', '300', '--time-series', '--format', 'json']).stdout;
    expect(json).not.toContain('queue depth over');
  });

  it('appear on a terminal with room, for run and compare, and not in a pipe', () => {
    for (const command of ['run', 'compare']) {
      const args = `node bin/acksim.js ${command} lost-acks --messages 300`;
      // `script` gives the command a pseudo-terminal (util-linux, on every Debian).
      const tty = spawnSync('script', ['-qec', args, '/dev/null'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, COLUMNS: '100' },
      });
      expect(tty.status).toBe(0);
      expect(sparklines(tty.stdout).length).toBe(1 + MODES.length);
      const piped = acksimProcess([command, 'lost-acks', '--messages', '300']);
      expect(piped.status).toBe(0);
      expect(sparklines(piped.stdout)).toEqual([]);
    }
  });
});
