// The formats of a run's report, which an audit's shares: apart from the registry (formatters.ts), so that `acksim
// audit` loads its own formatters and not every kind's (exploration, sweep, trace, live).
import { formatHtml, type HtmlPage } from '../report/html.js';
import { FORMATTERS } from '../report/index.js';
import { htmlAssets } from './html-assets.js';

/** How a command asks for its page: what it adds beside the report (`page`). */
export interface PageOptions {
  page?: HtmlPage;
}

/** The self-contained HTML page of a JSON report (`--format html`). */
export function html(report: object, options: PageOptions): string {
  return formatHtml({ ...options.page, report }, htmlAssets());
}

/** A run's (and an audit's) formats, keyed by --format name, in the flag's order. */
export const RUN_FORMATS = { ...FORMATTERS, html } as const;
