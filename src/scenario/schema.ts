// The scenario file format as a JSON Schema (built with TypeBox, which also gives the input type).
// Every field is optional, carries its default and a description; units are in the names.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { broker } from './schema-broker.js';
import { consumers } from './schema-consumers.js';
import { count, duration, fault, link, milliseconds, nonNegative, probability, withUnit } from './schema-parts.js';

const producer = Type.Object(
  {
    ratePerSec: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, default: 100, description: 'messages sent per second' }),
    ),
    acks: Type.Optional(
      Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal('all')], {
        default: 'all',
        description:
          "log broker: 0 = no confirm (the producer cannot retry), 1 = the leader's write confirms, all = confirmed once replicated (Kafka acks, default all)",
      }),
    ),
    arrivals: Type.Optional(
      Type.Union([Type.Literal('constant'), Type.Literal('poisson')], {
        default: 'constant',
        description: 'evenly spaced sends, or a Poisson process with the same mean rate',
      }),
    ),
    crash: Type.Optional(
      Type.Object(
        {
          probability: probability(
            'chance, per message, that the application crashes after writing its own state and before publishing (with outbox: the relay crashes after publishing and before marking the row sent)',
          ),
          restartMs: milliseconds(1000, 'how long until the application (or the outbox relay) runs again'),
        },
        {
          additionalProperties: false,
          description: 'crashes of the producing application between its state and the publish',
        },
      ),
    ),
    idempotent: Type.Optional(
      Type.Union([Type.Literal('by-mode'), Type.Boolean()], {
        default: 'by-mode',
        description:
          "true/false: idempotent publish on or off in every mode (Kafka enable.idempotence, the producer id and sequence the broker dedupes by); by-mode: the mode's idempotentPublish",
      }),
    ),
    maxInFlight: count(
      0,
      0,
      1000000,
      'most messages sent and not yet confirmed; later ones wait (Kafka max.in.flight.requests.per.connection: 5); 1 keeps the order through retries; 0 = unlimited',
    ),
    delayMs: duration(
      0,
      'how long after it is sent a message is due (SQS DelaySeconds, Service Bus scheduled messages, Celery eta/countdown)',
    ),
    delayHeldBy: Type.Optional(
      Type.Union([Type.Literal('broker'), Type.Literal('consumer')], {
        default: 'broker',
        description:
          'who keeps a delayed message until it is due: the broker, which delivers it then; or the consumer, which receives it at once and holds it unacked (Celery ETA on Redis and SQS), so a delay past the visibility timeout runs it several times',
      }),
    ),
    keys: Type.Optional(
      Type.Object(
        {
          count: count(
            0,
            0,
            1000000,
            'how many distinct keys (customers, accounts, aggregates); 0: messages have none',
          ),
          dist: Type.Optional(
            Type.Union([Type.Literal('uniform'), Type.Literal('zipf')], {
              default: 'uniform',
              description: 'how keys are spread over messages: evenly, or Zipf (key i in proportion to 1/(i+1)^skew)',
            }),
          ),
          skew: nonNegative(1, 'zipf: the exponent; 0 is uniform, 1 the classic hot-key skew'),
        },
        {
          additionalProperties: false,
          description:
            "each message's key, drawn from the seed: it picks a log's partition (instead of the id) and a queue's message group (broker.messageGroups), and per-key order (outOfOrder) is measured over it",
        },
      ),
    ),
    outbox: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'transactional outbox: the state change and an outbox row commit together and a relay publishes the row, so a crash delays the publish instead of losing it (and may publish it twice)',
      }),
    ),
    confirmTimeoutMs: milliseconds(
      30000,
      'how long the producer waits for a publish confirm before retrying (Kafka request.timeout.ms: 30 s)',
    ),
    retry: Type.Optional(
      Type.Object(
        {
          maxAttempts: count(10, 0, 1000, 'publish attempts in all, the first included; 0 = unlimited'),
          backoff: Type.Optional(
            Type.Union([Type.Literal('fixed'), Type.Literal('exponential')], {
              default: 'exponential',
              description: 'fixed: baseMs every time; exponential: baseMs * 2^retry, capped at maxMs',
            }),
          ),
          baseMs: milliseconds(100, 'first backoff (Kafka retry.backoff.ms: 100)'),
          maxMs: milliseconds(1000, 'largest backoff (Kafka retry.backoff.max.ms: 1000)'),
          jitter: Type.Optional(
            Type.Union(
              [Type.Literal('none'), Type.Literal('full'), Type.Literal('equal'), Type.Literal('decorrelated')],
              {
                default: 'full',
                description: 'randomisation of the backoff, as in AWS "Exponential Backoff and Jitter"',
              },
            ),
          ),
        },
        { additionalProperties: false, description: 'what the producer does when a confirm does not come' },
      ),
    ),
  },
  { additionalProperties: false, description: 'the producer of messages 0..n-1' },
);

const network = Type.Object(
  {
    publish: link('producer to broker'),
    confirm: link('broker to producer (publish confirms)'),
    deliver: link('broker to consumer'),
    ack: link('consumer to broker (acks and nacks)'),
  },
  { additionalProperties: false, description: 'the four one-way links' },
);

