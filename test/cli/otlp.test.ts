// `acksim audit` of OpenTelemetry traces (issue 19 §1), against spans the real OpenTelemetry JS SDK produced and
// serialized: a faulted run's event log (lost publishes, confirms and acks, crashes after the effect, failed
// handlers) is played as the spans an instrumented producer and consumer would record, following the messaging
// conventions, and exported by the SDK's own OTLP/JSON serializer; the audit of those spans gives the counts the
// audit of the event log gives.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { acksim } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acksim-otlp-'));
const CONFIRM_TIMEOUT_MS = 200;
/** The spans' clock: the run's virtual times after 2026-01-01 (the SDK reads a start time of 0 as now). */
const EPOCH_MS = 1_767_225_600_000;

const SCENARIO = `messages: 400
producer: { confirmTimeoutMs: ${CONFIRM_TIMEOUT_MS}, retry: { maxAttempts: 3, backoff: fixed, baseMs: 50 } }
network:
  publish: { loss: 0.1 }
  confirm: { loss: 0.05 }
  ack: { loss: 0.1 }
broker: { visibilityTimeoutMs: 2000 }
consumers:
  crash: { probability: 0.05, point: after-effect, restartMs: 100 }
  failure: { probability: 0.05 }
modes: [at-least-once]
`;

interface LogEvent {
  type: string;
  id: number;
  ts: number;
}

/** The spans an instrumented producer and consumer record for these events, exported as OTLP/JSON lines. */
function spansOf(events: LogEvent[]): string {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('orders-service');
  const span = (name: string, kind: SpanKind, attributes: Attributes, startMs: number, endMs: number, ok = true) => {
    const s = tracer.startSpan(name, { kind, startTime: EPOCH_MS + startMs, attributes });
    if (!ok) s.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
    s.end(EPOCH_MS + endMs);
  };
  const byId = new Map<number, LogEvent[]>();
  for (const e of events) byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
  for (const [id, own] of byId) {
    const common = {
      'messaging.system': 'rabbitmq',
      'messaging.destination.name': 'orders',
      'messaging.message.id': id,
    };
    own.forEach((e, i) => {
      const later = own.slice(i + 1);
      if (e.type === 'publish') {
        // Its answer, if one came before the next attempt; else the client timed out.
        const next = later.find((n) => n.type === 'publish' || n.type === 'confirm' || n.type === 'publish-failed');
        const answered = next !== undefined && next.type !== 'publish' ? next : undefined;
        const attributes = { ...common, 'messaging.operation.type': 'send' };
        if (answered === undefined)
          span(
            'orders send',
            SpanKind.PRODUCER,
            { ...attributes, 'error.type': 'timeout' },
            e.ts,
            e.ts + CONFIRM_TIMEOUT_MS,
            false,
          );
        else span('orders send', SpanKind.PRODUCER, attributes, e.ts, answered.ts, answered.type === 'confirm');
      } else if (e.type === 'deliver') {
        const next = later.find((n) => n.type === 'deliver' || n.type === 'effect');
        const effect = next?.type === 'effect' ? next : undefined;
        const attributes = { ...common, 'messaging.operation.type': 'process' };
        span('orders process', SpanKind.CONSUMER, attributes, e.ts, effect?.ts ?? e.ts, effect !== undefined);
      } else if (e.type === 'ack') {
        span('orders settle', SpanKind.CONSUMER, { ...common, 'messaging.operation.type': 'settle' }, e.ts, e.ts);
      } else if (e.type !== 'confirm' && e.type !== 'effect' && e.type !== 'publish-failed') {
        throw new Error(`no span for a ${e.type} event`);
      }
    });
  }
  // The Collector's file exporter writes a batch of spans per line.
  const spans = exporter.getFinishedSpans();
  const lines: string[] = [];
  for (let i = 0; i < spans.length; i += 50)
    lines.push(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans.slice(i, i + 50))));
  return `${lines.join('\n')}\n`;
}

type Audited = { metrics: Record<string, unknown>; lossByCause: object; duplicatesByCause: object; audit: object };

function audited(args: string[]): Audited {
  const out = acksim(['audit', ...args, '--format', 'json']);
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout).scenarios[0].results[0] as Audited;
}

