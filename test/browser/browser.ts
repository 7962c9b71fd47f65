// Opens acksim's HTML reports in a real headless Chromium (Debian's `chromium`, driven by playwright-core), as a
// reviewer would from a CI artifact: from file://, and records what a test asserts on: console errors, every
// request the page made, the charts it drew (with the pixels their series coloured), its timelines, and a
// screenshot. No Chromium is a failure, never a skip: `npm run test:all` installs it (scripts/install-test-deps.sh).
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** The browser: ACKSIM_CHROMIUM, or Debian's. */
export const CHROMIUM = process.env.ACKSIM_CHROMIUM ?? '/usr/bin/chromium';

/** Starts headless Chromium, with none of its own network traffic (this machine's network is closed). */
export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: run scripts/install-test-deps.sh (or set ACKSIM_CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** One chart as drawn: its title, series and points, and how many of its canvas pixels are strongly coloured. */
export interface DrawnChart {
  title: string;
  section: string;
  series: number;
  points: number;
  colouredPixels: number;
  /** A time series chart's interval, ms (every mode drawn at it). */
  intervalMs?: number;
  /** Each line as drawn: its label and values (null: a gap). */
  lines: { label: string; values: (number | null)[] }[];
}

/** One timeline as drawn: its message and its events' times and names, left to right. */
export interface DrawnTimeline {
  section: string;
  message: number;
  events: { t: number; event: string }[];
}

/** What a visit saw. */
export interface Visit {
  errors: string[];
  /** Every request but the page itself. */
  requests: string[];
  charts: DrawnChart[];
  timelines: DrawnTimeline[];
  /** The data island, parsed. */
  island: { report: Record<string, unknown>; timelines?: unknown[]; [key: string]: unknown };
  /** The header's verdict badge, as shown. */
  verdict: string;
  /** Set only if something in the page ran that the page did not write (the injection tests plant it). */
  pwned: unknown;
  /** The live page's error bars, and every page's tables. */
  errorBars: number;
  tables: number;
  screenshot: Buffer;
}

/**
 * What the page drew, read inside it (as text: the tests' TypeScript has no DOM types). A chart's coloured
 * pixels are those far from grey: its series' lines, never its axes, grid or labels. It comes back as one JSON
 * string (a number JSON cannot hold comes as its name): Playwright serializes a returned object value by
 * value, which took 4.6 s for the built-in set's page (its data island and chart lines), where the string
 * takes 0.14 s (2026-12-02).
 */
const READ_PAGE = `(() => {
  const registry = window.acksimCharts;
  const charts = [...document.querySelectorAll('.chart')].map((box, index) => {
    let coloured = 0;
    for (const canvas of box.querySelectorAll('canvas')) {
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i], g = data[i + 1], b = data[i + 2], a = data[i + 3];
        if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
      }
    }
    return {
      title: box.dataset.title || '',
      section: box.closest('section.scenario') ? box.closest('section.scenario').id : '',
      series: Number(box.dataset.series),
      points: Number(box.dataset.points),
      colouredPixels: coloured,
      intervalMs: registry[index].intervalMs,
      lines: registry[index].lines,
    };
  });
  const timelines = [...document.querySelectorAll('svg.timeline')].map((svg) => ({
    section: svg.closest('section.scenario') ? svg.closest('section.scenario').id : '',
    message: Number(svg.dataset.message),
    events: [...svg.querySelectorAll('g.event')].map((g) => ({ t: Number(g.dataset.t), event: g.dataset.event })),
  }));
  const island = JSON.parse(document.getElementById('acksim-data').textContent);
  const badge = document.querySelector('header .badge');
  return JSON.stringify({
    charts,
    timelines,
    island,
    verdict: badge ? badge.textContent : '',
    pwned: window.__pwned ?? null,
    errorBars: document.querySelectorAll('svg.fidelity line.errorbar').length,
    tables: document.querySelectorAll('table').length,
    // A number JSON has no word for stays visible ("NaN"), never a null that would pass for a gap.
  }, (key, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value));
})()`;

/** Opens `file` and waits until its script has drawn everything. */
export async function visit(browser: Browser, file: string): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-rendered="true"]', { timeout: 60_000 });
  const drawn = JSON.parse(await page.evaluate<string>(READ_PAGE)) as Omit<Visit, 'errors' | 'requests' | 'screenshot'>;
  const screenshot = await page.screenshot({ fullPage: false });
  await page.close();
  return { errors, requests, ...drawn, screenshot };
}
