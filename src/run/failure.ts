// Failure files read back (`acksim replay`), checked like any input (their schema: report-schema.ts). What they
// hold and how their faults read: failure-file.ts.
import { documentProblems } from './document-problems.js';
import { FAILURE_FORMAT, type FailureFile } from './failure-file.js';

export { describeFault, FAILURE_FORMAT, type FailureFile } from './failure-file.js';

/** Reads and checks a parsed failure file (like any input: types, ranges, sizes); returns what is wrong, or the file.
 * */
export function parseFailure(value: unknown): FailureFile | string {
  const f = value as Partial<FailureFile> | null;
  if (f === null || typeof f !== 'object' || f.acksimFailure !== FAILURE_FORMAT)
    return `not an acksim failure file (format ${FAILURE_FORMAT})`;
  const problems = documentProblems('failure', value, 3);
  if (problems.length > 0) return problems.join('; ');
  const file = value as FailureFile;
  const outside = file.faults.find((fault) => fault.a >= file.messages);
  if (outside !== undefined) return `faults: message #${outside.a} is not among the ${file.messages} messages`;
  return file;
}
