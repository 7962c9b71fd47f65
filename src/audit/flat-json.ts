// The fast path of a JSON Lines log: a flat object of string and number fields, read by hand for the three
// fields an event needs. Anything it does not fully recognise (escapes, nesting, true/false/null, control
// characters) is left to JSON.parse, so a line always reads exactly as JSON.parse would read it.
import { EVENT_TYPES } from './event.js';

/** The values of the mapped fields, undefined when the line has no such field. */
export interface FlatFields {
  type: unknown;
  id: unknown;
  ts: unknown;
  key: unknown;
  offset: unknown;
  consumer: unknown;
  partition: unknown;
}

/** The names of the optional fields the fast path reads besides type, id and ts ('' for none). */
export interface FlatNames {
  key: string;
  offset: string;
  consumer: string;
  partition: string;
}

/** A name no field of the fast path can have (it refuses control characters): for a field the log has not. */
const NONE = '\u0000';

/** JSON's whitespace: space, tab, line feed, carriage return (nothing else is). */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Reads the line text[from, to) as a flat JSON object into `out` (the values of the keys named type, id and ts; a
 * key given twice keeps its last value, as JSON.parse does). Returns false when the line is anything else: the caller
 * then parses it with JSON.parse, which also gives any error its message. The line is read in place, in the chunk
 * the reader decoded (no copy of it is made). Past `to` comes the next line or the end (NaN): the object is
 * accepted only when it ends exactly at `to`, and the reading only moves forward, so nothing past `to` is ever
 * taken in.
 */
export function readFlatObject(
  text: string,
  from: number,
  to: number,
  type: string,
  id: string,
  ts: string,
  names: FlatNames,
  out: FlatFields,
): boolean {
  out.type = out.id = out.ts = out.key = out.offset = out.consumer = out.partition = undefined;
  const key = names.key || NONE;
  const offset = names.offset || NONE;
  const consumer = names.consumer || NONE;
  const partition = names.partition || NONE;
  // t: the text, i: where we are, c: the code unit there.
  const t = text;
  let i = from;
  let c = t.charCodeAt(i);
  while (isSpace(c)) c = t.charCodeAt(++i);
  if (c !== 123) return false; // {
  do c = t.charCodeAt(++i);
  while (isSpace(c));
  if (c === 125) return end(t, i + 1, to); // {}
  for (;;) {
    if (c !== 34) return false; // a key, in quotes
    const keyStart = i + 1;
    const keyEnd = stringEnd(t, keyStart);
    if (keyEnd < 0) return false;
    i = keyEnd + 1;
    c = t.charCodeAt(i);
    while (isSpace(c)) c = t.charCodeAt(++i);
    if (c !== 58) return false; // :
    do c = t.charCodeAt(++i);
    while (isSpace(c));
    const slot = slotOf(t, keyStart, keyEnd - keyStart, type, id, ts, key, offset, consumer, partition);
    let value: string | number;
    if (c === 34) {
      const valueEnd = stringEnd(t, i + 1);
      if (valueEnd < 0) return false;
      value = slot === 0 ? '' : slot === 1 ? typeText(t, i + 1, valueEnd) : t.slice(i + 1, valueEnd);
      i = valueEnd + 1;
    } else {
      const numberEnd = jsonNumberEnd(t, i);
      if (numberEnd < 0) return false;
      value = slot === 0 ? 0 : numberOf(t, i, numberEnd);
      i = numberEnd;
    }
    if (slot === 1) out.type = value;
    else if (slot === 2) out.id = value;
    else if (slot === 3) out.ts = value;
    else if (slot === 4) out.key = value;
    else if (slot === 5) out.offset = value;
    else if (slot === 6) out.consumer = value;
    else if (slot === 7) out.partition = value;
    c = t.charCodeAt(i);
    while (isSpace(c)) c = t.charCodeAt(++i);
    if (c === 125) return end(t, i + 1, to); // }
    if (c !== 44) return false; // ,
    do c = t.charCodeAt(++i);
    while (isSpace(c));
  }
}

/** Which of our fields the key t[at, at + length) is: 0 none, 1 type, 2 id, 3 ts, 4 key, 5 offset, 6 consumer,
 * 7 partition. */
