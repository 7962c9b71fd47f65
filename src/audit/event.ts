// One event of a real system's log: what `acksim audit` reads and `acksim live` writes. A record
// (a JSON object, or a CSV row by its header) becomes an event, or a problem naming the field.
import { count } from '../number-text.js';

/**
 * The kinds of event, in the order a message meets them. `publish-failed` is the client learning that
 * a publish attempt failed (the broker refused it: Jepsen's `:fail`), written after that attempt's `publish`.
 */
export const EVENT_TYPES = ['publish', 'publish-failed', 'confirm', 'deliver', 'effect', 'ack', 'dead-letter'] as const;
/** A kind of event. */
export type EventType = (typeof EVENT_TYPES)[number];
/** Event type codes by name (index into EVENT_TYPES). */
export const EventCode = Object.fromEntries(EVENT_TYPES.map((t, i) => [t, i])) as Record<EventType, number>;

/** Event type codes by name, for lookups by the log's text (a Map has no prototype to read). */
const CODES = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));

/** One event: a type code, the message id, a time in ms. */
export interface AuditEvent {
  type: number;
  id: string;
  ts: number;
  /** The message's key, where the log gives one (per-key order: outOfOrder; a key is a partition for offsets). */
  key?: string;
  /** Where the broker's log holds the message (a Kafka offset): written, confirmed or read there. */
  offset?: number;
  /** Who read it (a deliver event's consumer): offsets are compared per consumer. */
  consumer?: string;
  /** The partition of the broker's log that holds it (a Kafka topic's), where the log says: offsets count per
   * partition; without one, the message's key stands for its partition. */
  partition?: string;
}

/** Where our fields are in the user's records: `--map type=kind,id=msg_id,ts=time`. */
export interface FieldMap {
  type: string;
  id: string;
  ts: string;
  /** The message's key (optional in every record). */
  key: string;
  /** The key's field was named (--map key=...): a key that is not a string or a number is then refused, not ignored. */
  keyMapped?: boolean;
  /** The message's offset in the broker's log (optional; with --map, a value that is not a whole number is refused). */
  offset: string;
  offsetMapped?: boolean;
  /** The consumer that read it (optional). */
  consumer: string;
  consumerMapped?: boolean;
  /** The partition of the log that holds it (optional). */
  partition: string;
  partitionMapped?: boolean;
}

/** Reading the log's own field names. */
export const DEFAULT_FIELDS: FieldMap = {
  type: 'type',
  id: 'id',
  ts: 'ts',
  key: 'key',
  offset: 'offset',
  consumer: 'consumer',
  partition: 'partition',
};

/** The fields every record may lack. */
const OPTIONAL = ['key', 'offset', 'consumer', 'partition'] as const;

