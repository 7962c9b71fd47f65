// Failure files read back (`acksim replay`): their schema, checked like any input. What they hold: failure-file.ts.
import { Type } from '@sinclair/typebox';
import { PROFILE_NAMES } from '../scenario/profiles.js';
import { Site } from '../sim/choice.js';
import { count, documentProblems, MAX_MESSAGES, MAX_SEED, text } from './report-schema.js';
import { FAILURE_FORMAT, type FailureFile } from './failure-file.js';

export { describeFault, FAILURE_FORMAT, type FailureFile } from './failure-file.js';

const fault = Type.Object(
  {
    site: Type.Union(Object.values(Site).map((s) => Type.Literal(s))),
    a: Type.Integer({ minimum: 0, maximum: MAX_MESSAGES }),
    b: Type.Integer({ minimum: 0, maximum: MAX_SEED }),
    c: Type.Integer({ minimum: 0, maximum: MAX_SEED }),
    outcome: Type.Integer({ minimum: 0, maximum: 255 }),
  },
  { additionalProperties: false },
);

/** A failure file: what `acksim replay` accepts. */
export const failureFileSchema = Type.Object(
  {
    acksimFailure: Type.Literal(FAILURE_FORMAT),
    acksimVersion: text(256),
    scenario: text(),
    profile: Type.Optional(Type.Union(PROFILE_NAMES.map((p) => Type.Literal(p)))),
    mode: text(256),
    seed: Type.Integer({ minimum: 0, maximum: MAX_SEED }),
    messages: Type.Integer({ minimum: 0, maximum: MAX_MESSAGES }),
    check: text(),
    originalFaults: count(),
    faults: Type.Array(fault, { maxItems: 1_000_000 }),
  },
  { additionalProperties: false },
);

/** Reads and checks a parsed failure file (like any input: types, ranges, sizes); returns what is wrong, or the file.
 * */
export function parseFailure(value: unknown): FailureFile | string {
  const f = value as Partial<FailureFile> | null;
  if (f === null || typeof f !== 'object' || f.acksimFailure !== FAILURE_FORMAT)
    return `not an acksim failure file (format ${FAILURE_FORMAT})`;
  const problems = documentProblems(failureFileSchema, value, 3);
  if (problems.length > 0) return problems.join('; ');
  const file = value as FailureFile;
  const outside = file.faults.find((fault) => fault.a >= file.messages);
  if (outside !== undefined) return `faults: message #${outside.a} is not among the ${file.messages} messages`;
  return file;
}