function slotOf(
  t: string,
  at: number,
  length: number,
  type: string,
  id: string,
  ts: string,
  key: string,
  offset: string,
  consumer: string,
  partition: string,
): number {
  if (length === type.length && textAt(t, at, type)) return 1;
  if (length === id.length && textAt(t, at, id)) return 2;
  if (length === ts.length && textAt(t, at, ts)) return 3;
  if (length === key.length && textAt(t, at, key)) return 4;
  if (length === offset.length && textAt(t, at, offset)) return 5;
  if (length === consumer.length && textAt(t, at, consumer)) return 6;
  return length === partition.length && textAt(t, at, partition) ? 7 : 0;
}

/** Fields not yet read. */
export function emptyFields(): FlatFields {
  return {
    type: undefined,
    id: undefined,
    ts: undefined,
    key: undefined,
    offset: undefined,
    consumer: undefined,
    partition: undefined,
  };
}

/** The text t[from, to) of a type field: one of the constant names when it is one (a constant's hash is kept, so
 * looking up its code hashes nothing), else a copy. */
function typeText(t: string, from: number, to: number): string {
  const names = TYPES_BY_LENGTH[to - from];
  if (names !== undefined) {
    const first = t.charCodeAt(from);
    for (const name of names) if (name.charCodeAt(0) === first && textAt(t, from, name)) return name;
  }
  return t.slice(from, to);
}

/** EVENT_TYPES by their length, so a type's text is compared with one or two names at most. */
const TYPES_BY_LENGTH: (string[] | undefined)[] = [];
for (const name of EVENT_TYPES) (TYPES_BY_LENGTH[name.length] ??= []).push(name);

/** Whether `name` is in t at `at` (t.startsWith(name, at), compared in place: the calls cost more than a few names'
 * code units). */
function textAt(t: string, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if (t.charCodeAt(at + i) !== name.charCodeAt(i)) return false;
  return true;
}

/** Whether only whitespace is in t[from, to). */
function end(t: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && isSpace(t.charCodeAt(i))) i++;
  return i === to;
}

/** Where a string's closing quote is (from just past its opening one), or -1 for an escape, a control
 * character or no closing quote. */
function stringEnd(t: string, from: number): number {
  for (let i = from; ; i++) {
    const c = t.charCodeAt(i);
    if (c === 34) return i;
    // NaN (the end of the text) is not >= 32 either.
    if (!(c >= 32) || c === 92) return -1;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Where a JSON number starting at `from` ends, or -1 when the text there is not one:
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? (no leading zeros, no "+", no bare ".", no "Infinity"). */
function jsonNumberEnd(t: string, from: number): number {
  let i = from;
  if (t.charCodeAt(i) === 45) i++; // -
  const first = t.charCodeAt(i);
  if (first === 48) i++;
  else if (first >= 49 && first <= 57) while (isDigit(t.charCodeAt(++i)));
  else return -1;
  if (t.charCodeAt(i) === 46) {
    if (!isDigit(t.charCodeAt(++i))) return -1;
    while (isDigit(t.charCodeAt(++i)));
  }
  const e = t.charCodeAt(i);
  if (e === 101 || e === 69) {
    const sign = t.charCodeAt(++i);
    if (sign === 43 || sign === 45) i++;
    if (!isDigit(t.charCodeAt(i))) return -1;
    while (isDigit(t.charCodeAt(++i)));
  }
  // A number runs into a letter or another digit only in text JSON.parse refuses ("01", "1x").
  return i;
}

/**
 * The value of the JSON number in t[from, to): summed by hand for an integer of up to 15 digits (exact, and
 * "-0" is -0), else by Number(), which reads every text of JSON's number grammar to the same double as
 * JSON.parse.
 */
function numberOf(t: string, from: number, to: number): number {
  const negative = t.charCodeAt(from) === 45;
  const start = negative ? from + 1 : from;
  if (to - start > 15) return Number(t.slice(from, to));
  let n = 0;
  for (let i = start; i < to; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return Number(t.slice(from, to));
    n = n * 10 + (c - 48);
  }
  return negative ? -n : n;
}
