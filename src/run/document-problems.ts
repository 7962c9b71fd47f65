// Checks a document acksim reads back (a shard's JSON report for `merge`, a failure file for `replay`) against
// its schema: types, ranges, known names and sizes, one line per problem, before anything is computed from it.
import { formatPath } from '../scenario/positions.js';
import { schemaProblems } from '../scenario/schema-issues.js';
import { documentValidator, REPORT_KINDS } from './report-validators.js';

/**
 * Checks a parsed document against the schema of `kind` (a report kind, or `failure`); returns the problems,
 * one line each (`scenarios[0].results[1].runs[5].metrics.lost  must be an integer, got null`), at most `limit`.
 */
export function documentProblems(kind: string, value: unknown, limit = 5): string[] {
  const validate = documentValidator(kind);
  if (validate === undefined) throw new Error(`no schema for documents of kind ${kind}`);
  if (validate(value)) return [];
  const problems = schemaProblems(validate.errors ?? []).map((p) =>
    p.path.length === 0 ? p.message : `${formatPath(p.path)}  ${p.message}`,
  );
  return problems.slice(0, limit);
}

/** Checks a parsed JSON report against the schema of its `kind`; returns the problems, one line each. */
export function reportProblems(value: unknown, limit = 5): string[] {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string' || !REPORT_KINDS.includes(kind))
    return [`kind  must be one of: ${REPORT_KINDS.join(', ')}; got ${JSON.stringify(kind)}`];
  return documentProblems(kind, value, limit);
}
