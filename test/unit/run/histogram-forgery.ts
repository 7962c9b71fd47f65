// Builds forged HdrHistograms from a real one: the outer compressed frame and the inner V2 header are
// rewritten field by field, the way a hostile shard would.
import { deflateSync, inflateSync } from 'node:zlib';

/** What to change in an encoded histogram. */
export interface Forgery {
  cookie?: number;
  payloadLength?: number;
  digits?: number;
  /** Zero bytes appended to the payload (a zip bomb when large); the payload length is kept honest. */
  extraZeros?: number;
  /** One more count word (ZigZag of n) appended, so the total no longer matches. */
  extraCount?: number;
}

/** `encoded` with the forgery applied, compressed and framed again. */
export function forgeHistogram(encoded: string, forgery: Forgery): string {
  const outer = Buffer.from(encoded, 'base64');
  let inner = inflateSync(outer.subarray(8));
  if (forgery.extraZeros !== undefined) inner = Buffer.concat([inner, Buffer.alloc(forgery.extraZeros)]);
  if (forgery.extraCount !== undefined) inner = Buffer.concat([inner, Buffer.from([forgery.extraCount * 2])]);
  inner.writeInt32BE(inner.length - 40, 4);
  if (forgery.cookie !== undefined) inner.writeInt32BE(forgery.cookie, 0);
  if (forgery.payloadLength !== undefined) inner.writeInt32BE(forgery.payloadLength, 4);
  if (forgery.digits !== undefined) inner.writeInt32BE(forgery.digits, 12);
  const compressed = deflateSync(inner);
  const head = Buffer.alloc(8);
  outer.copy(head, 0, 0, 4);
  head.writeInt32BE(compressed.length, 4);
  return Buffer.concat([head, compressed]).toString('base64');
}
