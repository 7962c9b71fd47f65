// The live clients' spans, in OpenTelemetry's messaging conventions: a send span per publish attempt (OK when the
// broker confirmed it, ERROR with error.type timeout when the client gave up on a confirm), a process span per
// delivery (OK when its effect ran, ERROR when it did not: dropped, crashed, failed), a settle span per ack. They go
// to whatever tracer provider the process registered (a `node --import` of the user's OpenTelemetry setup); with
// none, the API's tracer records nothing. `acksim audit` reads them back to the counts of the run's event log.
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';

/** A span that ends once, whichever way. */
export interface OpenSpan {
  end: (ok: boolean) => void;
}

/** The spans of one live run's clients, on `system` (rabbitmq, redis, nats) and its queue or stream. */
export class LiveSpans {
  private readonly tracer = trace.getTracer('acksim-live');

  constructor(
    private readonly system: string,
    private readonly destination: string,
  ) {}

  private common(m: number, operation: string, type: string): Record<string, string> {
    return {
      'messaging.system': this.system,
      'messaging.destination.name': this.destination,
      'messaging.operation.name': operation,
      'messaging.operation.type': type,
      'messaging.message.id': String(m),
    };
  }

  private open(span: Span, failure: string): OpenSpan {
    let open = true;
    return {
      end: (ok) => {
        if (!open) return;
        open = false;
        if (!ok) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.setAttribute('error.type', failure);
        }
        span.end();
      },
    };
  }

  /** A publish attempt of message `m`: ended OK when confirmed, else ERROR (the client timed out). */
  send(m: number): OpenSpan {
    const span = this.tracer.startSpan(`send ${this.destination}`, {
      kind: SpanKind.PRODUCER,
      attributes: this.common(m, 'send', 'send'),
    });
    return this.open(span, 'timeout');
  }

  /** Consumer `c` processing a delivery of `m`: ended OK when its effect ran, else ERROR. */
  process(m: number, c: number): OpenSpan {
    const span = this.tracer.startSpan(`process ${this.destination}`, {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...this.common(m, 'process', 'process'),
        'messaging.consumer.group.name': 'acksim',
        'messaging.client.id': `c${c}`,
      },
    });
    return this.open(span, 'no effect');
  }

  /** Consumer `c` acknowledged `m`. */
  settle(m: number, c: number): void {
    this.tracer
      .startSpan(`ack ${this.destination}`, {
        kind: SpanKind.CLIENT,
        attributes: { ...this.common(m, 'ack', 'settle'), 'messaging.client.id': `c${c}` },
      })
      .end();
  }
}