/** Parses `--map` text: comma-separated `ours=theirs` pairs; returns a map or a problem. */
export function parseFieldMap(text: string): FieldMap | string {
  const map: FieldMap = { ...DEFAULT_FIELDS };
  const mapped = new Set<string>();
  for (const pair of text.split(',')) {
    const [ours, theirs, extra] = pair.split('=').map((part) => part.trim());
    if (ours === undefined || theirs === undefined || theirs === '' || extra !== undefined) {
      return `--map "${pair}": expected ours=theirs (allowed fields: ${Object.keys(DEFAULT_FIELDS).join(', ')}, e.g. "type=kind,id=msg_id")`;
    }
    if (!Object.hasOwn(DEFAULT_FIELDS, ours))
      return `--map "${pair}": unknown field "${ours}" (allowed: ${Object.keys(DEFAULT_FIELDS).join(', ')})`;
    mapped.add(ours);
    map[ours as 'type' | 'id' | 'ts' | (typeof OPTIONAL)[number]] = theirs;
  }
  if (mapped.has('key')) map.keyMapped = true;
  if (mapped.has('consumer')) map.consumerMapped = true;
  if (mapped.has('offset')) map.offsetMapped = true;
  if (mapped.has('partition')) map.partitionMapped = true;
  // Another field read from an optional field's default column (--map id=key): the log has no such column then.
  for (const optional of OPTIONAL) {
    const others = (['type', 'id', 'ts', ...OPTIONAL] as const).filter(
      (f) => f !== optional && (!OPTIONAL.includes(f as never) || mapped.has(f)),
    );
    if (!mapped.has(optional) && others.some((f) => map[f] === map[optional])) map[optional] = '';
  }
  // Two of our fields read from one column would read every event wrong.
  const names: string[] = [map.type, map.id, map.ts, ...OPTIONAL.map((f) => map[f]).filter((name) => name !== '')];
  const shared = names.find((name, i) => names.indexOf(name) !== i);
  if (shared !== undefined)
    return `--map: two fields read the column "${shared}" (allowed: a column for each of type, id, ts, ${OPTIONAL.join(', ')})`;
  return map;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A time in ms: a number (ms since any epoch), or ISO-8601 text with a zone. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  // "1e999" is a number too: a time must be finite.
  if (NUMBER.test(text)) return Number.isFinite(Number(text)) ? Number(text) : undefined;
  if (!ISO_8601.test(text)) return undefined;
  // eslint-disable-next-line no-restricted-globals -- parses a real log's time; no clock is read
  const ms = Date.parse(text.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The farthest a time may be from 0, in ms: 5 * 10^14, about 15,800 years from 1970. A time in µs or ns
 * since 1970 lies far beyond it, so a log that mixes units is told so; and every span of two times fits
 * the report (at most 10^15 ms).
 */
export const MAX_TIME_MS = 5e14;

/** The longest message id, in characters: the audit keeps every distinct id in memory. */
export const MAX_ID_LENGTH = 1024;

/** A value of the user's record as JSON for a message (the caller escapes and cuts it); never throws. */
function shown(value: unknown): string {
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Turns one record into an event, or says what is wrong with it (one line, naming the field). */
export function toEvent(record: unknown, fields: FieldMap): AuditEvent | string {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return 'not an object (allowed: one JSON object per line)';
  // Own fields only: --map type=constructor must not read Object.prototype.
  const own = record as Record<string, unknown>;
  const field = (name: string): unknown => (Object.hasOwn(own, name) ? own[name] : undefined);
  const optional = (name: string): unknown => (name === '' ? undefined : field(name));
  return withOptional(
    eventOf(field(fields.type), field(fields.id), field(fields.ts), fields),
    {
      key: optional(fields.key),
      offset: optional(fields.offset),
      consumer: optional(fields.consumer),
      partition: optional(fields.partition),
    },
    fields,
  );
}

/** The raw values of a record's optional fields (undefined where it has none). */
export interface OptionalValues {
  key: unknown;
  offset: unknown;
  consumer: unknown;
  partition: unknown;
}

/** An offset from a record's value: a whole number (or its digits) from -1 up; undefined for anything else. */
export function offsetOf(raw: unknown): number | undefined {
  const value = typeof raw === 'string' && /^-?\d{1,16}$/.test(raw.trim()) ? Number(raw) : raw;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= -1 ? value : undefined;
}

/** The event with the record's key, offset and consumer where it has them; or what is wrong with one. */
export function withOptional(event: AuditEvent | string, raw: OptionalValues, fields: FieldMap): AuditEvent | string {
  if (typeof event === 'string') return event;
  const keyed = withKey(event, raw.key, fields);
  if (typeof keyed === 'string') return keyed;
  // -1 is Kafka's "no offset" (acks=0); a field of that name that holds something else (a time zone) is not ours
  // unless --map named it.
  const offset = present(raw.offset) ? offsetOf(raw.offset) : undefined;
  if (present(raw.offset) && offset === undefined && fields.offsetMapped === true)
    return `${fields.offset}: ${shown(raw.offset)} is not an offset (allowed: a whole number from 0 to 2^53 - 1, or -1 for none)`;
  if (offset !== undefined && offset >= 0) keyed.offset = offset;
  const consumer = nameOf(raw.consumer);
  if (consumer !== undefined) keyed.consumer = consumer;
  else if (fields.consumerMapped === true && present(raw.consumer))
    return `${fields.consumer}: ${shown(raw.consumer)} is not a consumer (allowed: a string or a number, up to ${count(MAX_ID_LENGTH)} characters)`;
  const partition = partitionNameOf(raw.partition);
  if (partition !== undefined) keyed.partition = partition;
  else if (fields.partitionMapped === true && present(raw.partition))
    return `${fields.partition}: ${shown(raw.partition)} is not a partition (allowed: a string or a number, up to ${count(MAX_ID_LENGTH)} characters)`;
  return keyed;
}

/** Whether a record gives an optional field at all (null and '' give none). */
function present(raw: unknown): boolean {
  return raw !== undefined && raw !== null && raw !== '';
}

/**
 * A partition's name, as nameOf reads it, trimmed (CSV writers pad fields), and digits as their number: 1, "1", " 1"
 * and "01" name one partition (Kafka numbers them). Blank names none.
 */
export function partitionNameOf(raw: unknown): string | undefined {
  const name = nameOf(raw)?.trim();
  if (name === undefined || name === '') return undefined;
  return /^\d+$/.test(name) && Number.isSafeInteger(Number(name)) ? String(Number(name)) : name;
}

/** A consumer's or a partition's name: a string or a number, not blank, no longer than ids may be. */
function nameOf(raw: unknown): string | undefined {
  if (!present(raw) || (typeof raw !== 'string' && typeof raw !== 'number')) return undefined;
  const name = String(raw);
  return name.length <= MAX_ID_LENGTH ? name : undefined;
}

/** The event with the record's key, when it has one (a string or a number); or what is wrong with the key. */
export function withKey(event: AuditEvent | string, raw: unknown, fields: FieldMap): AuditEvent | string {
  if (typeof event === 'string' || raw === undefined || raw === null || raw === '') return event;
  if (typeof raw !== 'string' && typeof raw !== 'number')
    return fields.keyMapped === true
      ? `${fields.key}: ${shown(raw)} is not a key (allowed: a string or a number)`
      : event;
  const key = String(raw);
  if (key.length > MAX_ID_LENGTH) {
    const problem = `${fields.key}: ${count(key.length)} characters long (allowed: keys up to ${count(MAX_ID_LENGTH)} characters)`;
    return fields.keyMapped === true ? problem : event;
  }
  event.key = key;
  return event;
}

/** Whether a string id is read as it is: not empty, no longer than MAX_ID_LENGTH, nothing for trim() to cut. */
function plainId(id: string): boolean {
  const first = id.charCodeAt(0);
  const last = id.charCodeAt(id.length - 1);
  // Printable ASCII other than space at both ends: no whitespace or line terminator trim() would remove.
  return id.length <= MAX_ID_LENGTH && first > 32 && first < 127 && last > 32 && last < 127;
}

/**
 * The event of the commonest line shape, or undefined where eventOf must look closer: a type that is exactly
 * one of EVENT_TYPES, a string id with nothing to trim, a finite number for the time. For these, eventOf
 * gives the same event; it is the same decision without its checks for what is wrong.
 */
export function plainEvent(type: unknown, id: unknown, ts: unknown): AuditEvent | undefined {
  if (typeof type !== 'string' || typeof id !== 'string' || typeof ts !== 'number') return undefined;
  const code = CODES.get(type);
  if (code === undefined || !plainId(id) || !(Math.abs(ts) <= MAX_TIME_MS)) return undefined;
  return { type: code, id, ts };
}

/**
 * Turns a record's three fields (undefined when it has no such field) into an event, or says what is wrong
 * with them, as toEvent does.
 */
export function eventOf(type: unknown, raw: unknown, rawTs: unknown, fields: FieldMap): AuditEvent | string {
  if (type === undefined || type === '')
    return `missing field "${fields.type}" (the event type: ${EVENT_TYPES.join(', ')})`;
  const name = typeof type === 'string' ? type.trim() : type;
  const code = typeof name === 'string' ? CODES.get(name) : undefined;
  if (code === undefined)
    return `${fields.type}: unknown event type ${shown(type)} (allowed: ${EVENT_TYPES.join(', ')})`;
  if (raw === undefined || raw === null || raw === '') return `missing field "${fields.id}" (the message id)`;
  if (typeof raw !== 'string' && typeof raw !== 'number')
    return `${fields.id}: ${shown(raw)} is not a message id (allowed: a string or a number)`;
  // "a " and "a" are one id (CSV writers pad fields); an id of blanks names no message.
  const id = typeof raw === 'string' ? raw.trim() : raw;
  if (id === '') return `${fields.id}: ${shown(raw)} is blank (allowed: a message id that is not only spaces)`;
  // Every distinct id is kept in memory: a megabyte of id per line would exhaust it.
  if (typeof id === 'string' && id.length > MAX_ID_LENGTH)
    return `${fields.id}: ${count(id.length)} characters long (allowed: ids up to ${count(MAX_ID_LENGTH)} characters)`;
  // A number id past 2^53 - 1 or with a fraction may have lost digits already (12345678901234.5678 and
  // ...5679 read as one double): two ids could merge into one.
  if (typeof id === 'number' && !Number.isSafeInteger(id)) {
    return `${fields.id}: ${id} cannot name a message exactly as a JSON number (allowed: whole numbers up to 2^53 - 1, or the id as a string)`;
  }
  if (rawTs === undefined || rawTs === '')
    return `missing field "${fields.ts}" (the time: ms, or ISO-8601 with a zone)`;
  const ts = parseTimestamp(rawTs);
  if (ts === undefined)
    return `${fields.ts}: ${shown(rawTs)} is not a time (allowed: ms as a number, or ISO-8601 with a zone, e.g. 2026-11-23T12:00:00.000Z)`;
  if (Math.abs(ts) > MAX_TIME_MS)
    return `${fields.ts}: ${shown(rawTs)} is out of range (allowed: ms within ±5e14 of 1970, about 15,800 years; a time in µs or ns?)`;
  return { type: code, id: String(id), ts };
}
