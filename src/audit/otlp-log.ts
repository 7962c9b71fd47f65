// Reading a log of OpenTelemetry traces (otlp.ts maps its spans): telling one from an event log by its first bytes,
// a request per line (a Collector batch per line, so longer lines than events), or one pretty-printed document.
import { fstatSync, readFileSync } from 'node:fs';
import { LogError } from '../errors.js';
import { reasonOf, sizeText } from '../input-file.js';
import type { AuditEvent } from './event.js';
import { otlpEvents, type OtlpOptions } from './otlp.js';

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
    return readFileSync(log.fd, 'utf8');
  } catch (error) {
    if (error instanceof LogError) throw error;
    throw new LogError(`${file}: cannot read the log (${reasonOf(error)})`);
  } finally {
    log.close();
  }
}

/** OTLP/JSON traces, one export request per line (otlp.ts reads its spans). */
export function traceEvents(options: OtlpOptions): (text: string, from: number, to: number) => AuditEvent[] | string {
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
