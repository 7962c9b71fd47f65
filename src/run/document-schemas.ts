// The schemas of every document acksim reads back: each kind of JSON report (report-schema.ts) and failure
// files (`replay`, here). TypeBox: read by the build, and by report-validators.ts where the build did not run.
import { Type, type TSchema } from '@sinclair/typebox';
import { PROFILE_NAMES } from '../scenario/profiles.js';
import { Site } from '../sim/choice.js';
import { FAILURE_FORMAT } from './failure-file.js';
import { count, MAX_MESSAGES, MAX_SEED, REPORT_SCHEMAS, text } from './report-schema.js';

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

/** A failure file: what `acksim replay` accepts (failure.ts). */
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

/** Every document acksim reads back, by name: each kind of JSON report, and failure files. */
export const DOCUMENT_SCHEMAS: Readonly<Record<string, TSchema>> = { ...REPORT_SCHEMAS, failure: failureFileSchema };

/** The kinds of JSON report, in the order a bad `kind` lists them. */
export const REPORT_KINDS: readonly string[] = Object.keys(REPORT_SCHEMAS);
