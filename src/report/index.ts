// The formatters, keyed by --format.
import type { Report } from '../run/report.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatTable, type FormatOptions } from './table.js';

/** A formatter turns a report into text. */
export type Formatter = (report: Report, options: FormatOptions) => string;

/** Every output format. */
export const FORMATTERS = {
  table: formatTable,
  json: formatJson,
  markdown: formatMarkdown,
  junit: formatJunit,
} as const satisfies Record<string, Formatter>;

/** Name of an output format. */
export type FormatName = keyof typeof FORMATTERS;

/** Names of the output formats. */
export const FORMAT_NAMES = Object.keys(FORMATTERS) as FormatName[];

export type { FormatOptions };
