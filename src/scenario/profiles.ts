// Broker profiles: the delivery defaults of real systems, each value with the setting it models and
// where the value comes from. A scenario picks one with `broker.profile`; any field it writes itself
// still wins. One table serves the loader, `acksim profiles` and docs/profiles.md.
import { withPricing } from './pricing.js';
import { KAFKA } from './profile-kafka.js';
import { NATS_JETSTREAM, REDIS_STREAMS } from './profile-streams.js';

import type { Profile, ProfileSetting } from './profile-types.js';

export type { Profile, ProfileSetting } from './profile-types.js';

const SQS_DOCS = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/';
const sqsCommon: ProfileSetting[] = [
  {
    path: 'broker.visibilityTimeoutMs',
    value: 30_000,
    knob: 'VisibilityTimeout = 30 s (0 s to 12 h)',
    source: 'https://docs.aws.amazon.com/cli/v1/reference/sqs/change-message-visibility.html',
  },
  {
    path: 'broker.maxDeliveries',
    value: 0,
    knob: 'RedrivePolicy.maxReceiveCount: no dead-letter queue unless configured',
    source: `${SQS_DOCS}sqs-dead-letter-queues.html`,
  },
  {
    path: 'broker.deadLetter',
    value: true,
    knob: 'with a redrive policy, over maxReceiveCount goes to the DLQ',
    source: `${SQS_DOCS}sqs-dead-letter-queues.html`,
  },
  {
    path: 'broker.retentionMs',
    value: 4 * 86_400_000,
    knob: 'MessageRetentionPeriod = 4 days (60 s to 14 days)',
    source: 'https://www.rubydoc.info/gems/aws-sdk-sqs/1.10.0/Aws/SQS/Resource',
  },
  {
    path: 'broker.requeueOnDisconnect',
    value: false,
    knob: 'a received message stays invisible until its visibility timeout, whatever the consumer does',
    source: `${SQS_DOCS}sqs-visibility-timeout.html`,
  },
  {
    path: 'consumers.prefetch',
    value: 1,
    knob: 'ReceiveMessage MaxNumberOfMessages = 1 (1 to 10)',
    source: 'https://www.rubydoc.info/gems/aws-sdk-sqs/1.69.0/Aws/SQS/Types/ReceiveMessageRequest',
  },
];

const RABBIT = 'https://www.rabbitmq.com/docs/';
const rabbitCommon: ProfileSetting[] = [
  {
    path: 'broker.visibilityTimeoutMs',
    value: 1_800_000,
    knob: 'consumer_timeout = 30 min (1,800,000 ms)',
    source: `${RABBIT}consumers`,
  },
  {
    path: 'broker.visibilityTimeoutScope',
    value: 'channel',
    knob: 'a delivery not acked within consumer_timeout closes its channel (PRECONDITION_FAILED): every unacked delivery on it is requeued',
    source: `${RABBIT}consumers`,
  },
  {
    path: 'broker.prefetchCountsUnacked',
    value: true,
    knob: 'basic.qos prefetch limits the deliveries not yet acked: a consumer whose acks are lost stops receiving',
    source: `${RABBIT}consumer-prefetch`,
  },
  {
    path: 'broker.requeueOnDisconnect',
    value: true,
    knob: 'manual ack: unacked deliveries are requeued when their channel or connection closes',
    source: `${RABBIT}confirms`,
  },
  {
    path: 'broker.publishDedupe',
    value: false,
    knob: 'publisher confirms, but no broker dedupe: a resent unconfirmed message is stored twice',
    source: `${RABBIT}confirms`,
  },
];

