// The JSON report (formatVersion 2): the report object as is. No wall-clock values, so the same
// inputs and seed give byte-identical output.
import type { Report } from '../run/report.js';

/** Formats the report as JSON. */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
