// Sparklines of queue depth (issue 18 §4): `run` and `compare` draw each mode's queue depth over time on one line
// where a terminal has room; never in a pipe or a file, so logs, reports and golden files keep their shape.
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
  const at = lines.findIndex((line) => /^ {2}queue depth over [\d.,]+ (ms|s|min|h) of virtual time/.test(line));
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

  it('are never drawn in a pipe or a file, even for a sampled run: a report is the same wherever it runs', () => {
    for (const format of ['table', 'json']) {
      const piped = acksim(['run', 'lost-acks', '--messages', '300', '--time-series', '--format', format]).stdout;
      expect(piped).not.toContain('queue depth over');
    }
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
      const lines = sparklines(tty.stdout);
      expect(lines.map((l) => l.trim().split(/\s+/)[0])).toEqual(['queue', ...MODES]);
      // Lost acks keep messages stored until their timeout: at-least-once's line rises above the lowest bar.
      expect(/[▂▃▄▅▆▇█]/.test(lines[2]!)).toBe(true);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);
      const piped = acksimProcess([command, 'lost-acks', '--messages', '300']);
      expect(piped.status).toBe(0);
      expect(sparklines(piped.stdout)).toEqual([]);
    }
  });
});
