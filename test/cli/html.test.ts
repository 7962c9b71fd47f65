// `--format html` and `acksim report` without a browser (test/browser/ opens the pages): the page is the same
// bytes for the same inputs, holds the JSON report in its data island (golden-checked), escapes what could end
// its scripts, draws the messages asked for, and refuses bad input and unsafe targets in one line, exit 2.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { formatHtml } from '../../src/report/html.js';
import { fromRoot } from '../root.js';
import { acksim } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acksim-html-cli-'));
// A few points a mode keep the golden file small enough to review.
const SMALL = ['run', 'test/golden/lost-acks-small.yaml', '--format', 'html', '--sample-ms', '5000'];

interface Island {
  report: Record<string, unknown>;
  timelines: { mode: string; message: number }[];
}

/** The page's data island, parsed. */
function island(page: string): Island {
  const found = /<script type="application\/json" id="acksim-data">([^<]*)<\/script>/.exec(page);
  expect(found).not.toBeNull();
  return JSON.parse(found![1]!) as Island;
}

describe('acksim --format html', () => {
  it('writes the same page for the same inputs, its data island as in its golden file', () => {
    const first = acksim(SMALL);
    expect(first.status).toBe(0);
    expect(acksim(SMALL).stdout).toBe(first.stdout);
    expect(first.stdout.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    const golden = fromRoot('test/golden/lost-acks-small.page.json');
    const data = `${JSON.stringify(island(first.stdout), null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, data);
    expect(data).toBe(readFileSync(golden, 'utf8'));
    // The report in the page is the JSON report of the same run, with its time series.
    const json = JSON.parse(acksim([...SMALL.slice(0, 2), '--format', 'json', '--time-series']).stdout);
    expect(island(first.stdout).report.scenarios).toEqual(
      (json.scenarios as { results: { timeSeries: { t: number[] } }[] }[]).map((s) => ({
        ...s,
        results: s.results.map((r) => ({ ...r, timeSeries: expect.objectContaining({}) })),
      })),
    );
  });

  it('draws the timelines of the messages asked for, in every mode, and refuses --message without html', () => {
    const page = acksim([
      'run',
      'lost-acks',
      '--messages',
      '300',
      '--message',
      '7',
      '--message',
      '12',
      '--format',
      'html',
    ]);
    const drawn = island(page.stdout).timelines.map((t) => `${t.mode}:${t.message}`);
    expect(drawn).toEqual(['at-most-once', 'at-least-once', 'exactly-once'].flatMap((m) => [`${m}:7`, `${m}:12`]));
    const refused = acksim(['run', 'lost-acks', '--message', '7']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      'acksim: --message chooses the timelines of an HTML report (allowed: with --format html)\n',
    );
  });

  it('keeps a scenario’s text from closing the page’s scripts (it is data, never markup)', () => {
    const hostile = '</script><script>alert(1)</script><!--';
    const page = formatHtml(
      { report: { kind: 'run', scenarios: [{ name: hostile }] } },
      { script: 'void 0;', style: '', chartScript: 'void "</script>";', chartStyle: '</style>' },
    );
    expect(page.match(/<\/script>/g)).toHaveLength(3);
    // Only the page's own two scripts may run: the policy names their hashes, never 'unsafe-inline'.
    const policy = /script-src ([^;"]*)/.exec(page)![1]!;
    expect(policy.split(' ').filter((source) => /^'sha256-[A-Za-z0-9+/]+=*'$/.test(source))).toHaveLength(2);
    expect(policy).not.toContain('unsafe-inline');
    expect(page.match(/<\/style>/g)).toHaveLength(2);
    expect(page).not.toContain(hostile);
    expect(island(page).report).toEqual({ kind: 'run', scenarios: [{ name: hostile }] });
  });

  it('acksim report turns a JSON report into the page, refusing what acksim did not write', () => {
    const json = join(dir, 'r.json');
    acksim([...SMALL.slice(0, 2), '--format', 'json', '--time-series', '--out', json]);
    const out = join(dir, 'r.html');
    const made = acksim(['report', json, '--out', out]);
    expect(made.status).toBe(0);
    expect(island(readFileSync(out, 'utf8')).report).toEqual(JSON.parse(readFileSync(json, 'utf8')));
    // A page acksim wrote may be replaced; anything else needs --force.
    expect(acksim(['report', json, '--out', out]).status).toBe(0);
    const mine = join(dir, 'mine.html');
    writeFileSync(mine, '<!doctype html><p>my notes</p>');
    const kept = acksim(['report', json, '--out', mine]);
    expect(kept.status).toBe(2);
    expect(readFileSync(mine, 'utf8')).toBe('<!doctype html><p>my notes</p>');
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"formatVersion": 3, "kind": "run", "ok": "yes"}');
    const bad = acksim(['report', other]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(`acksim: ${other}: not a JSON report acksim wrote`);
    expect(bad.stdout).toBe('');
    const missing = acksim(['report', join(dir, 'none.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^acksim: .*none\.json: cannot read a JSON report \(.*\)\n$/);
  });
});
