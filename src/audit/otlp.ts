// OpenTelemetry traces as an audit's events (issue 19 §1): an OTLP/JSON ExportTraceServiceRequest, as the
// Collector's file exporter and the JS SDK's JSON serializer write it, read by the messaging semantic conventions,
// current and older names alike:
// - a send span (`messaging.operation.type` send or create; older `messaging.operation` publish) is a publish at
//   its start, then at its end a confirm, or a publish-failed when its status is ERROR; an ERROR whose `error.type`
//   says it timed out is neither (the client does not know whether the broker has the message);
// - a process span (process; older deliver) is a delivery at its start, then an effect at its end unless its status
//   is ERROR (the handler failed);
// - a settle span (settle; its `messaging.operation.name` ack, complete or acknowledge, or none) is an ack at its end.
// A receive span is no delivery: a batch receive (SQS ReceiveMessage, Kafka poll) names no one message, and each
// message of it has a process span. Spans of other operations, and spans that are not messaging ones, are skipped.
import { count } from '../number-text.js';
import { EventCode, MAX_ID_LENGTH, MAX_TIME_MS, type AuditEvent } from './event.js';

/** Where a span names its message: the attribute (`--id-attribute`), or the conventions' own, current and older. */
export const DEFAULT_ID_ATTRIBUTES = ['messaging.message.id', 'messaging.message_id'] as const;

/** How spans are read. */
export interface OtlpOptions {
  /** The attribute holding the message id (default: DEFAULT_ID_ATTRIBUTES, the first present). */
  idAttribute?: string;
}

/** What a span is, by its operation. */
const OPERATIONS: Readonly<Record<string, 'send' | 'process' | 'settle'>> = {
  send: 'send',
  create: 'send',
  publish: 'send',
  process: 'process',
  deliver: 'process',
  settle: 'settle',
};

const ACKS = new Set(['ack', 'complete', 'acknowledge', 'accept']);
const STATUS_ERROR = new Set<unknown>([2, '2', 'STATUS_CODE_ERROR']);
/** An error.type that says the client stopped waiting, not that the broker refused. */
const TIMED_OUT = /time.?out|timed.?out|deadline/i;

/** An OTLP AnyValue as a string or number (what an id or an operation may be); undefined otherwise. */
function scalar(value: unknown): string | number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (typeof v.intValue === 'string' || typeof v.intValue === 'number') return String(v.intValue);
  if (typeof v.doubleValue === 'number') return v.doubleValue;
  return undefined;
}

/** A span's attributes by key (a Map: a key named __proto__ is a key like any other). */
function attributesOf(span: Record<string, unknown>): Map<string, string | number | undefined> {
  const out = new Map<string, string | number | undefined>();
  if (!Array.isArray(span.attributes)) return out;
  for (const a of span.attributes as unknown[]) {
    if (typeof a === 'object' && a !== null && typeof (a as { key?: unknown }).key === 'string')
      out.set((a as { key: string }).key, scalar((a as { value?: unknown }).value));
  }
  return out;
}

/** A time in ns since 1970 (a decimal string or a number) in ms, to the microsecond; undefined if it is none. */
function nanosToMs(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? Math.round(value / 1000) / 1000 : undefined;
  if (typeof value !== 'string' || !/^\d{1,30}$/.test(value)) return undefined;
  const ms = Number(BigInt(value) / 1000n) / 1000;
  return ms <= MAX_TIME_MS ? ms : undefined;
}

