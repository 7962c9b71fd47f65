// OpenTelemetry traces as an audit's events (issue 19 §1): an OTLP/JSON ExportTraceServiceRequest, as the
// Collector's file exporter and the JS SDK's JSON serializer write it, read by the messaging semantic conventions,
// current and older names alike:
// - a send span (`messaging.operation.type` send; older `messaging.operation` publish; or, in the older conventions
//   that put no operation on it, a PRODUCER span of a messaging system) is a publish at its start, then at its end a
//   confirm; with status ERROR, a publish-failed only when `error.type` says the broker refused it, else neither (the
//   client does not know whether the broker has the message: Jepsen's :info); a create span is a publish only;
// - a process span (process; older deliver; or a CONSUMER span of a messaging system without an operation) is a
//   delivery at its start, then an effect at its end unless its status is ERROR (the handler failed);
// - a settle span (settle; its `messaging.operation.name` ack, complete or acknowledge, or none) is an ack at its end.
// A receive span is no delivery: a batch receive (SQS ReceiveMessage, Kafka poll) names no one message, and each
// message of it has a process span. Spans of other operations, and spans that are not messaging ones, are skipped.
import { count } from '../number-text.js';
import { EventCode, MAX_ID_LENGTH, MAX_TIME_MS, offsetOf, partitionNameOf, type AuditEvent } from './event.js';

/** Where a span names its message: the attribute (`--id-attribute`), or the conventions' own, current and older. */
export const DEFAULT_ID_ATTRIBUTES = ['messaging.message.id', 'messaging.message_id'] as const;

/** How spans are read. */
export interface OtlpOptions {
  /** The attribute holding the message id (default: DEFAULT_ID_ATTRIBUTES, the first present). */
  idAttribute?: string;
}

/** What a span is, by its operation (a Map: an operation named constructor is no operation). */
const OPERATIONS = new Map<string, 'send' | 'create' | 'process' | 'settle'>([
  ['send', 'send'],
  ['publish', 'send'],
  ['create', 'create'],
  ['process', 'process'],
  ['deliver', 'process'],
  ['settle', 'settle'],
]);
/** The span kinds that say send and process where the older conventions named no operation. */
const PRODUCER = new Set<unknown>([4, '4', 'SPAN_KIND_PRODUCER']);
const CONSUMER = new Set<unknown>([5, '5', 'SPAN_KIND_CONSUMER']);

const ACKS = new Set(['ack', 'complete', 'acknowledge', 'accept']);
const STATUS_ERROR = new Set<unknown>([2, '2', 'STATUS_CODE_ERROR']);
/** An error.type that says the broker refused the publish (the only ERROR that is a known failure). */
const REFUSED = /reject|refus|nack|denied|forbidden|unauthori|too.?large|invalid|throttl|quota/i;

/** An OTLP AnyValue as a string or number (what an id or an operation may be); undefined otherwise. */
function scalar(value: unknown): string | number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (typeof v.intValue === 'string') return v.intValue;
  if (typeof v.intValue === 'number') return v.intValue;
  // A double names a message exactly only as a whole number JSON keeps whole.
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
  let ms: number;
  if (typeof value === 'number' && Number.isSafeInteger(value)) ms = Math.round(value / 1000) / 1000;
  else if (typeof value === 'string' && /^\d{1,30}$/.test(value)) ms = Number(BigInt(value) / 1000n) / 1000;
  else return undefined;
  // 0 is OTLP's "unset"; past the bound every event time has, a unit is wrong.
  return ms > 0 && ms <= MAX_TIME_MS ? ms : undefined;
}

