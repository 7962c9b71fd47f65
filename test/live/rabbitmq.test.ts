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
    // No-ack consumers get every message pushed (RabbitMQ ignores prefetch for them). A restart costs
    // the client a basic.consume round trip: 20 to 45 ms of the scenario at 0.2 (restartMs is 100),
    // which moves the model by about 2 points against a tolerance of about 5.5. A machine three times
    // slower is refused ("try --time-scale 0.5"). A model that kept no-ack consumers to prefetch 5
    // says 16.5 %, far outside the interval.
    ['test/live/fixtures/prefetch-crash.yaml', 1000, 'at-most-once', 0.2],
    // The consumer timeout closes the channel, taking the other message back too. At 0.02 a
    // delivery's overhead is about 10 ms of the scenario, which moves the model by under a point
    // against a tolerance of about 3.5; a machine eight times slower is refused ("try --time-scale 0.05").
    ['test/live/fixtures/concurrent-timeout.yaml', 400, 'at-least-once', 0.02],
  ],
});
