// The HTML report in a real browser (issue 18 §3): pages acksim writes open from file:// in headless Chromium
// with no console error and no request, every chart draws its series (coloured pixels, and the series and points
// the data island holds), timelines show a message's events in the order the trace has them, and the shapes the
// built-in lessons teach are there: retry waves without jitter spread by jitter, RabbitMQ's channel-close requeue
// spikes, a backlog that rises and expires. Screenshots are kept in dist-test/screenshots/.
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import type { Browser } from 'playwright-core';
import { acksim } from '../cli/run-cli.js';
import { fromRoot } from '../root.js';
import { launch, visit, type Visit } from './browser.js';

const dir = mkdtempSync(join(tmpdir(), 'acksim-html-'));
const shots = fromRoot('dist-test/screenshots');
mkdirSync(shots, { recursive: true });

interface Series {
  sampleMs: number;
  t: number[];
  series: Record<string, (number | null)[]>;
  lostPerSecByCause: Record<string, number[]>;
}
interface Result {
  mode: string;
  timeSeries: Series;
  metrics: Record<string, number>;
}
interface Scenario {
  name: string;
  file: string;
  results: Result[];
}

/** Writes a page with `args` (run in this process) and opens it; the screenshot goes to `name`.png. */
async function page(browser: Browser, name: string, args: readonly string[]): Promise<Visit> {
  const file = join(dir, `${name}.html`);
  const ran = acksim([...args, '--format', 'html', '--out', file]);
  expect(ran.stderr).toContain(`written to ${file}`);
  const seen = await visit(browser, file);
  writeFileSync(join(shots, `${name}.png`), seen.screenshot);
  return seen;
}

/** Nothing went wrong loading the page, and nothing was fetched. */
function cleanLoad(seen: Visit): void {
  expect(seen.errors).toEqual([]);
  expect(seen.requests).toEqual([]);
  // A PNG, and not a blank one.
  expect(seen.screenshot.subarray(1, 4).toString()).toBe('PNG');
  expect(seen.screenshot.length).toBeGreaterThan(20_000);
}

const scenarioOf = (seen: Visit, name: string) =>
  (seen.island.report.scenarios as Scenario[]).find((s) => s.name === name)!;
/** The id of a scenario's section, as the page makes it. */
const sectionOf = (scenario: Scenario) => `scenario-${scenario.file}`.replace(/[^A-Za-z0-9_-]+/g, '_');
const chartsOf = (seen: Visit, scenario: Scenario) => seen.charts.filter((c) => c.section === sectionOf(scenario));

