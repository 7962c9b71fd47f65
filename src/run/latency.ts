// Latency distributions as HdrHistograms (hdr-histogram-js): mergeable across runs, shards and
// machines, with 3 significant digits. The WebAssembly build is used when it loads (about 3x faster to
// fill) for large histograms; the JavaScript one for small ones and where it does not load. Both encode to the
// same bytes and give the same percentiles (test/unit/run/latency.test.ts).
import type * as Hdr from 'hdr-histogram-js';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

let loaded: typeof Hdr | undefined;

/**
 * hdr-histogram-js (about 40 ms to load), loaded when a first histogram is built or read rather than by
 * every command that imports this module; it is CommonJS, so it loads synchronously.
 */
function hdrModule(): typeof Hdr {
  loaded ??= createRequire(import.meta.url)('hdr-histogram-js') as typeof Hdr;
  return loaded;
}

/** Latency percentiles in ms (first send to first effect). */
export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

let wasm: boolean | undefined;

function useWasm(): boolean {
  if (wasm === undefined) {
    try {
      hdrModule().initWebAssemblySync();
      wasm = true;
    } catch {
      wasm = false;
    }
  }
  return wasm;
}

/** An empty histogram of microseconds: of the WebAssembly build if asked and it loads, else the JavaScript one. */
export function newHistogram(webAssembly = true): Hdr.Histogram {
  return hdrModule().build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    autoResize: true,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: webAssembly && useWasm(),
  });
}

/**
 * Fewer latencies than this fill a JavaScript histogram: compiling the WebAssembly build (about 35 ms, once a
 * process) costs more than it saves on a small run (`acksim run x --messages 100` starts in 0.4 s).
 */
const WEB_ASSEMBLY_FROM = 5_000;

/**
 * The most µs a latency is recorded as: 2^53 - 1 (285 years). Above it a histogram's percentiles read 0 (a log
 * with publishes in ms and effects in ns gave p99 0 with a max of 1.8e18 ms), so a larger latency is recorded as
 * this, never below what it was.
 */
export const MAX_LATENCY_MICROS = Number.MAX_SAFE_INTEGER;

/** A latency in ms as the µs a histogram records: at least 1, at most MAX_LATENCY_MICROS. */
function micros(latencyMs: number): number {
  return Math.min(MAX_LATENCY_MICROS, Math.max(1, Math.round(latencyMs * 1000)));
}

/** A histogram of latencies given in ms (recorded in µs, at least 1, at most MAX_LATENCY_MICROS). */
export function histogramOf(latenciesMs: ArrayLike<number>): Hdr.Histogram {
  const histogram = newHistogram(latenciesMs.length >= WEB_ASSEMBLY_FROM);
  for (let i = 0; i < latenciesMs.length; i++) histogram.recordValue(micros(latenciesMs[i]!));
  return histogram;
}

/**
 * Percentiles of a histogram, in ms. A histogram answers with the top of the bucket a percentile falls
 * in (up to 0.1 % above the value recorded), which can lie above the largest value recorded: each
 * percentile is capped at the maximum (`maxMs` when the caller knows it exactly), so p50 <= p95 <= p99 <= max.
 */
