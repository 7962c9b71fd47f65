// Loaded with `node --import` into an `acksim live` process by the live suite: the OpenTelemetry JS SDK with an
// in-memory exporter, registered as the global tracer provider, and at exit every span it recorded written to the
// file ACKSIM_TEST_OTLP names as OTLP/JSON (one ExportTraceServiceRequest per line of 500 spans, as the
// Collector's file exporter writes), by the SDK's own serializer.
import { writeFileSync } from 'node:fs';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';

const file = process.env.ACKSIM_TEST_OTLP;
if (file !== undefined) {
  const exporter = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  process.on('exit', () => {
    const spans = exporter.getFinishedSpans();
    const lines: string[] = [];
    for (let i = 0; i < spans.length; i += 500)
      lines.push(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans.slice(i, i + 500))));
    writeFileSync(file, lines.map((line) => `${line}\n`).join(''));
  });
}
