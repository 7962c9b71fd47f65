// Typed errors with a stable dotted code and the exit code they call for. One catch site in cli/
// prints them; nothing else prints.
import { safeText } from './safe-text.js';

/** One problem in a scenario file or command line. */
export interface Issue {
  file: string;
  line?: number;
  column?: number;
  /** Dotted path of the field, e.g. `producer.retry.maxMs` or `faults[0].atMs`. */
  path: string;
  message: string;
}

/** A known error: printed as one line per problem, never with a stack. */
export class AcksimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
    readonly issues: readonly Issue[] = [],
  ) {
    super(message);
  }
}

/** Bad flags or arguments (exit 2); `details` are printed one a line after the message. */
export class UsageError extends AcksimError {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super('cli.usage', message, 2);
  }
}

/**
 * One or more scenario files are invalid (exit 2). The command line prints the issues; the message lists them too
 * (a library caller may print only the message).
 */
export class ScenarioError extends AcksimError {
  constructor(issues: readonly Issue[]) {
    const listed = issues.map((issue) => `\n  ${formatIssue(issue)}`).join('');
    super('scenario.invalid', `${issues.length} problem(s) in scenario input:${listed}`, 2, issues);
  }
}

/** The report could not be written where asked (exit 2). */
export class OutputError extends AcksimError {
  constructor(message: string) {
    super('output.refused', message, 2);
  }
}

/** Lines of an event log that are not events, under --on-bad-line fail (exit 2). */
export class BadLinesError extends AcksimError {
  constructor(issues: readonly Issue[]) {
    super('audit.bad-lines', `${issues.length} bad line(s) in the log`, 2, issues);
  }
}

/**
 * An event log that cannot be audited at all (exit 2): missing, not a regular file, not text, or a CSV
 * without a header. One issue with a line (`file:line:1  message`), or one message naming the file.
 */
export class LogError extends AcksimError {
  constructor(message: string, issue?: Issue) {
    super('audit.unreadable', message, 2, issue === undefined ? [] : [issue]);
  }
}

/**
 * Formats one issue as `file:line:col  path  message` (no path for a problem of a whole line). Every
 * part may hold the user's text, so control characters are escaped and long parts cut.
 */
export function formatIssue(issue: Issue): string {
  const file = safeText(issue.file, 400);
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  const message = safeText(issue.message, 600);
  return issue.path === '' ? `${where}  ${message}` : `${where}  ${safeText(issue.path)}  ${message}`;
}

/** Raised when the model breaks one of its own invariants: a bug of acksim, never of the scenario. */
export class InvariantError extends Error {}
