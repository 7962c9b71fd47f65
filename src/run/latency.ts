// Latency distributions as HdrHistograms (hdr-histogram-js): mergeable across runs, shards and
// machines, with 3 significant digits. The WebAssembly build is used when it loads (about 3x faster to
// fill); the JavaScript one otherwise. Both encode to the same bytes.
import hdr from 'hdr-histogram-js';
import type { Latency } from './metrics.js';

let wasm: boolean | undefined;

function useWasm(): boolean {
  if (wasm === undefined) {
    try {
      hdr.initWebAssemblySync();
      wasm = true;
    } catch {
      wasm = false;
    }
  }
  return wasm;
}

/** An empty histogram of microseconds. */
export function newHistogram(webAssembly = useWasm()): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    autoResize: true,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: webAssembly,
  });
}

/** A histogram of latencies given in ms (recorded in µs, at least 1). */
export function histogramOf(latenciesMs: ArrayLike<number>): hdr.Histogram {
  const histogram = newHistogram();
  for (let i = 0; i < latenciesMs.length; i++) histogram.recordValue(Math.max(1, Math.round(latenciesMs[i]! * 1000)));
  return histogram;
}

/**
 * Percentiles of a histogram, in ms. A histogram answers with the top of the bucket a percentile falls
 * in (up to 0.1 % above the value recorded), which can lie above the largest value recorded: each
 * percentile is capped at the maximum (`maxMs` when the caller knows it exactly), so p50 <= p95 <= p99 <= max.
 */
export function latencyOf(histogram: hdr.Histogram, maxMs = histogram.maxValue / 1000): Latency {
  if (histogram.totalCount === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const at = (percent: number) => Math.min(histogram.getValueAtPercentile(percent) / 1000, maxMs);
  return { p50: at(50), p95: at(95), p99: at(99), max: maxMs };
}

/** The histogram as compressed base64 (the standard HdrHistogram encoding). */
export function encodeHistogram(histogram: hdr.Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** The latency percentiles of many encoded histograms taken together (`maxMs`: the exact largest, when known). */
export function pooledLatency(encoded: readonly string[], maxMs?: number): Latency {
  const pooled = newHistogram(false);
  for (const text of encoded) {
    if (text === '') continue;
    const histogram = hdr.decodeFromCompressedBase64(text, 32, false);
    pooled.add(histogram);
    histogram.destroy();
  }
  const latency = latencyOf(pooled, maxMs);
  pooled.destroy();
  return latency;
}
