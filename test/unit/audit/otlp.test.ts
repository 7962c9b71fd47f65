// Reading OpenTelemetry spans as audit events (issue 19 §1): each messaging operation, by the current and the older
// attribute names, its status, and what is refused in one line.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { EVENT_TYPES } from '../../../src/audit/event.js';
import { otlpEvents, type OtlpOptions } from '../../../src/audit/otlp.js';

type Attributes = Record<string, string | number>;

/** A request holding these spans, as OTLP/JSON writes them (times in ns as decimal strings). */
function request(
  ...spans: Array<{ attributes: Attributes; startMs?: number; endMs?: number; status?: number; name?: string }>
) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: spans.map((s, i) => ({
              traceId: '0af7651916cd43dd8448eb211c80319c',
              spanId: `b7ad6b716920333${i}`,
              name: s.name ?? 'span',
              kind: 4,
              startTimeUnixNano: String(BigInt(Math.round((s.startMs ?? 1000) * 1000)) * 1000n),
              endTimeUnixNano: String(BigInt(Math.round((s.endMs ?? 1005) * 1000)) * 1000n),
              attributes: Object.entries(s.attributes).map(([key, value]) => ({
                key,
                value:
                  typeof value !== 'number'
                    ? { stringValue: value }
                    : Number.isSafeInteger(value)
                      ? { intValue: String(value) }
                      : { doubleValue: value },
              })),
              status: s.status === undefined ? {} : { code: s.status },
            })),
          },
        ],
      },
    ],
  };
}

/** The events read, as `type id ts` words. */
function read(value: unknown, options: OtlpOptions = {}): string[] | string {
  const read = otlpEvents(value, options);
  if (typeof read === 'string') return read;
  if (read.problems.length > 0) return read.problems.join('\n');
  return read.events.map((e) => `${EVENT_TYPES[e.type]} ${e.id} ${e.ts}`);
}

const op = (type: string, id: string | number, more: Attributes = {}): Attributes => ({
  'messaging.system': 'rabbitmq',
  'messaging.operation.type': type,
  'messaging.message.id': id,
  ...more,
});

describe('OTLP spans as audit events', () => {
  it('reads a send as a publish then a confirm, or a failed publish when refused, or (other errors) neither', () => {
    expect(read(request({ attributes: op('send', 'a') }))).toEqual(['publish a 1000', 'confirm a 1005']);
    // Only a refusal is a known failure: any other error leaves the publish's fate unknown (Jepsen's :info).
    const refused = op('send', 'a', { 'error.type': 'MessageRejected' });
    expect(read(request({ attributes: refused, status: 2 }))).toEqual(['publish a 1000', 'publish-failed a 1005']);
    for (const error of ['TimeoutError', 'ECONNRESET', '_OTHER'])
      expect(read(request({ attributes: op('send', 'a', { 'error.type': error }), status: 2 }))).toEqual([
        'publish a 1000',
      ]);
    expect(read(request({ attributes: op('send', 'a'), status: 2 }))).toEqual(['publish a 1000']);
    // A create span is the message made, not sent: a publish, no confirm.
    expect(read(request({ attributes: op('create', 'a') }))).toEqual(['publish a 1000']);
    // The older conventions: messaging.operation publish, messaging.message_id.
    const older = { 'messaging.operation': 'publish', 'messaging.message_id': 'b' };
    expect(read(request({ attributes: older }))).toEqual(['publish b 1000', 'confirm b 1005']);
    // Older still: no operation at all, the span kind says it (the amqplib and SQS instrumentations' sends).
    const bare = { 'messaging.system': 'rabbitmq', 'messaging.message_id': 'c' };
    expect(read(request({ attributes: bare }))).toEqual(['publish c 1000', 'confirm c 1005']);
  });

  it('reads a process span as a delivery then an effect unless it failed, a settle as an ack, and skips the rest', () => {
    expect(read(request({ attributes: op('process', 7), startMs: 2000, endMs: 2012.5 }))).toEqual([
      'deliver 7 2000',
      'effect 7 2012.5',
    ]);
    expect(read(request({ attributes: op('process', 7), status: 2 }))).toEqual(['deliver 7 1000']);
    expect(read(request({ attributes: op('deliver', 7) }))).toEqual(['deliver 7 1000', 'effect 7 1005']);
    expect(read(request({ attributes: op('settle', 7) }))).toEqual(['ack 7 1005']);
    // A Kafka message's key rides on its events (per-key order).
    const keyed = otlpEvents(
      request({ attributes: op('process', 7, { 'messaging.kafka.message.key': 'acct-9' }) }),
      {},
    );
    expect(typeof keyed !== 'string' && keyed.events.map((e) => e.key)).toEqual(['acct-9', 'acct-9']);
    // Its offset, with the partition that holds it (current and older names), and who read it.
    for (const partition of ['messaging.destination.partition.id', 'messaging.kafka.destination.partition']) {
      const placed = otlpEvents(
        request({
          attributes: op('process', 7, { 'messaging.kafka.offset': 42, [partition]: 3, 'messaging.client.id': 'c-1' }),
        }),
        {},
      );
      expect(typeof placed !== 'string' && placed.events[0]).toMatchObject({
        offset: 42,
        partition: '3',
        consumer: 'c-1',
      });
    }
    // A partition without an offset says nothing the audit uses.
    const unplaced = otlpEvents(
      request({ attributes: op('send', 7, { 'messaging.destination.partition.id': '3' }) }),
      {},
    );
    expect(typeof unplaced !== 'string' && unplaced.events.some((e) => e.partition !== undefined)).toBe(false);
    expect(read(request({ attributes: op('settle', 7, { 'messaging.operation.name': 'nack' }) }))).toEqual([]);
    // A batch receive names no one message; an HTTP span is no messaging span.
    expect(read(request({ attributes: op('receive', 7) }), {})).toEqual([]);
    expect(read(request({ attributes: { 'http.request.method': 'GET' } }))).toEqual([]);
  });

  it('reads the id from the attribute asked for, and refuses a messaging span without one in one line', () => {
    const own = op('send', 'broker-id', { 'app.order_id': 'order-17' });
    expect(read(request({ attributes: own }), { idAttribute: 'app.order_id' })).toEqual([
      'publish order-17 1000',
      'confirm order-17 1005',
    ]);
    const none = read(request({ attributes: { 'messaging.operation.type': 'send' }, name: 'orders send' }));
    expect(none).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0] (orders send): a send span without messaging.message.id or messaging.message_id (allowed: --id-attribute <the attribute that names the message>)',
    );
    expect(read({ spans: [] })).toMatch(/^not an OTLP trace export/);
    // An operation named like an Object property is no operation; ids must be exact.
    expect(read(request({ attributes: op('constructor', 'a') }))).toEqual([]);
    expect(
      read(request({ attributes: op('send', 'x', { 'app.id': 2 ** 53 + 2 }) }), { idAttribute: 'app.id' }),
    ).toMatch(/cannot name a message exactly/);
    const bad = request({ attributes: op('send', 'a') });
    (bad.resourceSpans[0]!.scopeSpans[0]!.spans[0] as { startTimeUnixNano: string }).startTimeUnixNano = '-5';
    expect(read(bad)).toMatch(/startTimeUnixNano and endTimeUnixNano must be ns since 1970/);
  });
});
