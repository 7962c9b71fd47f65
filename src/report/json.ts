// The JSON report (formatVersion 3): the report object as is. No wall-clock values, so the same
// inputs and seed give byte-identical output.
import type { Report } from '../run/report.js';
import { escapeJsonControls } from '../safe-text.js';

/** Formats the report as JSON (C1 and bidirectional controls escaped, as JSON.stringify escapes C0). */
export function formatJson(report: Report): string {
  return `${escapeJsonControls(JSON.stringify(report, null, 2))}\n`;
}
