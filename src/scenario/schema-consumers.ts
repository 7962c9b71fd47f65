// The scenario schema's consumers (schema.ts): the group, its processing, its faults, and the log consumers' knobs.
import { Type } from '@sinclair/typebox';
import { count, duration, milliseconds, probability } from './schema-parts.js';

/** The consumer group. */
export const consumers = Type.Object(
  {
    count: count(1, 1, 10000, 'number of consumers'),
    prefetch: count(1, 1, 100000, 'deliveries a consumer may hold at once (RabbitMQ basic.qos prefetch)'),
    concurrency: count(1, 1, 100000, 'deliveries a consumer processes at once; the rest wait in its buffer'),
    processingMs: duration(10, 'time from the start of processing to the effect'),
    crash: Type.Optional(
      Type.Object(
        {
          probability: probability('chance that processing one delivery crashes the consumer'),
          point: Type.Optional(
            Type.Union([Type.Literal('before-effect'), Type.Literal('after-effect')], {
              default: 'after-effect',
              description: 'where the crash happens: just before the effect, or after it and before the ack',
            }),
          ),
          restartMs: milliseconds(5000, 'how long a crashed consumer stays down'),
        },
        { additionalProperties: false, description: 'random consumer crashes' },
      ),
    ),
    poisonRate: probability('chance that a message is poison: its processing fails every time and it is nacked'),
    failure: Type.Optional(
      Type.Object(
        {
          probability: probability(
            'chance that one processing attempt fails (a downstream timeout or 503): the consumer nacks it, the broker redelivers it (after broker.redeliveryBackoff) and dead-letters it after maxDeliveries',
          ),
        },
        {
          additionalProperties: false,
          description: 'transient processing failures, each attempt independent of the others (unlike poison)',
        },
      ),
    ),
    leaseExtension: Type.Optional(
      Type.Object(
        {
          intervalMs: milliseconds(
            0,
            'how often the consumer extends the lease of a delivery it holds (SQS ChangeMessageVisibility, Pub/Sub modAckDeadline, Azure RenewLock, NATS +WPI, Redis XCLAIM JUSTID); 0: it never does',
          ),
          extendToMs: milliseconds(
            0,
            "the lease an extension asks for, from when it reaches the broker; 0: the delivery's visibility timeout",
          ),
          maxMs: milliseconds(
            43200000,
            'the consumer stops extending a delivery this long after it started (SQS: 12 h; the Pub/Sub clients: maxExtension, 60 min)',
          ),
          buffered: Type.Optional(
            Type.Boolean({
              default: false,
              description:
                "extend deliveries waiting in the consumer's buffer too, not only the ones being processed (Pub/Sub's lease management does; many SQS consumers do not)",
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            'a heartbeat that keeps the visibility timeout of held deliveries from running out; each extension travels the ack link, and a lost or late one lets the lease expire',
        },
      ),
    ),
    stall: Type.Optional(
      Type.Object(
        {
          probability: probability(
            "chance that the consumer freezes at the start of a delivery's processing (a GC pause, a blocked event loop): it processes nothing and sends no extension until the stall ends",
          ),
          durationMs: milliseconds(40000, 'how long a stall lasts'),
        },
        { additionalProperties: false, description: 'consumer stalls' },
      ),
    ),
    commit: Type.Optional(
      Type.Union(
        [
          Type.Literal('by-mode'),
          Type.Literal('auto'),
          Type.Literal('before-processing'),
          Type.Literal('after-processing'),
        ],
        {
          default: 'by-mode',
          description:
            "log: when offsets are committed: auto (enable.auto.commit: the poll position every autoCommitIntervalMs), before or after processing a batch; by-mode follows the mode's ack (after-effect: after, otherwise before)",
        },
      ),
    ),
    autoCommitIntervalMs: milliseconds(5000, 'log: auto.commit.interval.ms (Kafka: 5 s)'),
    maxPollRecords: count(500, 1, 1000000, 'log: max.poll.records, most records one poll returns (Kafka: 500)'),
    maxPollIntervalMs: milliseconds(
      300000,
      'log: max.poll.interval.ms; a consumer that does not poll again within it leaves the group (Kafka: 300 s)',
    ),
    sessionTimeoutMs: milliseconds(
      45000,
      'log: session.timeout.ms; a crashed consumer is noticed after it (Kafka: 45 s)',
    ),
    pollLoop: Type.Optional(
      Type.Union([Type.Literal('sync'), Type.Literal('async')], {
        default: 'sync',
        description:
          'log: sync processes each batch before polling again; async hands records to `concurrency` workers and polls on at once',
      }),
    ),
    fetchWaitMs: milliseconds(
      500,
      'how long a poll that finds nothing waits before the next: log, fetch.max.wait.ms (Kafka: 500); queue with broker.delivery pull, the block time of a read (XREADGROUP BLOCK), cut short by a new message, and by an expired delivery only with broker.pullRedelivery at-once',
    ),
    transactional: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "log: consume-transform-produce in a Kafka transaction (transactional.id, sendOffsetsToTransaction): a batch's effects and offsets commit together, a crash or a fenced zombie aborts them; `commit` is then ignored",
      }),
    ),
  },
  { additionalProperties: false, description: 'the consumer group' },
);
