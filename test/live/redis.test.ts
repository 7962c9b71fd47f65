// `acksim live` against a real Redis (Streams, consumer group, XAUTOCLAIM).
import { startRedis } from './servers.js';
import { liveSuite } from './suite.js';

liveSuite({
  broker: 'Redis Streams',
  start: startRedis,
  scheme: 'redis',
  defaultPort: 6379,
  foreignProfile: 'rabbitmq-quorum',
  cases: [
    ['lost-acks', 2000, 'at-most-once,at-least-once,exactly-once', 0.1],
    ['crash-after-effect', 2000, 'at-least-once,exactly-once,exactly-once-nonatomic', 0.1],
    ['visibility-timeout-too-short', 600, 'at-least-once,exactly-once', 0.05],
    ['ack-partition', 6000, 'at-least-once', 0.1],
  ],
});