describe('the HTML report in Chromium', () => {
  let browser: Browser;
  let all: Visit;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser.close();
  });

  it('opens the whole built-in set offline with no error or request, every chart drawn as its data says', async () => {
    all = await page(browser, 'all', ['run', '--all']);
    cleanLoad(all);
    // Small enough to attach to a CI run.
    expect(statSync(join(dir, 'all.html')).size).toBeLessThan(5_000_000);
    const scenarios = all.island.report.scenarios as Scenario[];
    expect(scenarios.length).toBeGreaterThan(30);
    expect(all.charts.length).toBeGreaterThan(5 * scenarios.length);
    for (const chart of all.charts) {
      const scenario = scenarios.find((s) => chart.section === sectionOf(s))!;
      // One line per mode (per mode and cause of loss, for that chart), every mode at the coarsest interval.
      const byCause = scenario.results.flatMap((r) => Object.keys(r.timeSeries.lostPerSecByCause));
      expect(chart.series).toBe(chart.title.endsWith('by cause') ? byCause.length : scenario.results.length);
      const coarse = Math.max(...scenario.results.map((r) => r.timeSeries.sampleMs));
      expect(chart.intervalMs).toBe(coarse);
      const ends = scenario.results.flatMap((r) => r.timeSeries.t.map((t) => Math.ceil(t / coarse - 1e-9) * coarse));
      expect(chart.points).toBe(new Set(ends).size);
      expect({ title: chart.title, drawn: chart.colouredPixels > 20 }).toEqual({ title: chart.title, drawn: true });
    }
  });

  it('shows retry-storm’s synchronized waves without jitter and their spreading with jitter', () => {
    const storm = scenarioOf(all, 'retry-storm');
    const publishes = chartsOf(all, storm).find((c) => c.title.startsWith('Publishes per second'))!;
    expect(publishes.series).toBe(4);
    expect(publishes.colouredPixels).toBeGreaterThan(100);
    // As drawn: every mode at one interval, after the 3 s outage.
    const drawnLine = (mode: string) => {
      const values = publishes.lines.find((l) => l.label === mode)!.values;
      return values.filter((v, i) => v !== null && i * publishes.intervalMs! > 3500) as number[];
    };
    const waves = drawnLine('no-jitter');
    const spread = drawnLine('full-jitter');
    const busy = (values: number[]) => values.filter((v) => v > 0).length / values.length;
    // Without jitter, retries come only at the backoff instants; with it, in nearly every interval.
    expect(busy(waves)).toBeLessThan(0.15);
    expect(busy(spread)).toBeGreaterThan(0.5);
    expect(Math.max(...waves)).toBeGreaterThan(3 * Math.max(...spread));
  });

  it('shows slow-consumer-retention’s backlog rising, then its oldest messages expiring', () => {
    const slow = scenarioOf(all, 'slow-consumer-retention');
    const r = slow.results[0]!;
    const stored = r.timeSeries.series.stored as number[];
    const peak = Math.max(...stored);
    const firstExpiry = r.timeSeries.lostPerSecByCause.expired!.findIndex((v) => v > 0);
    expect(firstExpiry).toBeGreaterThan(0);
    // The backlog grows for as long as nothing expires: each tenth of that stretch ends higher than the last ...
    const rising = stored.slice(0, firstExpiry);
    const tenths = Array.from({ length: 10 }, (_, i) => rising[Math.floor(((i + 1) * rising.length) / 10) - 1]!);
    for (let i = 1; i < 10; i++) expect(tenths[i]!).toBeGreaterThan(tenths[i - 1]!);
    expect(rising.at(-1)!).toBeGreaterThan(0.8 * peak);
    // ... then expiry holds it near its peak, and it drains when the producer stops.
    expect(stored.at(-1)).toBe(0);
    const titles = chartsOf(all, slow).map((c) => c.title);
    expect(titles.some((t) => t.startsWith('Stored by the broker'))).toBe(true);
    expect(titles.some((t) => t.startsWith('Losses per second'))).toBe(true);
  });

  it('shows RabbitMQ’s channel-close requeue spikes for visibility-timeout-too-short, beside SQS’s trickle', async () => {
    const rabbit = await page(browser, 'rabbitmq', [
      'run',
      'visibility-timeout-too-short',
      '--profile',
      'rabbitmq-quorum',
    ]);
    cleanLoad(rabbit);
    /** The most redeliveries at-least-once made in one drawn interval. */
    const peak = (seen: Visit) => {
      const chart = chartsOf(seen, scenarioOf(seen, 'visibility-timeout-too-short')).find((c) =>
        c.title.startsWith('Redeliveries per second'),
      )!;
      const values = chart.lines.find((l) => l.label === 'at-least-once')!.values as number[];
      return (Math.max(...values) * chart.intervalMs!) / 1000;
    };
    // A closed channel requeues every unacked delivery on it at once; SQS redelivers each as its own timeout ends.
    expect(peak(rabbit)).toBeGreaterThan(3 * peak(all));
  });

  it('shows hostile scenario text as text, and the verdict the command line gives', async () => {
    const hostile = '</script><script>window.__pwned=2</script><img src=x onerror="window.__pwned=1"><!--';
    const file = join(dir, 'hostile.yaml');
    writeFileSync(
      file,
      [`summary: ${JSON.stringify(hostile)}`, `description: ${JSON.stringify(hostile)}`, 'messages: 50', ''].join('\n'),
    );
    const seen = await page(browser, 'hostile', ['run', file, '--check', 'lost == 0']);
    cleanLoad(seen);
    expect(seen.pwned).toBeNull();
    expect((seen.island.report.scenarios as { summary: string }[])[0]!.summary).toBe(hostile);
    expect(seen.verdict).toBe('PASS');
    // Nothing to test is never a pass, in the page as on the command line (exit 3).
    const nothing = await page(browser, 'nothing', ['run', 'lost-acks', '--messages', '0']);
    cleanLoad(nothing);
    expect(nothing.verdict).toBe('INCONCLUSIVE');
    const unchecked = await page(browser, 'unchecked', ['run', file, '--mode', 'at-most-once']);
    expect(unchecked.verdict).toBe('NO CHECKS');
  });

  it("draws a message's timeline with the trace's events in the trace's order", async () => {
    const args = ['run', 'lost-acks', '--mode', 'at-least-once', '--messages', '500'];
    const seen = await page(browser, 'timeline', args);
    cleanLoad(seen);
    expect(seen.timelines.length).toBeGreaterThan(0);
    for (const timeline of seen.timelines) {
      const trace = acksim([
        'trace',
        'lost-acks',
        '--mode',
        'at-least-once',
        '--messages',
        '500',
        '--message',
        String(timeline.message),
        '--format',
        'jsonl',
      ]);
      const events = trace.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { t: number; event: string; message?: number })
        .filter((e) => e.message === timeline.message && e.event !== 'outcome');
      expect(timeline.events).toEqual(events.map((e) => ({ t: e.t, event: e.event })));
      for (let i = 1; i < timeline.events.length; i++)
        expect(timeline.events[i]!.t).toBeGreaterThanOrEqual(timeline.events[i - 1]!.t);
    }
  });

  it('draws the other kinds: a sweep with its intervals, explore’s counterexamples, compare, and a JSON report', async () => {
    const sweep = await page(browser, 'sweep', [
      'sweep',
      'lost-acks',
      '--param',
      'network.ack.loss=0,0.1,0.2',
      '--runs',
      '3',
      '--messages',
      '1000',
    ]);
    cleanLoad(sweep);
    // Per mode: the mean and the interval's two bounds, at each swept value.
    expect(sweep.charts).toEqual([expect.objectContaining({ series: 9, points: 3 })]);
    expect(sweep.charts[0]!.colouredPixels).toBeGreaterThan(100);
    const json = join(dir, 'report.json');
    acksim(['run', 'lost-acks', '--messages', '1000', '--time-series', '--format', 'json', '--out', json]);
    const fromJson = await page(browser, 'from-json', ['report', json]);
    cleanLoad(fromJson);
    expect(fromJson.charts.length).toBeGreaterThan(3);
    // compare and explore print their page on stdout.
    for (const [name, args] of [
      ['compare', ['compare', 'lost-acks', '--messages', '1000', '--format', 'html']],
      ['explore', ['explore', 'lost-acks', '--format', 'html']],
    ] as const) {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, acksim(args).stdout);
      const seen = await visit(browser, file);
      writeFileSync(join(shots, `${name}.png`), seen.screenshot);
      cleanLoad(seen);
      if (name === 'explore') expect(seen.timelines.length).toBeGreaterThan(2);
    }
    expect(readFileSync(join(dir, 'compare.html'), 'utf8')).toContain('<meta name="generator" content="acksim">');
  });

  it('draws many runs, an audit and a live comparison (its rates as error bars beside the model)', async () => {
    const runs = await page(browser, 'runs', ['run', 'lost-acks', '--runs', '3', '--messages', '500']);
    cleanLoad(runs);
    expect(runs.tables).toBeGreaterThan(1);
    const log = join(dir, 'events.jsonl');
    acksim(['run', 'lost-acks', '--mode', 'at-least-once', '--messages', '300', '--events', log]);
    const audit = await page(browser, 'audit', ['audit', log, '--check', 'lost == 0']);
    cleanLoad(audit);
    expect(audit.verdict).toBe('PASS');
    const rate = (live: number, lower: number, upper: number) => ({
      live,
      interval: { lower, upper },
      predicted: live,
      modelSpread: 0,
      tolerance: { lower, upper },
      inside: true,
    });
    const row = (mode: string, dup: number) => ({
      mode,
      produced: 400,
      verdict: 'agree',
      lossRate: rate(0, 0, 0.0095),
      duplicateRate: rate(dup, Math.max(0, dup - 0.02), dup + 0.02),
    });
    const json = join(dir, 'live.json');
    const report = { formatVersion: 3, kind: 'live', scenario: 'lost-acks', broker: 'redis://127.0.0.1:6379' };
    const modes = [row('at-most-once', 0), row('at-least-once', 0.05)];
    writeFileSync(json, JSON.stringify({ ...report, seed: 1, confidence: 0.95, verdict: 'agree', modes }));
    const live = await page(browser, 'live', ['report', json]);
    cleanLoad(live);
    // A bar per mode and rate.
    expect(live.errorBars).toBe(4);
  });
});