/** A message id from an attribute's value, or what is wrong with it (a number must be exact, as eventOf wants). */
function idOf(raw: string | number): string | { problem: string } {
  // An intValue arrives as its decimal digits (exact, like any string id); a doubleValue as a number.
  if (typeof raw === 'number' && !Number.isSafeInteger(raw))
    return {
      problem: `its message id ${raw} cannot name a message exactly (allowed: whole numbers up to 2^53 - 1, or a string)`,
    };
  const id = String(raw).trim();
  if (id === '') return { problem: 'its message id is blank' };
  if (id.length > MAX_ID_LENGTH)
    return {
      problem: `its message id is ${count(id.length)} characters long (allowed: ids up to ${count(MAX_ID_LENGTH)} characters)`,
    };
  return id;
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

/** What a span does, by its operation, or (older conventions) by its kind when it names a messaging system. */
function operationOf(attributes: Map<string, string | number | undefined>, span: Record<string, unknown>) {
  const operation = attributes.get('messaging.operation.type') ?? attributes.get('messaging.operation');
  if (typeof operation === 'string') return { name: operation, kind: OPERATIONS.get(operation.toLowerCase()) };
  if (operation !== undefined || attributes.get('messaging.system') === undefined) return { name: '', kind: undefined };
  if (PRODUCER.has(span.kind)) return { name: 'producer', kind: 'send' as const };
  if (CONSUMER.has(span.kind)) return { name: 'consumer', kind: 'process' as const };
  return { name: '', kind: undefined };
}

/** Attributes that name the partition that holds a message, the current convention's first. */
const PARTITION_ATTRIBUTES = [
  'messaging.destination.partition.id',
  'messaging.kafka.destination.partition',
  'messaging.kafka.partition',
];

/** Attributes that name the client that read a message, the current convention's first. */
const CONSUMER_ATTRIBUTES = ['messaging.client.id', 'messaging.client_id', 'messaging.kafka.client_id'];

/** The events of one messaging span, or what is wrong with it; [] for a span that is not one acksim reads. */
function spanEvents(span: Record<string, unknown>, where: string, options: OtlpOptions): AuditEvent[] | string {
  const attributes = attributesOf(span);
  const { name: operation, kind } = operationOf(attributes, span);
  if (kind === undefined) return [];
  const names = options.idAttribute === undefined ? DEFAULT_ID_ATTRIBUTES : [options.idAttribute];
  const raw = names.map((name) => attributes.get(name)).find((value) => value !== undefined);
  const label = `${where} (${typeof span.name === 'string' ? span.name.slice(0, 60) : 'a span'})`;
  // A batch send names no one message: each of its messages has its create span (linked from it).
  if (raw === undefined && kind === 'send' && Array.isArray(span.links) && span.links.length > 0) return [];
  if (raw === undefined)
    return `${label}: a ${operation} span without ${names.join(' or ')} (allowed: --id-attribute <the attribute that names the message>)`;
  const id = idOf(raw);
  if (typeof id !== 'string') return `${label}: ${id.problem}`;
  const start = nanosToMs(span.startTimeUnixNano);
  const end = nanosToMs(span.endTimeUnixNano);
  if (start === undefined || end === undefined || end < start)
    return `${label}: startTimeUnixNano and endTimeUnixNano must be ns since 1970, the end not before the start (allowed: decimal digits, above 0, within 5e14 ms)`;
  const key = attributes.get('messaging.kafka.message.key') ?? attributes.get('messaging.kafka.message_key');
  const rawOffset = attributes.get('messaging.kafka.offset') ?? attributes.get('messaging.kafka.message.offset');
  const read = rawOffset === undefined ? undefined : offsetOf(rawOffset);
  if (rawOffset !== undefined && read === undefined)
    return `${label}: messaging.kafka.offset ${JSON.stringify(rawOffset)} is not an offset (allowed: a whole number from 0, or -1 for none)`;
  const status = span.status as Record<string, unknown> | undefined;
  const failed = STATUS_ERROR.has(status?.code);
  // -1: no offset (acks=0); a send that failed wrote nothing, whatever offset it names (Jepsen's aborted send).
  const offset = read === undefined || read < 0 || (kind === 'send' && failed) ? undefined : read;
  const consumer = CONSUMER_ATTRIBUTES.map((name) => attributes.get(name)).find((value) => value !== undefined);
  const partition = partitionNameOf(
    PARTITION_ATTRIBUTES.map((name) => attributes.get(name)).find((value) => value !== undefined && value !== ''),
  );
  // The key on every event; the offset too (where the log holds the message), with its partition; who read it, on a
  // delivery.
  const keyed = (events: AuditEvent[]) =>
    key === undefined && offset === undefined
      ? events
      : events.map((e) => ({
          ...e,
          ...(key === undefined ? {} : { key: String(key) }),
          ...(offset === undefined ? {} : { offset }),
          ...(offset === undefined || partition === undefined ? {} : { partition }),
          ...(consumer !== undefined && e.type === EventCode.deliver ? { consumer: String(consumer) } : {}),
        }));
  switch (kind) {
    case 'create':
      return keyed([{ type: EventCode.publish, id, ts: start }]);
    case 'send': {
      const publish = { type: EventCode.publish, id, ts: start };
      if (!failed) return keyed([publish, { type: EventCode.confirm, id, ts: end }]);
      // Only a refusal is a known failure; any other error leaves the publish's fate unknown.
      const refused = REFUSED.test(String(attributes.get('error.type') ?? ''));
      return keyed(refused ? [publish, { type: EventCode['publish-failed'], id, ts: end }] : [publish]);
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

/** A request's events, and what is wrong with each span that could not be read (each is skipped, as a bad line is). */
export interface RequestEvents {
  events: AuditEvent[];
  problems: string[];
}

/** The events of a request's messaging spans, span by span; or why the value is no request at all. */
export function otlpEvents(value: unknown, options: OtlpOptions): RequestEvents | string {
  if (!isTraceRequest(value))
    return 'not an OTLP trace export (allowed: {"resourceSpans": [...]} per line, as the Collector\'s file exporter writes)';
  const out: RequestEvents = { events: [], problems: [] };
  for (const { span, where } of spansOf(value)) {
    const found = spanEvents(span, where, options);
    if (typeof found === 'string') out.problems.push(found);
    else out.events.push(...found);
  }
  return out;
}
