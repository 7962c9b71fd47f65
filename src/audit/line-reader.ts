// Splits an open log file into lines, chunk by chunk, with a bound on a line's length: a line past
// the bound is skipped as it streams by, never held in memory (readline would buffer all of it, and a
// 2 GB line ends in a RangeError). A NUL byte or bytes that are not UTF-8, anywhere in the file (a skipped
// line, a character cut at a chunk's edge, the last line), mean the file is not a text log.
import { StringDecoder } from 'node:string_decoder';
import { Utf8Check } from './utf8-check.js';

/** The longest line read, in bytes (1 MiB): longer lines are bad lines. */
export const MAX_LINE_BYTES = 1 << 20;

/** Bytes read at a time (fewer when the line bound is smaller, so a line inside one chunk is always within it). */
const CHUNK_BYTES = 1 << 18;

/** What lines are read from: a FileHandle reads like this, and so does a descriptor read with fs.read (read-logs.ts).
 * */
export interface ByteSource {
  read(buffer: Uint8Array, offset: number, length: number, position: null): Promise<{ bytesRead: number }>;
}

/** What the reader hands on: each line (without its line end), each line past the bound, the bytes read. */
export interface LineSink {
  line(text: string, line: number): void;
  /**
   * If given, a line inside one decoded chunk comes here instead, as text[start, end), without the copy `line`
   * would get (a line that spans chunks still goes to `line`).
   */
  lineIn?(text: string, start: number, end: number, line: number): void;
  /** A line longer than the bound, reported when it crosses it; the rest of it is skipped unread. */
  overlong(line: number): void;
  /** Bytes read so far of this file, after each chunk. */
  progress?(bytes: number): Promise<void>;
}

/** Why a file is not a text log, with the line where it shows. */
export class NotTextError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

function notUtf8(line: number, byte: number): NotTextError {
  return new NotTextError(
    line,
    `not a text log: bytes that are not UTF-8 at byte ${byte} (allowed: UTF-8 text, JSON Lines or CSV)`,
  );
}

function nulByte(line: number, byte: number): NotTextError {
  return new NotTextError(
    line,
    `not a text log: a NUL byte at byte ${byte} (allowed: UTF-8 text, JSON Lines or CSV; convert UTF-16 logs to UTF-8)`,
  );
}

/** The line ends in bytes[0, end) (none when end is not past 0). */
function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let at = bytes.indexOf(10); at >= 0 && at < end; at = bytes.indexOf(10, at + 1)) n++;
  return n;
}

/**
 * Reads the file from its start, calling the sink for every line (the last one may lack a line end;
 * a CR before the LF is dropped). Throws NotTextError for a NUL byte or bytes that are not UTF-8.
 */
export async function readLines(source: ByteSource, sink: LineSink, maxLineBytes = MAX_LINE_BYTES): Promise<void> {
  const chunkBytes = Math.min(CHUNK_BYTES, maxLineBytes);
  // Chunks are read after a few bytes of room, where the UTF-8 check keeps a character cut at the edge.
  const buffer = Buffer.allocUnsafe(Utf8Check.ROOM + chunkBytes);
  const utf8 = new Utf8Check(buffer);
  let decoder = new StringDecoder('utf8');
  let carry = ''; // the current line's text before this chunk
  let pending = 0; // the current line's bytes before this chunk
  let skipping = false; // the current line is past the bound: its bytes are dropped
  let line = 1;
  let offset = 0;
  /** Hands on text[start, end) (a CR before its LF dropped), in place where the sink takes it so. */
  const emitIn = (text: string, start: number, end: number): void => {
    const to = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (sink.lineIn !== undefined) sink.lineIn(text, start, to, line++);
    else sink.line(text.slice(start, to), line++);
  };
  for (;;) {
    const { bytesRead } = await source.read(buffer, Utf8Check.ROOM, chunkBytes, null);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(Utf8Check.ROOM, Utf8Check.ROOM + bytesRead);
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw nulByte(line + countNewlines(chunk, nul), offset + nul);
    const bad = utf8.chunk(bytesRead);
    // A bad byte in the character cut at the last edge is on the current line: no line end is in a character.
    if (bad !== undefined) throw notUtf8(line + countNewlines(chunk, bad), offset + bad);
    offset += bytesRead;
    const first = chunk.indexOf(10);
    if (first < 0 || skipping || pending + first > maxLineBytes) {
      // The current line goes on past this chunk, or has crossed the bound.
      if (!skipping && pending + (first < 0 ? bytesRead : first) > maxLineBytes) {
        sink.overlong(line);
        skipping = true;
        carry = '';
      }
      if (first < 0) {
        pending += bytesRead;
        if (!skipping) carry += decoder.write(chunk);
        await sink.progress?.(offset);
        continue;
      }
      // The skipped line ends here: read on from the next one with a fresh decoder.
      skipping = false;
      line++;
      decoder = new StringDecoder('utf8');
      pending = 0;
      split(chunk.subarray(first + 1));
    } else split(chunk);
    await sink.progress?.(offset);
  }
  const cut = utf8.end();
  if (cut !== undefined) throw notUtf8(line, offset + cut);
  const rest = skipping ? '' : carry + decoder.end();
  if (rest !== '') emitIn(rest, 0, rest.length);

  /** The chunk's complete lines go to the sink; the tail waits for the next chunk. */
  function split(bytes: Buffer): void {
    const text = decoder.write(bytes);
    const last = bytes.lastIndexOf(10);
    let start = 0;
    let end = text.indexOf('\n');
    if (end >= 0) {
      const first = carry + text.slice(0, end);
      emitIn(first, 0, first.length);
      carry = '';
      start = end + 1;
      while ((end = text.indexOf('\n', start)) >= 0) {
        emitIn(text, start, end);
        start = end + 1;
      }
    }
    carry += text.slice(start);
    pending = last < 0 ? pending + bytes.length : bytes.length - last - 1;
  }
}
