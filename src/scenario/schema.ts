// The scenario file format as a JSON Schema (built with TypeBox, which also gives the input type).
// Every field is optional, carries its default and a description; units are in the names.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { PROFILE_NAMES } from './profiles.js';
import { consumers } from './schema-consumers.js';
import {
  count,
  duration,
  fault,
  link,
  milliseconds,
  nonNegative,
  pricing,
  probability,
  withUnit,
} from './schema-parts.js';

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

const broker = Type.Object(
  {
    profile: Type.Optional(
      Type.Union(
        PROFILE_NAMES.map((name) => Type.Literal(name)),
        {
          description:
            "a real broker's delivery defaults (see `acksim profiles`); every field written here still wins over the profile's",
        },
      ),
    ),
    kind: Type.Optional(
      Type.Union([Type.Literal('queue'), Type.Literal('log')], {
        default: 'queue',
        description:
          'queue: per-message acks, visibility timeouts and redelivery (SQS, RabbitMQ, Pub/Sub); log: partitions with offsets that consumers commit (Kafka)',
      }),
    ),
    partitions: count(1, 1, 10000, 'log: partitions of the topic; message id modulo partitions picks one'),
    replicas: count(1, 1, 100, 'log: copies of each partition, the leader included (Kafka replication.factor)'),
    replicationLagMs: milliseconds(
      5,
      'log: how long followers take to copy a write; consumers read only replicated records (the high watermark)',
    ),
    visibilityTimeoutMs: milliseconds(
      30000,
      'a delivered message stays invisible this long, then is redelivered unless acked (SQS default: 30 s)',
    ),
    visibilityTimeoutsMs: Type.Optional(
      Type.Array(Type.Number({ minimum: 0 }), {
        maxItems: 100,
        default: [],
        description:
          "per delivery, in ms: the k-th delivery's visibility timeout is the k-th entry, the last repeating, in place of visibilityTimeoutMs (NATS JetStream BackOff, which replaces AckWait); [] = none",
      }),
    ),
    maxDeliveries: count(
      0,
      0,
      1000000,
      'deliveries after which an unacked message goes to the dead-letter queue; 0 = unlimited',
    ),
    retentionMs: milliseconds(0, 'a stored message expires this long after it was stored; 0 = forever'),
    durable: Type.Optional(
      Type.Boolean({ default: true, description: 'false: a broker crash loses every message it holds' }),
    ),
    maxPublishPerSec: nonNegative(
      0,
      'publishes accepted per second of virtual time, the rest rejected (throttled); 0 = unlimited',
    ),
    publishDedupeWindowMs: milliseconds(
      300000,
      'idempotent publish (modes with idempotentPublish): a re-published id is dropped within this window; 0 = forever (SQS FIFO: 5 min)',
    ),
    publishDedupe: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'whether the broker can drop re-published ids at all (SQS FIFO, NATS Nats-Msg-Id, Azure duplicate detection); false: idempotentPublish has no effect',
      }),
    ),
    messageGroups: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "queue broker: a message's key (producer.keys) is its group (SQS FIFO MessageGroupId, Service Bus sessions, Pub/Sub ordering keys): while a message of a group is out, the group's next one waits, so a message that keeps failing blocks its group until it dead-letters (groupBlockedMs)",
      }),
    ),
    pricing,
    deadLetter: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'over maxDeliveries: true moves the message to the dead-letter queue, false drops it (a loss: deliveryLimit)',
      }),
    ),
    visibilityTimeoutScope: Type.Optional(
      Type.Union([Type.Literal('delivery'), Type.Literal('channel')], {
        default: 'delivery',
        description:
          'what the visibility timeout takes back: the expired delivery only (SQS, Pub/Sub, NATS, Redis), or every unacked delivery of that consumer, whose channel the broker closes (RabbitMQ consumer_timeout); work in progress still runs its effect, but its ack is lost with the channel',
      }),
    ),
    prefetchCountsUnacked: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "what a consumer's prefetch counts: false, the deliveries it holds (free again when processed: SQS, Pub/Sub, Redis); true, its deliveries not yet acked at the broker (RabbitMQ basic.qos): a lost ack keeps its slot taken",
      }),
    ),
    requeueOnDisconnect: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "a crashed consumer's unacked deliveries are requeued at once (RabbitMQ), instead of at their visibility timeout",
      }),
    ),
    lateAcks: Type.Optional(
      Type.Union([Type.Literal('ignored'), Type.Literal('accepted')], {
        default: 'ignored',
        description:
          'an ack from a delivery that is no longer the latest (its visibility timeout passed and the message went out again): ignored, as SQS ignores an old receipt handle (and RabbitMQ an ack on a closed channel); accepted, as Redis XACK (by entry id) and NATS JetStream (by stream sequence) take it: the message is settled, a redelivery not yet sent never goes out, and one in progress still runs its effect',
      }),
    ),
    delivery: Type.Optional(
      Type.Union([Type.Literal('push'), Type.Literal('pull')], {
        default: 'push',
        description:
          'how messages reach consumers: push, the broker sends one to any consumer with room in its prefetch, filling its buffer (RabbitMQ basic.consume); pull, a consumer that holds nothing asks for up to prefetch messages, redelivered ones first, and waits up to consumers.fetchWaitMs for a new one when there are none: a delivery whose visibility timeout passed goes out again only when a consumer asks (Redis XAUTOCLAIM, then XREADGROUP COUNT)',
      }),
    ),
    redeliveryBackoff: Type.Optional(
      Type.Object(
        {
          minMs: milliseconds(0, 'delay before the first redelivery; 0 = none'),
          maxMs: milliseconds(0, 'largest delay (the delay doubles per delivery)'),
        },
        {
          additionalProperties: false,
          description:
            'delay before a nacked or expired message can be delivered again (Pub/Sub retry policy: 10 s to 600 s)',
        },
      ),
    ),
  },
  { additionalProperties: false, description: 'the broker' },
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
