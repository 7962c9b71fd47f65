// Checks that a file read chunk by chunk is UTF-8, every byte of it: a character cut at a chunk's edge
// is checked whole with the next chunk, and one still cut at the end of the file is not UTF-8.
// isUtf8 (simdutf) does the work; the slow scan below only runs to say where a bad byte is.
import { isUtf8 } from 'node:buffer';

/** The bytes a character starting with `lead` takes (4 for bytes that start none: they fail the check anyway). */
function sequenceLength(lead: number): number {
  return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/** The bytes at the end of `bytes` that start a character it does not finish (0 to 3). */
function cutAtEnd(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) !== 0x80) return sequenceLength(byte) > back ? back : 0;
  }
  return 0; // three continuation bytes: a whole character, or bytes the check refuses
}

/** Where the first byte that is not UTF-8 is (Unicode table 3-7, a character cut at the end included), or -1. */
export function firstNotUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    // The allowed range of the second byte, and how many bytes follow the lead.
    let low = 0x80;
    let high = 0xbf;
    let follow: number;
    if (lead >= 0xc2 && lead <= 0xdf) follow = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      follow = 2;
      if (lead === 0xe0) low = 0xa0;
      else if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      follow = 3;
      if (lead === 0xf0) low = 0x90;
      else if (lead === 0xf4) high = 0x8f;
    } else return i;
    if (i + follow >= bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return i;
    for (let k = 2; k <= follow; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += follow + 1;
  }
  return -1;
}

/**
 * Checks the chunks of one file, read one after another into the same buffer at ROOM: the bytes of a
 * character cut at a chunk's edge are copied into the room before the next chunk, which is checked
 * with them (no copy of the chunk, and any chunk size, down to one byte).
 */
export class Utf8Check {
  /** Bytes kept free before each chunk for the previous chunk's cut character. */
  static readonly ROOM = 3;
  private cut = 0;

  constructor(private readonly buffer: Uint8Array) {}

  /**
   * Checks the `length` bytes just read to buffer[ROOM]: undefined when they are UTF-8 so far, else where
   * the first bad byte is, from the chunk's start (negative: in the character cut at the last edge).
   */
  chunk(length: number): number | undefined {
    const room = Utf8Check.ROOM;
    const bytes = this.buffer.subarray(room - this.cut, room + length);
    const cut = cutAtEnd(bytes);
    const whole = bytes.subarray(0, bytes.length - cut);
    if (!isUtf8(whole)) return Math.max(0, firstNotUtf8(whole)) - this.cut;
    this.buffer.copyWithin(room - cut, room + length - cut, room + length);
    this.cut = cut;
    return undefined;
  }

  /** At the end of the file: where a character cut short starts (negative, from the end), or undefined. */
  end(): number | undefined {
    return this.cut === 0 ? undefined : -this.cut;
  }
}
