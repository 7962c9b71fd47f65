// The live harness's pure parts: what each broker refuses, the RabbitMQ queue's arguments, and the
// fidelity verdict (the wider of Wilson's and the batch interval).
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { fidelityOf, unsupportedLive } from '../../../src/live/fidelity.js';
import { queueArguments } from '../../../src/live/rabbitmq-harness.js';
import { config, measured, preset, type ConfigOverrides } from '../../helpers.js';

describe('live harness', () => {
  it('refuses broker fields that contradict the real broker, naming the profile that sets them', () => {
    const redisLike = config({
      broker: {
        visibilityTimeoutScope: 'delivery',
        prefetchCountsUnacked: false,
        requeueOnDisconnect: false,
        lateAcks: 'accepted',
        delivery: 'pull',
      },
    });
    expect(unsupportedLive(redisLike, 'redis')).toEqual([]);
    expect(unsupportedLive(redisLike, 'rabbitmq')).toEqual([
      "broker.visibilityTimeoutScope: RabbitMQ's consumer timeout closes the whole channel (allowed: channel; --profile rabbitmq-quorum sets it)",
      "broker.prefetchCountsUnacked: RabbitMQ's basic.qos counts the deliveries not yet acked (allowed: true; --profile rabbitmq-quorum sets it)",
      'broker.requeueOnDisconnect: RabbitMQ requeues the unacked deliveries of a closed connection (allowed: true; --profile rabbitmq-quorum sets it)',
      'broker.delivery: RabbitMQ pushes (basic.consume): it fills each consumer’s prefetch as messages arrive (allowed: push; the default)',
    ]);
    const rabbitLike = config({
      broker: {
        visibilityTimeoutScope: 'channel',
        prefetchCountsUnacked: true,
        requeueOnDisconnect: true,
        delivery: 'push',
      },
    });
    expect(unsupportedLive(rabbitLike, 'rabbitmq')).toEqual([]);
    expect(unsupportedLive(rabbitLike, 'redis').map((p) => p.split(':')[0])).toEqual([
      'broker.visibilityTimeoutScope',
      'broker.prefetchCountsUnacked',
      'broker.requeueOnDisconnect',
      'broker.lateAcks',
      'broker.delivery',
    ]);
    // JetStream's way of serving pulls is not Redis's: a redelivery waits for an ask, which never overtakes an ack.
    const jetStreamLike = config({
      broker: { ...redisLike.broker, pullRedelivery: 'at-once', askOvertakesAcks: 0.5 },
    });
    expect(unsupportedLive(jetStreamLike, 'redis').map((p) => p.split(':')[0])).toEqual([
      'broker.pullRedelivery',
      'broker.askOvertakesAcks',
    ]);
  });

  it('runs lease extension on Redis as XCLAIM JUSTID (a whole timeout, what is processed) and refuses it on RabbitMQ', () => {
    const broker = {
      visibilityTimeoutScope: 'delivery',
      prefetchCountsUnacked: false,
      requeueOnDisconnect: false,
      lateAcks: 'accepted',
      delivery: 'pull',
      visibilityTimeoutMs: 3000,
    } as const;
    const lease = (consumers: ConfigOverrides['consumers']) =>
      config({ broker, consumers: { prefetch: 4, concurrency: 2, failure: { probability: 0.2 }, ...consumers } });
    expect(unsupportedLive(lease({ leaseExtension: { intervalMs: 1000 } }), 'redis')).toEqual([]);
    expect(unsupportedLive(lease({ leaseExtension: { intervalMs: 1000, extendToMs: 3000 } }), 'redis')).toEqual([]);
    const fields = (c: ReturnType<typeof lease>, kind: 'redis' | 'rabbitmq') =>
      unsupportedLive(c, kind)
        .map((p) => p.split(':')[0])
        .filter((f) => f!.startsWith('consumers'));
    expect(fields(lease({ leaseExtension: { intervalMs: 1000, extendToMs: 9000 } }), 'redis')).toEqual([
      'consumers.leaseExtension.extendToMs',
    ]);
    expect(fields(lease({ leaseExtension: { intervalMs: 1000, buffered: true } }), 'redis')).toEqual([
      'consumers.leaseExtension.buffered',
    ]);
    expect(fields(lease({ leaseExtension: { intervalMs: 1000 } }), 'rabbitmq')).toEqual([
      'consumers.leaseExtension.intervalMs',
    ]);
    // Transient failures run live on both (a nack); stalls, delays and keys on neither yet.
    expect(fields(lease({}), 'rabbitmq')).toEqual([]);
    expect(fields(lease({ stall: { probability: 0.1 } }), 'redis')).toEqual(['consumers.stall.probability']);
  });

  it('refuses a push prediction on Redis, whose consumers pull (an SQS-like profile contradicts it only there)', () => {
    const sqsLike = config({
      broker: {
        visibilityTimeoutScope: 'delivery',
        prefetchCountsUnacked: false,
        requeueOnDisconnect: false,
        lateAcks: 'accepted',
      },
    });
    expect(sqsLike.broker.delivery).toBe('push');
    expect(unsupportedLive(sqsLike, 'redis')).toEqual([
      'broker.delivery: Redis consumers pull: XREADGROUP reads a batch once the last one is processed, and XAUTOCLAIM claims only when a consumer reads (allowed: pull; --profile redis-streams sets it)',
    ]);
  });

  it('refuses what neither live broker does: a redelivery backoff, throttling, a retention within the horizon, publish dedupe', () => {
    const redis = {
      visibilityTimeoutScope: 'delivery',
      prefetchCountsUnacked: false,
      requeueOnDisconnect: false,
      lateAcks: 'accepted',
      delivery: 'pull',
    } satisfies ConfigOverrides['broker'];
    const fields = (
      broker: ConfigOverrides['broker'],
      mode: 'at-least-once' | 'exactly-once' = 'at-least-once',
      horizonMs = 86_400_000,
    ) =>
      unsupportedLive(config({ broker: { ...redis, ...broker }, mode: preset(mode), horizonMs }), 'redis').map(
        (p) => p.split(':')[0],
      );
    expect(fields({ redeliveryBackoff: { minMs: 10_000, maxMs: 600_000 } })).toEqual(['broker.redeliveryBackoff']);
    expect(fields({ maxPublishPerSec: 50 })).toEqual(['broker.maxPublishPerSec']);
    // A retention the model's horizon outlasts can expire messages; four days against a one-day horizon cannot.
    expect(fields({ retentionMs: 60_000 })).toEqual(['broker.retentionMs']);
    expect(fields({ retentionMs: 4 * 86_400_000 })).toEqual([]);
    // Publish dedupe matters only to a mode that publishes idempotently.
    expect(fields({ publishDedupe: true }, 'at-least-once')).toEqual([]);
    expect(fields({ publishDedupe: true }, 'exactly-once')).toEqual(['broker.publishDedupe']);
    expect(fields({ publishDedupe: false }, 'exactly-once')).toEqual([]);
    // The Redis consumers dead-letter what passes maxDeliveries; RabbitMQ drops it without a dead-letter exchange, as
    // asked.
    expect(fields({ maxDeliveries: 5, deadLetter: false })).toEqual(['broker.deadLetter']);
    const rabbit = {
      visibilityTimeoutScope: 'channel',
      prefetchCountsUnacked: true,
      requeueOnDisconnect: true,
      delivery: 'push',
    } satisfies ConfigOverrides['broker'];
    expect(unsupportedLive(config({ broker: { ...rabbit, maxDeliveries: 5, deadLetter: false } }), 'rabbitmq')).toEqual(
      [],
    );
  });

  it('asks RabbitMQ for maxDeliveries − 1 returns, unlimited on 4.x, and dead-letters to the run’s own queue', () => {
    const limited = config({ broker: { maxDeliveries: 5, deadLetter: true } });
    expect(queueArguments(limited, 'q.dlq', '3.10.8')).toEqual({
      'x-queue-type': 'quorum',
      'x-delivery-limit': 4,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'q.dlq',
    });
    const unlimited = config({ broker: { maxDeliveries: 0, deadLetter: false } });
    expect(queueArguments(unlimited, 'q.dlq', '3.10.8')).toEqual({ 'x-queue-type': 'quorum' });
    expect(queueArguments(unlimited, 'q.dlq', '4.0.5')).toEqual({ 'x-queue-type': 'quorum', 'x-delivery-limit': -1 });
  });

  it('judges a prediction by the wider of the two intervals, so clustered duplicates widen it', () => {
    const sample = measured(config({ messages: 10 }));
    const counts = (processed: number, duplicates: number) => ({
      ...sample,
      metrics: { ...sample.metrics, produced: processed, processed, duplicates, lost: 0 },
    });
    // 100 duplicates in 2,000 messages: 5 in every batch of 100, or 10 in each of the first ten.
    const live = counts(2000, 100);
    const even = Array.from({ length: 20 }, () => counts(100, 5));
    const clustered = Array.from({ length: 20 }, (_, b) => counts(100, b < 10 ? 10 : 0));
    const prediction = (duplicateRate: number) => ({
      ...sample,
      metrics: { ...sample.metrics, duplicateRate, lossRate: 0 },
    });
    const wilson = fidelityOf('m', live, even, prediction(0.05)).duplicateRate.interval;
    const wide = fidelityOf('m', live, clustered, prediction(0.05)).duplicateRate.interval;
    expect(wide.lower).toBeLessThan(wilson.lower);
    expect(wide.upper).toBeGreaterThan(wilson.upper);
    // 3 % is outside Wilson's interval for 100 in 2,000, inside the clustered one's.
    expect(fidelityOf('m', live, even, prediction(0.03)).duplicateRate.inside).toBe(false);
    expect(fidelityOf('m', live, clustered, prediction(0.03)).duplicateRate.inside).toBe(true);
    expect(fidelityOf('m', live, clustered, prediction(0.2)).duplicateRate.inside).toBe(false);
  });

  it('allows for the scatter timing alone gives one model run, and only where there is one', () => {
    const sample = measured(config({ messages: 10 }));
    // 800 duplicates in 2,000 messages, evenly: 40 % [37.9 %, 42.2 %] (Wilson).
    const live = {
      ...sample,
      metrics: { ...sample.metrics, produced: 2000, processed: 2000, duplicates: 800, lost: 0 },
    };
    const batch = { ...sample, metrics: { ...sample.metrics, produced: 100, processed: 100, duplicates: 40, lost: 0 } };
    const batches = Array.from({ length: 20 }, () => batch);
    const prediction = { ...sample, metrics: { ...sample.metrics, duplicateRate: 0.46, lossRate: 0 } };
    const sharp = fidelityOf('m', live, batches, prediction).duplicateRate;
    expect([sharp.modelSpread, sharp.inside]).toEqual([0, false]);
    // A model run that scatters by 3 points (one standard deviation) from timing alone is 46 % as easily as 40 %.
    const scattered = fidelityOf('m', live, batches, prediction, { lossRate: 0, duplicateRate: 0.03 }).duplicateRate;
    expect(scattered.modelSpread).toBeCloseTo(0.0588, 4);
    expect(scattered.inside).toBe(true);
    expect(
      fidelityOf(
        'm',
        live,
        batches,
        { ...prediction, metrics: { ...prediction.metrics, duplicateRate: 0.5 } },
        { lossRate: 0, duplicateRate: 0.03 },
      ).duplicateRate.inside,
    ).toBe(false);
  });
});