export function latencyOf(histogram: Hdr.Histogram, maxMs = histogram.maxValue / 1000): Latency {
  if (histogram.totalCount === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const at = (percent: number) => Math.min(histogram.getValueAtPercentile(percent) / 1000, maxMs);
  return { p50: at(50), p95: at(95), p99: at(99), max: maxMs };
}

/** Fewer latencies than this are measured exactly (sorted) rather than through a histogram: same numbers, less work. */
export const EXACT_BELOW = 256;

/**
 * The percentiles `latencyOf(histogramOf(latenciesMs))` gives, computed from the sorted values instead of
 * a histogram (explore measures thousands of runs of a few messages each). Each step is the library's own
 * arithmetic (JsHistogram with 1 as lowest value and 3 digits: 2,048 sub-buckets of which 1,024 per
 * doubling): the same count at a percentile, the same bucket, the top of that bucket, capped at the
 * largest value; test/unit/run/latency.test.ts checks they agree over random samples.
 */
export function exactLatencyOf(latenciesMs: ArrayLike<number>): Latency {
  const n = latenciesMs.length;
  if (n === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = micros(latenciesMs[i]!);
  values.sort();
  const maxMs = values[n - 1]! / 1000;
  const at = (percent: number) => Math.min(highestEquivalent(values[countAtPercentile(percent, n) - 1]!) / 1000, maxMs);
  return { p50: at(50), p95: at(95), p99: at(99), max: maxMs };
}

/** The top of the bucket a histogram of 3 digits records `value` in (hdr-histogram-js's arithmetic, step by step). */
function highestEquivalent(value: number): number {
  return topOfIndex(countsIndex(value));
}

/** Where a histogram of 3 digits counts `value` (µs, at least 1): its countsArrayIndex. */
function countsIndex(value: number): number {
  const bucket = Math.max(Math.floor(Math.log2(value)) - 10, 0);
  return (bucket + 1) * 1024 + (Math.floor(value / 2 ** bucket) - 1024);
}

/** The top of the bucket at counts index `index`: valueFromIndex, then highestEquivalentValue of that. */
function topOfIndex(index: number): number {
  const bucketOf = (v: number) => Math.max(Math.floor(Math.log2(v)) - 10, 0);
  let fromBucket = Math.floor(index / 1024) - 1;
  let sub = (index % 1024) + 1024;
  if (fromBucket < 0) {
    sub -= 1024;
    fromBucket = 0;
  }
  const low = sub * 2 ** fromBucket;
  // highestEquivalentValue(low): lowestEquivalentValue(low) + sizeOfEquivalentValueRange(low) - 1.
  const lowBucket = bucketOf(low);
  const lowSub = Math.floor(low / 2 ** lowBucket);
  const lowest = lowSub * 2 ** lowBucket;
  return lowest + 2 ** (lowSub >= 2048 ? lowBucket + 1 : lowBucket) - 1;
}

/** How many values a percentile takes in (hdr-histogram-js's getValueAtPercentile: 1 ulp below, rounded up). */
function countAtPercentile(percent: number, n: number): number {
  const fpCount = (percent / 100) * n;
  return Math.max(Math.ceil(fpCount - 2 ** (Math.floor(Math.log2(fpCount)) - 52)), 1);
}

/**
 * The percentiles `latencyOf(histogramOf(latenciesMs))` gives, for any number of latencies, by counting each in its
 * histogram bucket (one pass for the largest, one to count, no copy, no sort): what an audit of millions of messages
 * measures with, without loading hdr-histogram-js or compiling its WebAssembly. test/unit/run/latency.test.ts checks
 * it against both builds of the library.
 */
export function countedLatencyOf(latenciesMs: ArrayLike<number>): Latency {
  const n = latenciesMs.length;
  if (n === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  let largest = 1;
  for (let i = 0; i < n; i++) largest = Math.max(largest, micros(latenciesMs[i]!));
  const counts = new Float64Array(countsIndex(largest) + 1);
  for (let i = 0; i < n; i++) counts[countsIndex(micros(latenciesMs[i]!))]!++;
  const maxMs = largest / 1000;
  const at = (percent: number) => {
    const count = countAtPercentile(percent, n);
    let index = 0;
    // Bounded by the last bucket too: the counts add up to n only when every latency is a number.
    for (let seen = counts[0]!; seen < count && index < counts.length - 1;) seen += counts[++index]!;
    return Math.min(topOfIndex(index) / 1000, maxMs);
  };
  return { p50: at(50), p95: at(95), p99: at(99), max: maxMs };
}

/** The percentiles a histogram of `latenciesMs` gives, without one: exactly for a few, else counted in its buckets. */
export function unencodedLatencyOf(latenciesMs: ArrayLike<number>): Latency {
  return latenciesMs.length < EXACT_BELOW ? exactLatencyOf(latenciesMs) : countedLatencyOf(latenciesMs);
}

/** The histogram as compressed base64 (the standard HdrHistogram encoding). */
export function encodeHistogram(histogram: Hdr.Histogram): string {
  return hdrModule().encodeIntoCompressedBase64(histogram);
}

/** An encoded histogram that cannot be decoded safely; the message says why. */
export class HistogramError extends Error {}

/** The V2 cookies (word size 9, the LEB128 ZigZag encoding) of the outer compressed and inner encodings. */
const COMPRESSED_COOKIE = 0x1c849314;
const ENCODING_COOKIE = 0x1c849313;
/** The inner header: cookie, payload length, offset, digits (4 bytes each), lowest, highest, ratio (8 each). */
const HEADER_BYTES = 40;
/** Microseconds: the largest value a histogram of ours may track (JSON integers are exact below 2^53). */
const MAX_TRACKABLE = 2 ** 53;

/** The number of counts a 3-digit histogram with lowest value 1 has to track values up to `highest`. */
function countsLength(highest: number): number {
  let buckets = 1;
  for (let untrackable = 2048; untrackable <= highest; untrackable *= 2) buckets++;
  return (buckets + 1) * 1024;
}

/** At most 9 bytes per word and one word per count: what a valid payload can inflate to. */
const MAX_INFLATED = HEADER_BYTES + 9 * countsLength(MAX_TRACKABLE);

/** Reads one LEB128 ZigZag word (up to 9 bytes) at `at`; undefined when the payload ends inside it. */
function readWord(bytes: Buffer, at: number, end: number): { value: number; next: number } | undefined {
  let value = 0n;
  let shift = 0n;
  let i = at;
  for (let n = 0; n < 9; n++) {
    if (i >= end) return undefined;
    const byte = bytes[i++]!;
    // The ninth byte carries 8 bits, the others 7 and a continuation bit.
    value |= BigInt(n === 8 ? byte : byte & 0x7f) << shift;
    shift += 7n;
    if (n < 8 && (byte & 0x80) === 0) break;
  }
  const decoded = (value >> 1n) ^ -(value & 1n);
  return { value: Number(decoded), next: i };
}

/**
 * Checks an encoded histogram before the library decodes it (a forged one can make it loop forever or
 * inflate to gigabytes): base64, both cookies, the compressed and payload lengths against the bytes
 * really there, inflation capped, the bucket configuration acksim writes (3 digits, values 1..2^53), and
 * every count whole and inside the counts array. Returns the total count; throws HistogramError.
 */
export function histogramCount(text: string): number {
  const outer = Buffer.from(text, 'base64');
  if (outer.length < 8 || outer.toString('base64') !== text) throw new HistogramError('not base64 of an HdrHistogram');
  if (outer.readInt32BE(0) !== COMPRESSED_COOKIE) throw new HistogramError('not a compressed V2 HdrHistogram');
  if (outer.readInt32BE(4) !== outer.length - 8)
    throw new HistogramError(`its compressed length says ${outer.readInt32BE(4)} bytes, ${outer.length - 8} follow`);
  let inner: Buffer;
  try {
    inner = inflateSync(outer.subarray(8), { maxOutputLength: MAX_INFLATED });
  } catch {
    throw new HistogramError(`it does not inflate to at most ${MAX_INFLATED} bytes`);
  }
  if (inner.length < HEADER_BYTES || inner.readInt32BE(0) !== ENCODING_COOKIE)
    throw new HistogramError('no V2 histogram header');
  const payload = inner.readInt32BE(4);
  if (payload !== inner.length - HEADER_BYTES)
    throw new HistogramError(`its payload length says ${payload} bytes, ${inner.length - HEADER_BYTES} follow`);
  const digits = inner.readInt32BE(12);
  const lowest = inner.readBigInt64BE(16);
  const highest = inner.readBigInt64BE(24);
  if (digits !== 3 || lowest !== 1n || highest < 2n || highest > BigInt(MAX_TRACKABLE))
    throw new HistogramError(
      `bucket configuration ${digits} digits, values ${lowest}..${highest} (allowed: 3 digits, 1..2^53)`,
    );
  const limit = countsLength(Number(highest));
  let index = 0;
  let total = 0;
  for (let at = HEADER_BYTES; at < inner.length;) {
    const word = readWord(inner, at, inner.length);
    if (word === undefined) throw new HistogramError('its payload ends inside a count');
    at = word.next;
    // A negative word is a run of zeros; a positive one a count.
    index += word.value < 0 ? -word.value : 1;
    if (word.value > 0) total += word.value;
    if (index > limit) throw new HistogramError(`it holds more than the ${limit} counts its configuration has`);
    if (!Number.isSafeInteger(total)) throw new HistogramError('its counts are too large');
  }
  // Now bounded, the library decodes it too; it must agree.
  const histogram = decodeHistogram(text, total);
  histogram.destroy();
  return total;
}

/** Decodes an encoded histogram; `checked`: the total count histogramCount found, else it is checked first. */
function decodeHistogram(text: string, checked = histogramCount(text)): Hdr.Histogram {
  let histogram: Hdr.Histogram;
  try {
    histogram = hdrModule().decodeFromCompressedBase64(text, 32, false);
  } catch (error) {
    throw new HistogramError(`the decoder refused it: ${(error as Error).message}`);
  }
  if (histogram.totalCount !== checked) {
    histogram.destroy();
    throw new HistogramError(`it decodes to ${histogram.totalCount} values, its counts add up to ${checked}`);
  }
  return histogram;
}

/** The latency percentiles of many encoded histograms taken together (`maxMs`: the exact largest, when known). */
export function pooledLatency(encoded: readonly string[], maxMs?: number): Latency {
  const pooled = newHistogram(false);
  for (const text of encoded) {
    if (text === '') continue;
    const histogram = decodeHistogram(text);
    pooled.add(histogram);
    histogram.destroy();
  }
  const latency = latencyOf(pooled, maxMs);
  pooled.destroy();
  return latency;
}