/** Every span of a request, with where it sits (for messages). */
function* spansOf(request: Record<string, unknown>): Generator<{ span: Record<string, unknown>; where: string }> {
  const resources = request.resourceSpans as unknown[];
  for (const [r, resource] of resources.entries()) {
    if (typeof resource !== 'object' || resource === null) continue;
    const scopes =
      (resource as Record<string, unknown>).scopeSpans ??
      (resource as Record<string, unknown>).instrumentationLibrarySpans;
    if (!Array.isArray(scopes)) continue;
    for (const [s, scope] of scopes.entries()) {
      const spans = typeof scope === 'object' && scope !== null ? (scope as Record<string, unknown>).spans : undefined;
      if (!Array.isArray(spans)) continue;
      for (const [i, span] of spans.entries())
        if (typeof span === 'object' && span !== null)
          yield { span: span as Record<string, unknown>, where: `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]` };
    }
  }
}

/** The events of one messaging span, or what is wrong with it; [] for a span that is not one acksim reads. */
function spanEvents(span: Record<string, unknown>, where: string, options: OtlpOptions): AuditEvent[] | string {
  const attributes = attributesOf(span);
  const operation = attributes.get('messaging.operation.type') ?? attributes.get('messaging.operation');
  const kind = typeof operation === 'string' ? OPERATIONS[operation.toLowerCase()] : undefined;
  if (kind === undefined) return [];
  const names = options.idAttribute === undefined ? DEFAULT_ID_ATTRIBUTES : [options.idAttribute];
  const raw = names.map((name) => attributes.get(name)).find((value) => value !== undefined);
  const label = `${where} (${typeof span.name === 'string' ? span.name.slice(0, 60) : 'a span'})`;
  if (raw === undefined || String(raw).trim() === '')
    return `${label}: a ${String(operation)} span without ${names.join(' or ')} (allowed: --id-attribute <the attribute that names the message>)`;
  const id = String(raw).trim();
  if (id.length > MAX_ID_LENGTH)
    return `${label}: its message id is ${count(id.length)} characters long (allowed: ids up to ${count(MAX_ID_LENGTH)} characters)`;
  const start = nanosToMs(span.startTimeUnixNano);
  const end = nanosToMs(span.endTimeUnixNano);
  if (start === undefined || end === undefined)
    return `${label}: startTimeUnixNano and endTimeUnixNano must be ns since 1970 (allowed: decimal digits, within ±5e14 ms)`;
  const key = attributes.get('messaging.kafka.message.key') ?? attributes.get('messaging.kafka.message_key');
  const keyed = (events: AuditEvent[]) =>
    key === undefined ? events : events.map((e) => ({ ...e, key: String(key) }));
  const status = span.status as Record<string, unknown> | undefined;
  const failed = STATUS_ERROR.has(status?.code);
  switch (kind) {
    case 'send': {
      const publish = { type: EventCode.publish, id, ts: start };
      if (failed && TIMED_OUT.test(String(attributes.get('error.type') ?? ''))) return keyed([publish]);
      return keyed([publish, { type: failed ? EventCode['publish-failed'] : EventCode.confirm, id, ts: end }]);
    }
    case 'process':
      return keyed(
        failed
          ? [{ type: EventCode.deliver, id, ts: start }]
          : [
              { type: EventCode.deliver, id, ts: start },
              { type: EventCode.effect, id, ts: end },
            ],
      );
    case 'settle': {
      const name = attributes.get('messaging.operation.name');
      return name === undefined || ACKS.has(String(name).toLowerCase()) ? [{ type: EventCode.ack, id, ts: end }] : [];
    }
  }
}

/** Whether a parsed JSON value is an OTLP trace export request (an object with a resourceSpans array). */
export function isTraceRequest(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>).resourceSpans);
}

/** The events of a request's messaging spans, or the first problem (a request is read whole or not at all). */
export function otlpEvents(value: unknown, options: OtlpOptions): AuditEvent[] | string {
  if (!isTraceRequest(value))
    return 'not an OTLP trace export (allowed: {"resourceSpans": [...]} per line, as the Collector\'s file exporter writes)';
  const events: AuditEvent[] = [];
  for (const { span, where } of spansOf(value)) {
    const found = spanEvents(span, where, options);
    if (typeof found === 'string') return found;
    events.push(...found);
  }
  return events;
}
