// Reading a log of OpenTelemetry traces (otlp.ts maps its spans): telling one from an event log by its first bytes,
// a request per line (a Collector batch per line, so longer lines than events), or one pretty-printed document.
import { fstatSync, readFileSync } from 'node:fs';
import { LogError } from '../errors.js';
import { reasonOf, sizeText } from '../input-file.js';
import { otlpEvents, type OtlpOptions, type RequestEvents } from './otlp.js';

/** The longest line of OTLP traces: the Collector writes a batch of spans per line. */
export const MAX_OTLP_LINE_BYTES = 32 << 20;

/** Whether a file's first bytes open an OTLP trace export ({"resourceSpans": ...}, a byte-order mark allowed). */
export function opensTraces(head: string): boolean {
  return /^\uFEFF?\s*\{\s*"resourceSpans"/.test(head);
}

/** The largest trace document read whole (one request over many lines). */
export const MAX_OTLP_DOCUMENT_BYTES = 64 << 20;

/** A log's whole text (a pretty-printed trace document), refused past MAX_OTLP_DOCUMENT_BYTES; closes the log. */
export function wholeDocument(file: string, log: { fd: number; close: () => void }): string {
  try {
    const size = fstatSync(log.fd).size;
    if (size > MAX_OTLP_DOCUMENT_BYTES)
      throw new LogError(
        `${file}: a trace document of ${sizeText(size)} written over many lines (allowed: up to ${sizeText(MAX_OTLP_DOCUMENT_BYTES)}; or one request per line, as the Collector writes, without bound)`,
      );
    // Bytes that are not UTF-8 would turn to U+FFFD, and two ids into one: refused, as a log's lines are.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(log.fd));
    if (text.includes('\0')) throw new LogError(`${file}: not text (a NUL byte; allowed: UTF-8 text)`);
    return text;
  } catch (error) {
    if (error instanceof LogError) throw error;
    if (error instanceof TypeError)
      throw new LogError(`${file}: not UTF-8 text (allowed: a log of UTF-8 text; two ids must never read as one)`);
    throw new LogError(`${file}: cannot read the log (${reasonOf(error)})`);
  } finally {
    log.close();
  }
}

/** OTLP/JSON traces, one export request per line (otlp.ts reads its spans). */
export function traceEvents(options: OtlpOptions): (text: string, from: number, to: number) => RequestEvents | string {
  return (text, from, to) => {
    let request: unknown;
    try {
      request = JSON.parse(text.slice(from, to));
    } catch (error) {
      const pretty = text.slice(from, to).trim() === '{';
      return pretty
        ? 'a trace export written over many lines (allowed: one request per line, as the Collector writes; `jq -c .` joins one)'
        : `malformed JSON: ${(error as Error).message}`;
    }
    return otlpEvents(request, options);
  };
}

/**
 * Whether a trace file is one request written over many lines: its first line (within the bytes read) is no whole
 * object. A request on one line ends its first line with its closing brace.
 */
export function prettyDocument(head: string): boolean {
  const end = head.search(/\r?\n/);
  return end >= 0 && !head.slice(0, end).trimEnd().endsWith('}');
}
