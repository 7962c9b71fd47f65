// The NATS JetStream harness's pure parts: the URL, what JetStream refuses, the consumer it asks for.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { parseBrokerUrl, type BrokerAddress } from '../../../src/live/broker-url.js';
import { unsupportedLive } from '../../../src/live/fidelity.js';
import { natsConnectOptions } from '../../../src/live/nats-connection.js';
import { deliveredCount } from '../../../src/live/nats-consumer.js';
import { consumerConfig, nanos, natsName } from '../../../src/live/nats-harness.js';
import { config, preset, type ConfigOverrides } from '../../helpers.js';

const jetStream = {
  visibilityTimeoutScope: 'delivery',
  prefetchCountsUnacked: false,
  requeueOnDisconnect: false,
  lateAcks: 'accepted',
  delivery: 'pull',
  pullRedelivery: 'at-once',
  askOvertakesAcks: 0.5,
} satisfies ConfigOverrides['broker'];

const fields = (overrides: ConfigOverrides) =>
  unsupportedLive(config({ ...overrides, broker: { ...jetStream, ...overrides.broker } }), 'nats').map(
    (p) => p.split(':')[0],
  );

describe('live on NATS JetStream', () => {
  it('parses nats:// with its default port and credentials, which only the client sees', () => {
    const address = parseBrokerUrl('nats://acksim:s3cret@127.0.0.1', false) as BrokerAddress;
    expect(address).toMatchObject({
      kind: 'nats',
      host: '127.0.0.1',
      port: 4222,
      shown: 'nats://acksim:***@127.0.0.1',
    });
    expect(natsConnectOptions(address, 1000)).toMatchObject({
      servers: '127.0.0.1:4222',
      user: 'acksim',
      pass: 's3cret',
      reconnect: false,
    });
    const token = parseBrokerUrl('nats://t0ken@[::1]:4333', false) as BrokerAddress;
    expect(natsConnectOptions(token, 1000)).toMatchObject({ servers: '[::1]:4333', token: 't0ken' });
    // A user with an empty password is shown as a user (`name:`), so it is sent as one, never as a token.
    const emptyPassword = natsConnectOptions(parseBrokerUrl('nats://name:@127.0.0.1', false) as BrokerAddress, 1000);
    expect(emptyPassword).toMatchObject({ user: 'name', pass: '' });
    expect(emptyPassword).not.toHaveProperty('token');
    expect(parseBrokerUrl('nats://10.0.0.1:4222', false)).toMatch(/not a loopback address/);
    expect(parseBrokerUrl('kafka://127.0.0.1', false)).toBe(
      '--broker "kafka://127.0.0.1": unknown scheme "kafka:" (allowed: redis://, rabbitmq://, nats://)',
    );
  });

  it('takes the pull model JetStream has and refuses the push and channel ones, naming its profile', () => {
    expect(fields({})).toEqual([]);
    // Redis's way of serving pulls: a redelivery waits for an ask, and an ask never overtakes an ack.
    expect(fields({ broker: { pullRedelivery: 'on-ask', askOvertakesAcks: 0 } })).toEqual([
      'broker.pullRedelivery',
      'broker.askOvertakesAcks',
    ]);
    const rabbit = {
      visibilityTimeoutScope: 'channel',
      prefetchCountsUnacked: true,
      requeueOnDisconnect: true,
    } as const;
    expect(unsupportedLive(config({ broker: { ...rabbit, delivery: 'push' } }), 'nats')).toEqual([
      "broker.visibilityTimeoutScope: JetStream's AckWait times out one delivery (allowed: delivery; --profile nats-jetstream sets it)",
      'broker.prefetchCountsUnacked: a pull request’s batch limits one pull, not what is unacked (allowed: false; --profile nats-jetstream sets it)',
      'broker.requeueOnDisconnect: JetStream redelivers a gone consumer’s messages at their AckWait (allowed: false; --profile nats-jetstream sets it)',
      'broker.lateAcks: JetStream takes an ack after AckWait (it names the stream sequence) (allowed: accepted; --profile nats-jetstream sets it)',
      'broker.delivery: the live NATS consumers pull: a pull request for up to prefetch messages once the last batch is processed (allowed: pull; --profile nats-jetstream sets it)',
    ]);
  });

  it('runs publish dedupe, a delivery limit with or without dead letters, BackOff and leases; refuses a redelivery delay', () => {
    // Nats-Msg-Id: the one live broker with publish dedupe.
    expect(fields({ broker: { publishDedupe: true }, mode: preset('exactly-once') })).toEqual([]);
    expect(fields({ broker: { maxDeliveries: 3, deadLetter: false } })).toEqual([]);
    expect(fields({ broker: { maxDeliveries: 3, deadLetter: true } })).toEqual([]);
    expect(fields({ broker: { visibilityTimeoutsMs: [1000, 5000] } })).toEqual([]);
    expect(fields({ consumers: { leaseExtension: { intervalMs: 1000 } } })).toEqual([]);
    expect(fields({ broker: { redeliveryBackoff: { minMs: 1000, maxMs: 5000 } } })).toEqual([
      'broker.redeliveryBackoff',
    ]);
    // JetStream wants MaxDeliver above the BackOff's length; a BackOff of 0 it refuses.
    expect(
      unsupportedLive(config({ broker: { ...jetStream, maxDeliveries: 2, visibilityTimeoutsMs: [1, 2] } }), 'nats'),
    ).toEqual([
      "broker.visibilityTimeoutsMs: JetStream wants MaxDeliver (maxDeliveries, 2) above the BackOff's length (allowed: at most 1 entries)",
    ]);
    expect(fields({ broker: { visibilityTimeoutsMs: [0, 1000] } })).toEqual(['broker.visibilityTimeoutsMs']);
    // Other brokers have one timeout for every delivery.
    const redisPulls = { pullRedelivery: 'on-ask', askOvertakesAcks: 0 } as const;
    expect(
      unsupportedLive(config({ broker: { ...jetStream, ...redisPulls, visibilityTimeoutsMs: [1000] } }), 'redis'),
    ).toEqual(['broker.visibilityTimeoutsMs: Redis has one timeout for every delivery (allowed: [])']);
  });

  it('asks for a consumer with the scaled AckWait or BackOff, MaxDeliver, the mode’s ack policy and no ack-pending limit', () => {
    const real = (ms: number) => ms * 0.1;
    expect(consumerConfig(config({ broker: { visibilityTimeoutMs: 30_000, maxDeliveries: 0 } }), real)).toEqual({
      durable_name: 'acksim',
      ack_policy: 'explicit',
      ack_wait: 3_000_000_000,
      max_deliver: -1,
      max_ack_pending: -1,
    });
    const backoff = consumerConfig(
      config({ broker: { visibilityTimeoutsMs: [1000, 5000], maxDeliveries: 0 }, mode: preset('at-most-once') }),
      real,
    );
    expect(backoff).toMatchObject({ ack_policy: 'none', backoff: [100_000_000, 500_000_000], max_deliver: 1_000_000 });
    expect(consumerConfig(config({ broker: { maxDeliveries: 4 } }), real).max_deliver).toBe(4);
    expect(nanos(0.2)).toBe(1_000_000);
    // The delivery count in an ack subject, with and without a domain and account hash.
    expect(deliveredCount('$JS.ACK.acksim-s.acksim.3.17.40.1796200831427861078.2')).toBe(3);
    expect(deliveredCount('$JS.ACK.hub.ACCHASH.acksim-s.acksim.2.17.40.1796200831427861078.2.tok')).toBe(2);
    expect(natsName('lost-acks-at-least-once.v2 x-42-7')).toBe('acksim-lost-acks-at-least-once_v2_x-42-7');
  });
});
