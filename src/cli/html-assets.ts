// The HTML report's inlined parts, read from the package: the page's script and style (assets/) and uPlot's
// (a dependency, wherever npm put it), once per process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import type { HtmlAssets } from '../report/html.js';

let loaded: HtmlAssets | undefined;

/** The assets every HTML report inlines. */
export function htmlAssets(): HtmlAssets {
  if (loaded !== undefined) return loaded;
  const uplot = dirname(createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('uplot/package.json'));
  const read = (path: string) => readFileSync(path, 'utf8');
  loaded = {
    script: read(join(PACKAGE_ROOT, 'assets', 'report-page.js')),
    style: read(join(PACKAGE_ROOT, 'assets', 'report-page.css')),
    chartScript: read(join(uplot, 'dist', 'uPlot.iife.min.js')),
    chartStyle: read(join(uplot, 'dist', 'uPlot.min.css')),
  };
  return loaded;
}
