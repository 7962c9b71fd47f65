// `--format html` (issue 18 §2): one self-contained page. The JSON report and what the page draws beside it (each
// scenario's lesson and fault bands, message timelines, cause glosses) sit in a JSON data island; the page script
// (assets/report-page.js) and uPlot are inlined, and a Content-Security-Policy forbids every request, so the file
// works from file:// and as a CI artifact, and nothing in it can reach the network. Only the page's own two scripts
// may run (the policy names their hashes): markup that got in some other way could not run a script.
import { createHash } from 'node:crypto';

/** The page's own script and style, and uPlot's, as text (the CLI reads them from the package). */
export interface HtmlAssets {
  script: string;
  style: string;
  chartScript: string;
  chartStyle: string;
}

/** What the page shows: the JSON report, and what it draws beside it. */
export interface HtmlPayload {
  report: object;
  scenarios?: Record<string, { description: string; bands: { label: string; fromMs: number; toMs: number }[] }>;
  timelines?: object[];
  glossary?: Record<string, string>;
}

/** What a command adds to its report for the page (everything but the report itself). */
export type HtmlPage = Omit<HtmlPayload, 'report'>;

/** The marker of a page acksim wrote (so `--out` may replace it). */
export const HTML_GENERATOR = '<meta name="generator" content="acksim">';

/** JSON that can sit inside a script element: no `<`, `>` or `&` that could close it or open a comment. */
function islandJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Script or style text that cannot end its element early. */
function inline(text: string, element: 'script' | 'style'): string {
  return text.replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The page: deterministic (the same report gives the same bytes), with the data island `#acksim-data`. */
export function formatHtml(payload: HtmlPayload, assets: HtmlAssets): string {
  const kind = (payload.report as { kind?: unknown }).kind;
  const title = `acksim ${typeof kind === 'string' ? kind : ''} report`;
  const scripts = [inline(assets.chartScript, 'script'), inline(assets.script, 'script')];
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`).join(' ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    HTML_GENERATOR,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may be fetched: no script, style, image, font or connection beyond what the page holds.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${hashes}; ` +
      `style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${inline(assets.chartStyle, 'style')}</style>`,
    `<style>${inline(assets.style, 'style')}</style>`,
    '</head>',
    '<body>',
    '<main id="app"></main>',
    `<script type="application/json" id="acksim-data">${islandJson(payload)}</script>`,
    `<script>${scripts[0]!}</script>`,
    `<script>${scripts[1]!}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
