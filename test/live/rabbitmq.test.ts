// `acksim live` against a real RabbitMQ (quorum queue, publisher confirms, manual acks, delivery limit),
// predicted with the rabbitmq-quorum profile: a timed-out delivery closes its whole channel.
import { startRabbit } from './servers.js';
import { liveSuite } from './suite.js';

liveSuite({
  broker: 'RabbitMQ',
  start: startRabbit,
  scheme: 'rabbitmq',
  defaultPort: 5672,
  foreignProfile: 'sqs-standard',
  cases: [
    ['lost-acks', 2000, 'at-most-once,at-least-once,exactly-once', 0.1],
    ['crash-after-effect', 2000, 'at-least-once,exactly-once,exactly-once-nonatomic', 0.1],
    ['visibility-timeout-too-short', 1000, 'at-least-once,exactly-once', 0.05],
    ['ack-partition', 6000, 'at-least-once', 0.1],
  ],
});
