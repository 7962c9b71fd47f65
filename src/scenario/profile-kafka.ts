// The log broker's profile: Kafka's producer and consumer defaults, each with its source (profiles.ts lists it with
// the queues').
import type { Profile } from './profile-types.js';

const KAFKA_PRODUCER = 'apache/kafka clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java';
const KAFKA_CONSUMER = 'apache/kafka clients/src/main/java/org/apache/kafka/clients/consumer/ConsumerConfig.java';

/** Apache Kafka: a log broker with the Java client's defaults. */
export const KAFKA: Profile = {
  name: 'kafka',
  system: 'Apache Kafka (Java client defaults)',
  version: 'Kafka 3.x clients',
  settings: [
    {
      path: 'broker.kind',
      value: 'log',
      knob: 'partitions with offsets; consumers commit positions, not per-message acks',
      source: 'apache/kafka docs/design.html',
    },
    {
      path: 'broker.replicas',
      value: 3,
      knob: 'replication.factor = 3 as production clusters run it (the broker-side default.replication.factor is 1)',
      source: 'apache/kafka docs/design.html',
    },
    { path: 'producer.acks', value: 'all', knob: 'acks = all (the default since 3.0)', source: KAFKA_PRODUCER },
    {
      path: 'producer.confirmTimeoutMs',
      value: 30_000,
      knob: 'request.timeout.ms = 30,000 ms',
      source: KAFKA_PRODUCER,
    },
    {
      path: 'producer.retry.maxAttempts',
      value: 0,
      knob: 'retries = Integer.MAX_VALUE (unlimited; bounded in time by delivery.timeout.ms = 120 s)',
      source: KAFKA_PRODUCER,
    },
    {
      path: 'producer.maxInFlight',
      value: 5,
      knob: 'max.in.flight.requests.per.connection = 5',
      source: KAFKA_PRODUCER,
    },
    { path: 'producer.retry.baseMs', value: 100, knob: 'retry.backoff.ms = 100 ms', source: KAFKA_PRODUCER },
    { path: 'producer.retry.maxMs', value: 1000, knob: 'retry.backoff.max.ms = 1,000 ms', source: KAFKA_PRODUCER },
    {
      path: 'broker.publishDedupe',
      value: true,
      knob: 'the broker drops a retried batch by producer id and sequence number',
      source: KAFKA_PRODUCER,
    },
    {
      path: 'producer.idempotent',
      value: true,
      knob: 'enable.idempotence = true (the default since 3.0)',
      source: KAFKA_PRODUCER,
    },
    {
      path: 'broker.publishDedupeWindowMs',
      value: 0,
      knob: 'no window: sequence numbers last as long as the producer',
      source: KAFKA_PRODUCER,
    },
    { path: 'consumers.commit', value: 'auto', knob: 'enable.auto.commit = true', source: KAFKA_CONSUMER },
    {
      path: 'consumers.autoCommitIntervalMs',
      value: 5000,
      knob: 'auto.commit.interval.ms = 5,000 ms',
      source: KAFKA_CONSUMER,
    },
    { path: 'consumers.maxPollRecords', value: 500, knob: 'max.poll.records = 500', source: KAFKA_CONSUMER },
    {
      path: 'consumers.maxPollIntervalMs',
      value: 300_000,
      knob: 'max.poll.interval.ms = 300,000 ms (5 min)',
      source: KAFKA_CONSUMER,
    },
    {
      path: 'consumers.sessionTimeoutMs',
      value: 45_000,
      knob: 'session.timeout.ms = 45,000 ms',
      source: KAFKA_CONSUMER,
    },
    { path: 'consumers.fetchWaitMs', value: 500, knob: 'fetch.max.wait.ms = 500 ms', source: KAFKA_CONSUMER },
  ],
  notes:
    "enable.idempotence is on in every mode (producer.idempotent: false models it off, as before 3.0 or with conflicting settings); its sequence numbers also keep each partition in order with 5 requests in flight. Transactions (consume-transform-produce) are off as in Kafka: consumers.transactional: true turns them on, and sink.isolation sets the reader's isolation.level (default read_uncommitted, as in Kafka).",
};

/** Every profile, by name. */
