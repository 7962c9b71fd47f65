// The JSON report contract in tests: every JSON report a test makes is checked against the published
// schema (schema/report.schema.json comes from the same source), so a field the schema does not know,
// or one of the wrong type, fails the test that produced it.
import { reportProblems } from '../src/run/document-problems.js';

/** Parses a JSON report and throws unless it matches the report schema of its `kind`. */
// A test indexes the report freely, as it would JSON.parse's result.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function parseReport<T = any>(text: string): T {
  const value = JSON.parse(text) as unknown;
  const problems = reportProblems(value, 10);
  if (problems.length > 0)
    throw new Error(`the JSON report does not match schema/report.schema.json:\n  ${problems.join('\n  ')}`);
  return value as T;
}

const REPORT_COMMANDS = new Set(['run', 'audit', 'merge', 'sweep', 'compare', 'explore', 'live']);

/**
 * Checks what a command line printed: when it asked a report command for `--format json` and printed
 * a JSON object to stdout, that object must match the report schema.
 */
export function checkPrintedReport(args: readonly string[], stdout: string): void {
  const json = args.some((a, i) => a === '--format=json' || (a === '--format' && args[i + 1] === 'json'));
  if (!json || !REPORT_COMMANDS.has(args[0] ?? '') || !stdout.trimStart().startsWith('{')) return;
  parseReport(stdout);
}