/** The queue brokers. */
const QUEUE_PROFILES: readonly Profile[] = [
  {
    name: 'sqs-standard',
    system: 'Amazon SQS, standard queue',
    version: 'AWS documentation, 2024',
    settings: [
      ...sqsCommon,
      {
        path: 'broker.publishDedupe',
        value: false,
        knob: 'standard queues: at-least-once, no dedupe',
        source: `${SQS_DOCS}standard-queues.html`,
      },
    ],
    notes:
      'SQS may itself deliver a copy twice (a missed delete); add network.deliver.duplicate to model it. Order is not kept. The SDKs do not extend visibility themselves; consumers call ChangeMessageVisibility (up to 12 h from the receive): bbc/sqs-consumer heartbeatInterval, Spring Cloud AWS: model it with consumers.leaseExtension (extendToMs: the new timeout).',
  },
  {
    name: 'sqs-fifo',
    system: 'Amazon SQS, FIFO queue',
    version: 'AWS documentation, 2024',
    settings: [
      ...sqsCommon,
      {
        path: 'broker.publishDedupe',
        value: true,
        knob: 'MessageDeduplicationId (or content-based): a repeat within the interval is accepted but not delivered',
        source: `${SQS_DOCS}FIFO-key-terms.html`,
      },
      {
        path: 'broker.publishDedupeWindowMs',
        value: 300_000,
        knob: 'deduplication interval = 5 min',
        source: `${SQS_DOCS}FIFO-key-terms.html`,
      },
    ],
    notes:
      'Dedupe is on send only: it does not stop redelivery after a visibility timeout. Message groups and ordering are not modelled. Visibility is extended as on a standard queue (ChangeMessageVisibility: consumers.leaseExtension).',
  },
  {
    name: 'rabbitmq-quorum',
    system: 'RabbitMQ quorum queue (AMQP 0-9-1, manual ack)',
    version: '4.0 and later',
    settings: [
      ...rabbitCommon,
      {
        path: 'broker.maxDeliveries',
        value: 20,
        knob: 'delivery-limit = 20 (since 4.0; -1 = unlimited), counted in x-delivery-count',
        source: `${RABBIT}quorum-queues`,
      },
      {
        path: 'broker.deadLetter',
        value: false,
        knob: 'over the delivery limit a message is dropped unless a dead-letter exchange is set',
        source: `${RABBIT}quorum-queues`,
      },
    ],
    notes:
      'Automatic ack is the at-most-once preset (ack: auto). Since 4.3 the delivery count grows on reject and crash, not on nack or consumer timeout; acksim counts every delivery. RabbitMQ has no lease to extend: consumer_timeout is raised per queue or consumer, not renewed.',
  },
  {
    name: 'rabbitmq-classic',
    system: 'RabbitMQ classic queue (AMQP 0-9-1, manual ack)',
    version: '3.12 to 4.2',
    settings: [
      ...rabbitCommon,
      {
        path: 'broker.maxDeliveries',
        value: 0,
        knob: 'no delivery limit on classic queues',
        source: `${RABBIT}quorum-queues`,
      },
    ],
    notes:
      'From 4.3 consumer_timeout applies to quorum queues only; set broker.visibilityTimeoutMs very high to model that.',
  },
  {
    name: 'pubsub',
    system: 'Google Cloud Pub/Sub, pull subscription',
    version: 'google/pubsub/v1 API, 2024',
    settings: [
      {
        path: 'broker.visibilityTimeoutMs',
        value: 10_000,
        knob: 'ack_deadline_seconds = 10 s (10 to 600 s)',
        source: 'googleapis/googleapis google/pubsub/v1/pubsub.proto',
      },
      {
        path: 'broker.redeliveryBackoff',
        value: { minMs: 10_000, maxMs: 600_000 },
        knob: 'RetryPolicy minimum_backoff = 10 s, maximum_backoff = 600 s, on nack or deadline expiry',
        source: 'https://cloud.google.com/php/docs/reference/cloud-pubsub/latest/V1.RetryPolicy',
      },
      {
        path: 'broker.maxDeliveries',
        value: 0,
        knob: 'DeadLetterPolicy off by default; max_delivery_attempts 5 to 100 when set',
        source: 'googleapis/googleapis google/pubsub/v1/pubsub.proto',
      },
      {
        path: 'broker.retentionMs',
        value: 7 * 86_400_000,
        knob: 'message retention = 7 days',
        source: 'googleapis/googleapis google/pubsub/v1/pubsub.proto',
      },
      {
        path: 'broker.publishDedupe',
        value: false,
        knob: 'a double publish gets two message IDs and both are delivered',
        source: 'https://cloud.google.com/pubsub/docs/exactly-once-delivery',
      },
    ],
    notes:
      'The client libraries manage leases: they send modAckDeadline for the messages they hold until the ack, up to a maximum extension (the Python and Node clients: 60 min); model it with consumers.leaseExtension (buffered: true, maxMs 3600000). Without it, the pubsub-ack-deadline lesson; extending only what is being processed, pubsub-buffered-lease-not-extended. Exactly-once delivery subscriptions are not modelled.',
  },
  NATS_JETSTREAM,
  REDIS_STREAMS,
  {
    name: 'azure-service-bus',
    system: 'Azure Service Bus queue, PeekLock',
    version: 'Azure.Messaging.ServiceBus 7',
    settings: [
      {
        path: 'broker.visibilityTimeoutMs',
        value: 60_000,
        knob: 'LockDuration = 60 s (max 5 min)',
        source:
          'Azure/azure-sdk-for-net sdk/servicebus/Azure.Messaging.ServiceBus/src/Administration/CreateQueueOptions.cs',
      },
      {
        path: 'broker.maxDeliveries',
        value: 10,
        knob: 'MaxDeliveryCount = 10, then the dead-letter sub-queue',
        source:
          'Azure/azure-sdk-for-net sdk/servicebus/Azure.Messaging.ServiceBus/src/Administration/CreateQueueOptions.cs',
      },
      {
        path: 'broker.deadLetter',
        value: true,
        knob: 'dead-letter sub-queue',
        source: 'Azure/azure-sdk-for-net CreateQueueOptions.cs',
      },
      {
        path: 'broker.publishDedupe',
        value: false,
        knob: 'RequiresDuplicateDetection = false (set broker.publishDedupe: true to turn it on)',
        source: 'Azure/azure-sdk-for-net CreateQueueOptions.cs',
      },
      {
        path: 'broker.publishDedupeWindowMs',
        value: 60_000,
        knob: 'DuplicateDetectionHistoryTimeWindow = 1 min in the .NET SDK (10 min in ARM templates; 20 s to 7 days)',
        source:
          'https://learn.microsoft.com/en-ca/dotnet/api/azure.resourcemanager.servicebus.servicebustopicdata.duplicatedetectionhistorytimewindow',
      },
    ],
    notes: 'ReceiveAndDelete: at-most-once. Processor lock renewal (5 min by default): consumers.leaseExtension.',
  },
];

export const PROFILES: readonly Profile[] = withPricing([...QUEUE_PROFILES, KAFKA]);
/** Profile names, for the schema. */
export const PROFILE_NAMES = PROFILES.map((p) => p.name);

/** The defaults of a profile as a nested object, ready to merge under a scenario. */
export function profileDefaults(name: string): Record<string, unknown> {
  const profile = PROFILES.find((p) => p.name === name);
  const out: Record<string, unknown> = {};
  for (const setting of profile?.settings ?? []) {
    const keys = setting.path.split('.');
    let at = out;
    for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    at[keys[keys.length - 1]!] = structuredClone(setting.value);
  }
  return out;
}
