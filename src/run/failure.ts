// Failure files: a shrunk failing run written down so `acksim replay` reproduces it exactly.
import { Type } from '@sinclair/typebox';
import { PROFILE_NAMES } from '../scenario/profiles.js';
import { Site, type FaultChoice } from '../sim/choice.js';
import { count, documentProblems, MAX_MESSAGES, MAX_SEED, text } from './report-schema.js';

/** Version of the failure file format. */
export const FAILURE_FORMAT = 1;

/** What a failure file holds. */
export interface FailureFile {
  acksimFailure: typeof FAILURE_FORMAT;
  acksimVersion: string;
  scenario: string;
  /** The broker profile swapped in with --profile, if any. */
  profile?: string;
  mode: string;
  seed: number;
  messages: number;
  check: string;
  /** Faults of the original run, before shrinking. */
  originalFaults: number;
  /** The minimal faults: every other discrete choice is fault-free. */
  faults: FaultChoice[];
}

const SITE_NAMES = Object.fromEntries(Object.entries(Site).map(([name, value]) => [value, name])) as Record<
  number,
  string
>;

/** A fault in words: "ack of #174 (delivery 0): dropped". */
export function describeFault(fault: FaultChoice, crashPoint?: 'before-effect' | 'after-effect'): string {
  const site = SITE_NAMES[fault.site] ?? `site ${fault.site}`;
  const link = site.replace(/Fate$/, '');
  const delivery = `#${fault.a} delivery ${fault.b}${fault.c > 0 ? ' (copy 2)' : ''}`;
  if (site === 'stall')
    return `${delivery}: processing stalls past the visibility timeout (a log: max.poll.interval.ms)`;
  if (site === 'producerCrash')
    return `#${fault.a}: ${fault.b === 0 ? 'the producer crashes before the publish' : 'the outbox relay crashes before marking the row sent'}`;
  if (site === 'crash') {
    // Outcome 1 crashes at the scenario's crash point; 2 (exploration only) at the other one.
    const before = (fault.outcome === 1) === (crashPoint === 'before-effect');
    return `${delivery}: consumer crash${crashPoint === undefined ? '' : before ? ' before the effect' : ' after the effect'}`;
  }
  const what = fault.outcome === 1 ? 'dropped' : fault.outcome === 2 ? 'duplicated' : `outcome ${fault.outcome}`;
  const unit = link === 'publish' || link === 'confirm' ? `attempt ${fault.b}` : `delivery ${fault.b}`;
  return `${link} of #${fault.a} (${unit}${fault.c > 0 ? `, copy ${fault.c + 1}` : ''}): ${what}`;
}

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
