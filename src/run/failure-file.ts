// Failure files: a shrunk failing run written down so `acksim replay` reproduces it exactly. What a failure
// file holds and how its faults read; checking one that is read back is failure.ts (with the schema and ajv).
import { Site, type FaultChoice } from '../sim/choice.js';

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
    return `${delivery}: the consumer stalls as processing starts (consumers.stall, else past the visibility timeout; a log: max.poll.interval.ms)`;
  // The ack link's key c: 0 or 1 the ack of a copy, 2n + copy the n-th lease extension.
  if (site === 'ackFate' && fault.c >= 2) {
    const what = fault.outcome === 1 ? 'dropped' : 'duplicated';
    return `lease extension ${fault.c >> 1} of #${fault.a} (delivery ${fault.b}${fault.c % 2 === 1 ? ', copy 2' : ''}): ${what}`;
  }
  if (site === 'producerCrash')
    return `#${fault.a}: ${fault.b === 0 ? 'the producer crashes before the publish' : 'the outbox relay crashes before marking the row sent'}`;
  if (site === 'handlerCrash') {
    // Keyed by (message, delivery * 2 + copy, write): the crash falls before the handler's write `c` (0-based).
    const copy = fault.b % 2 === 1 ? ' (copy 2)' : '';
    return `#${fault.a} delivery ${Math.floor(fault.b / 2)}${copy}: consumer crash in the handler, before its write ${fault.c + 1}`;
  }
  if (site === 'crash') {
    // Outcome 1 crashes at the scenario's crash point; 2 (exploration only) at the other one.
    const before = (fault.outcome === 1) === (crashPoint === 'before-effect');
    return `${delivery}: consumer crash${crashPoint === undefined ? '' : before ? ' before the effect' : ' after the effect'}`;
  }
  const what = fault.outcome === 1 ? 'dropped' : fault.outcome === 2 ? 'duplicated' : `outcome ${fault.outcome}`;
  const unit = link === 'publish' || link === 'confirm' ? `attempt ${fault.b}` : `delivery ${fault.b}`;
  return `${link} of #${fault.a} (${unit}${fault.c > 0 ? `, copy ${fault.c + 1}` : ''}): ${what}`;
}