describe('acksim audit of OpenTelemetry traces', () => {
  it('counts the spans the SDK exported for a faulted run as the run’s own event log', () => {
    const scenario = join(dir, 'faulted.yaml');
    writeFileSync(scenario, SCENARIO);
    const log = join(dir, 'events.jsonl');
    acksim(['run', scenario, '--events', log, '--format', 'json']);
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LogEvent);
    // The faults happened: lost publishes and confirms (timeouts), handler failures, duplicates.
    const kinds = new Set(events.map((e) => e.type));
    expect([...kinds].sort()).toEqual(['ack', 'confirm', 'deliver', 'effect', 'publish']);
    const traces = join(dir, 'traces.json');
    writeFileSync(traces, spansOf(events));
    const fromLog = audited([log]);
    const fromSpans = audited([traces]);
    type Timed = { latencyMs: Record<string, number>; simulatedMs: number; [metric: string]: unknown };
    const { latencyMs: logLatency, simulatedMs: logSpan, ...logMetrics } = fromLog.metrics as Timed;
    const { latencyMs: spanLatency, simulatedMs: spanSpan, ...spanMetrics } = fromSpans.metrics as Timed;
    expect(spanMetrics).toEqual(logMetrics);
    expect(Math.abs(spanSpan - logSpan)).toBeLessThan(0.01);
    expect(logMetrics.duplicates).toBeGreaterThan(20);
    expect(logMetrics.publishRetries).toBeGreaterThan(20);
    expect(fromSpans.lossByCause).toEqual(fromLog.lossByCause);
    expect(fromSpans.duplicatesByCause).toEqual(fromLog.duplicatesByCause);
    // Span times are whole nanoseconds, read to the microsecond: latencies agree to a microsecond.
    for (const key of Object.keys(logLatency))
      expect(Math.abs(spanLatency[key]! - logLatency[key]!)).toBeLessThan(0.01 + logLatency[key]! * 0.001);
    type Facts = { lines: number; firstTs: number; lastTs: number };
    const { lines: _logLines, firstTs: logFirst, lastTs: logLast, ...logFacts } = fromLog.audit as Facts;
    const { lines: spanLines, firstTs: spanFirst, lastTs: spanLast, ...spanFacts } = fromSpans.audit as Facts;
    expect(spanFacts).toEqual(logFacts);
    expect(spanFirst - logFirst).toBe(EPOCH_MS);
    expect(Math.abs(spanLast - logLast - EPOCH_MS)).toBeLessThan(0.01);
    // A line of traces is one line, however many spans it holds.
    expect(spanLines).toBe(readFileSync(traces, 'utf8').trim().split('\n').length);
  });

  it('reads one request written over many lines, and refuses a messaging span without an id', () => {
    const one = join(dir, 'one.json');
    const request = JSON.parse(
      spansOf([
        { type: 'publish', id: 5, ts: 10 },
        { type: 'confirm', id: 5, ts: 12 },
      ]),
    );
    writeFileSync(one, JSON.stringify(request, null, 2));
    expect(audited([one]).metrics.produced).toBe(1);
    const attributes = request.resourceSpans[0].scopeSpans[0].spans[0].attributes as { key: string }[];
    request.resourceSpans[0].scopeSpans[0].spans[0].attributes = attributes.filter(
      (a) => a.key !== 'messaging.message.id',
    );
    writeFileSync(one, JSON.stringify(request));
    const refused = acksim(['audit', one]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`${one}:1`);
    expect(refused.stderr).toContain('a send span without messaging.message.id or messaging.message_id');
  });
});

describe('acksim audit of traces: what it refuses and what it doubts', () => {
  it('reads a document pretty-printed from its first line, refuses one that is not UTF-8, and doubts order without keys', () => {
    const request = JSON.parse(
      spansOf([
        { type: 'publish', id: 1, ts: 10 },
        { type: 'confirm', id: 1, ts: 12 },
      ]),
    );
    const inline = join(dir, 'inline.json');
    writeFileSync(inline, JSON.stringify(request, null, 1).replace('{\n "resourceSpans"', '{ "resourceSpans"'));
    expect(readFileSync(inline, 'utf8').split('\n')[0]).toMatch(/^\{ "resourceSpans": \[/);
    expect(audited([inline]).metrics.produced).toBe(1);
    const latin1 = join(dir, 'latin1.json');
    writeFileSync(latin1, Buffer.concat([Buffer.from(JSON.stringify(request, null, 2)), Buffer.from([0xff, 0x0a])]));
    const refused = acksim(['audit', latin1]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      `acksim: ${latin1}: not UTF-8 text (allowed: a log of UTF-8 text; two ids must never read as one)\n`,
    );
    // Order over some keys only: the unkeyed messages' order is unknown, so a check on it is inconclusive.
    const partial = join(dir, 'partial.jsonl');
    const lines = [
      { type: 'publish', id: 'a', ts: 1, key: 'k' },
      { type: 'publish', id: 'd', ts: 1.5, key: 'k' },
      { type: 'publish', id: 'b', ts: 2 },
      { type: 'publish', id: 'c', ts: 3 },
      { type: 'effect', id: 'c', ts: 4 },
      { type: 'effect', id: 'b', ts: 5 },
      { type: 'effect', id: 'a', ts: 6, key: 'k' },
      { type: 'effect', id: 'd', ts: 7, key: 'k' },
    ];
    writeFileSync(partial, lines.map((l) => JSON.stringify(l)).join('\n'));
    const doubted = acksim(['audit', partial, '--check', 'outOfOrder == 0']);
    expect(doubted.status).toBe(3);
    expect(doubted.stdout.replace(/\s+/g, ' ')).toContain('2 of 4 published messages carry no key');
    // A log whose id column is named key: no key column then, and nothing refused.
    const idKey = join(dir, 'idkey.jsonl');
    writeFileSync(idKey, '{"type":"publish","key":"m","ts":1}\n{"type":"effect","key":"m","ts":2}\n');
    expect(audited([idKey, '--map', 'id=key']).metrics.processed).toBe(1);
    const objectKey = join(dir, 'objkey.jsonl');
    writeFileSync(objectKey, '{"type":"publish","id":"m","ts":1,"key":{"a":1}}\n{"type":"effect","id":"m","ts":2}\n');
    expect(audited([objectKey]).metrics.processed).toBe(1);
  });
});
