// The formatters, keyed by --format.
import type { Report } from '../run/report.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatTable, type FormatOptions } from './table.js';

/** A formatter turns a report into text. */
export type Formatter = (report: Report, options: FormatOptions) => string;

/** Name of an output format. */
export type FormatName = 'table' | 'json' | 'markdown' | 'junit';

/** Every output format. */
export const FORMATTERS: Readonly<Record<FormatName, Formatter>> = {
  table: formatTable,
  json: formatJson,
  markdown: formatMarkdown,
  junit: formatJunit,
};

/** Names of the output formats. */
export const FORMAT_NAMES = Object.keys(FORMATTERS) as FormatName[];

export type { FormatOptions };
