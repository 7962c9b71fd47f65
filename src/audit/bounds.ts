// How much one audit holds. Its memory grows with what a log names (distinct ids, keys, partitions, consumers) and
// with the events it must keep one by one (offsets, the times of repeated effects), never with its lines alone; each
// of these is bounded, so a log too large for one process is refused in one line instead of running out of memory
// (V8 ends such a process with a native stack trace) or past a Map's 2^24 entries (a RangeError).
import { AcksimError } from '../errors.js';
import { count } from '../number-text.js';

/** At most this many of each kind in one audit: a JavaScript Map holds at most 2^24 entries. */
export const MAX_AUDIT_ENTRIES = 2 ** 24 - 1;
/**
 * At most this many characters in all the names an audit keeps (ids, keys, partitions, consumers; up to 1,024
 * characters each): the ids alone, at their longest, would otherwise fill V8's heap (4 GB) with a quarter of the
 * ids allowed.
 */
export const MAX_AUDIT_CHARACTERS = 2 ** 29;

/** What a log holds too many of, for the message. */
export type Held =
  | 'distinct message ids'
  | 'distinct keys'
  | 'distinct partitions'
  | 'distinct consumers'
  | 'events with an offset'
  | 'effects of messages processed more than once'
  | 'characters in the ids, keys, partitions and consumers named';

/**
 * A bound passed (exit 2): read-logs.ts names the file and line where it happened; elsewhere (a live run's own log)
 * it is one line without them.
 */
export class AuditFull extends AcksimError {
  constructor(
    readonly held: Held,
    readonly limit: number,
  ) {
    super(
      'audit.full',
      `more than ${count(limit)} ${held} (allowed: up to ${count(limit)} in one audit; audit a shorter span of the log)`,
      2,
    );
  }
}

/** The bounds of one audit, and what its names hold so far. */
export class AuditBounds {
  private characters = 0;

  constructor(
    readonly maxEntries = MAX_AUDIT_ENTRIES,
    readonly maxCharacters = MAX_AUDIT_CHARACTERS,
  ) {}

  /** Throws AuditFull when `size` of `held` are already kept, or when a name of `length` characters is one too many. */
  room(size: number, held: Held, length = 0): void {
    if (size >= this.maxEntries) throw new AuditFull(held, this.maxEntries);
    this.characters += length;
    if (this.characters > this.maxCharacters)
      throw new AuditFull('characters in the ids, keys, partitions and consumers named', this.maxCharacters);
  }
}
