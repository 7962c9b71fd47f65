// What the library API (index.ts) checks of its options and says of a report, apart from the API itself.
import { UsageError } from '../errors.js';
import { ExitCode, type Report } from '../run/report.js';

/** The exit codes by name (the documented contract of the command line). */
export const ExitCodeName = ExitCode;

/** A report's verdict in a word: what its exit code means. */
export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'interrupted';

/** The verdict of a report whose exit code is `exitCode`. */
export function verdictOf(report: Report, exitCode: number): Verdict {
  if (report.interrupted === true) return 'interrupted';
  return exitCode === ExitCode.ok ? 'pass' : exitCode === ExitCode.checkFailed ? 'fail' : 'inconclusive';
}

/** An option that must be a whole number in [min, max]; a UsageError names it and what is allowed. */
export function apiInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`${name}: ${shownValue(value)} (allowed: a whole number from ${min} to ${max})`);
  return value;
}

function shownValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null)
    return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