const dedupe = Type.Object(
  {
    windowMs: milliseconds(0, 'how long a processed id is remembered; 0 = forever'),
    capacity: count(0, 0, 100000000, 'most ids remembered, oldest evicted first; 0 = unbounded'),
    atomic: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'true: effect and record commit together; false: the id is recorded after the effect, so a crash in between duplicates',
      }),
    ),
  },
  { additionalProperties: false, description: 'the consumer dedupe store (modes with consumerDedupe)' },
);

const sink = Type.Object(
  {
    effect: Type.Optional(
      Type.Union([Type.Literal('increment'), Type.Literal('set'), Type.Literal('append')], {
        default: 'increment',
        description:
          'what one effect does to the sink: increment adds amount to a balance (a repeat corrupts it), set writes the message as the value of its key (a repeat is harmless), append adds a row (a repeat adds a row)',
      }),
    ),
    amount: Type.Optional(
      Type.Number({ default: 1, description: 'what one increment adds (e.g. 100 for "balance += 100")' }),
    ),
    keys: count(0, 0, 100000000, 'set: message id modulo keys picks the key; 0 = one key per message'),
    isolation: Type.Optional(
      Type.Union([Type.Literal('read_uncommitted'), Type.Literal('read_committed')], {
        default: 'read_uncommitted',
        description:
          "with consumers.transactional: the isolation.level of whoever reads the sink; read_uncommitted (Kafka's default) also sees effects of aborted transactions",
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'the effect on the sink, to measure the business cost of duplicates and losses (stateError)',
  },
);

const PRESETS = ['at-most-once', 'at-least-once', 'exactly-once'] as const;

const customMode = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description: 'name of the mode in reports and checks',
    }),
    base: Type.Union(
      PRESETS.map((p) => Type.Literal(p)),
      { description: 'the preset this mode starts from' },
    ),
    ack: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('before-effect'), Type.Literal('after-effect')], {
        description:
          'auto: the broker forgets a message when it sends it; before-effect: the consumer acks on receipt; after-effect: after the effect',
      }),
    ),
    publishRetry: Type.Optional(Type.Boolean({ description: 'the producer retries unconfirmed publishes' })),
    idempotentPublish: Type.Optional(
      Type.Boolean({ description: 'the broker drops a re-published id within broker.publishDedupeWindowMs' }),
    ),
    consumerDedupe: Type.Optional(Type.Boolean({ description: 'the consumer skips ids its dedupe store remembers' })),
    producer: Type.Optional(producer),
    network: Type.Optional(network),
    broker: Type.Optional(broker),
    consumers: Type.Optional(consumers),
    dedupe: Type.Optional(dedupe),
    sink: Type.Optional(sink),
  },
  { additionalProperties: false, description: 'a custom delivery mode: a preset plus overrides' },
);

/** The scenario file schema. */
export const ScenarioSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'path or URL of this schema, for editors' })),
    name: Type.Optional(
      Type.String({ minLength: 1, description: 'name in reports; defaults to the file name without extension' }),
    ),
    summary: Type.Optional(Type.String({ default: '', description: 'one line: the lesson of the scenario' })),
    description: Type.Optional(
      Type.String({ default: '', description: 'what the scenario shows and why, in a few lines' }),
    ),
    seed: count(1, 0, 2 ** 31 - 1, 'seed of every random choice; same seed, same run'),
    messages: count(10000, 0, 50000000, 'messages to send'),
    horizonMs: Type.Optional(
      withUnit('ms', {
        exclusiveMinimum: 0,
        default: 86400000,
        description: 'the run stops at this virtual time; messages still in play are unresolved',
      }),
    ),
    maxEvents: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2 ** 31 - 1,
        description: 'the run stops after this many events (default: 1,000 per message, at least 1,000,000)',
      }),
    ),
    modes: Type.Optional(
      Type.Array(
        Type.Union([
          Type.Union(
            PRESETS.map((p) => Type.Literal(p)),
            { description: 'a preset delivery mode' },
          ),
          customMode,
        ]),
        { minItems: 1, default: [...PRESETS], description: 'delivery modes to run, each meeting the same faults' },
      ),
    ),
    producer: Type.Optional(producer),
    network: Type.Optional(network),
    broker: Type.Optional(broker),
    consumers: Type.Optional(consumers),
    dedupe: Type.Optional(dedupe),
    sink: Type.Optional(sink),
    faults: Type.Optional(Type.Array(fault, { default: [], description: 'faults at fixed times' })),
    expect: Type.Optional(
      Type.Record(Type.String(), Type.Array(Type.String()), {
        default: {},
        description: 'checks per mode name (or "all"), e.g. {at-least-once: ["lost == 0"]}',
      }),
    ),
  },
  {
    additionalProperties: false,
    title: 'acksim scenario',
    description:
      'A scenario for acksim: a producer, a lossy network, a queue broker and consumers, run under each delivery mode.',
  },
);

/** A scenario file as written (every field optional). */
export type ScenarioInput = Static<typeof ScenarioSchema>;

/** The names of the preset delivery modes. */
export { PRESETS };

/** The schema as plain JSON, with the draft and id editors expect. */
export function schemaJson(): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(ScenarioSchema)) as Record<string, unknown>;
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...plain };
}

/** The schema object used for validation. */
export const scenarioSchema: TSchema = ScenarioSchema;
