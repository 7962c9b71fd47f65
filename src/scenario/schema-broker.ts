// The scenario schema's broker (schema.ts): queue or log, its timeouts, limits and delivery rules.
import { Type } from '@sinclair/typebox';
import { PROFILE_NAMES } from './profiles.js';
import { count, milliseconds, nonNegative, pricing, probability } from './schema-parts.js';

/** The broker. */
export const broker = Type.Object(
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
    pullRedelivery: Type.Optional(
      Type.Union([Type.Literal('on-ask'), Type.Literal('at-once')], {
        default: 'on-ask',
        description:
          "pull: when a delivery whose visibility timeout passed (or a nacked one) goes out again: on-ask, at a consumer's next ask, claimed before new messages (Redis XAUTOCLAIM; a blocked XREADGROUP wakes for a new entry only); at-once, to the consumer that has waited longest, as NATS JetStream answers a waiting pull request from its redelivery queue first",
      }),
    ),
    askOvertakesAcks: probability(
      "pull: the chance that a consumer's ask for its next batch, sent right after its acks, is served before them: 0 where one connection's commands run in order (Redis); NATS JetStream queues acks apart from pull requests, so a pull can be handed back the message just acked when its AckWait had passed (a race: 20 of 35 such pulls won it on nats-server 2.9)",
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
