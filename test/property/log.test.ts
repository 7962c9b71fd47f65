// Properties of the log broker (Kafka style) over random configurations: conservation, a cause for
// every anomaly, and the lessons of its commit policies.
import '../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import type { SimulationConfig } from '../../src/model/config.js';
import { measure } from '../../src/run/metrics.js';
import { preset, run } from '../helpers.js';
import { logConfig } from './arbitraries.js';

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const modes = ['at-most-once', 'at-least-once', 'exactly-once'] as const;
/** No fault on the producer's side: the broker's and consumers' anomalies alone. */
const quietProducer = (c: typeof logConfig) =>
  c.map((config) => ({
    ...config,
    network: {
      ...config.network,
      publish: { ...config.network.publish, loss: 0, duplicate: 0 },
      confirm: { ...config.network.confirm, loss: 0, duplicate: 0 },
    },
    faults: config.faults.filter((f) => f.type === 'consumer-crash'),
    producer: {
      ...config.producer,
      acks: 'all' as const,
      confirmTimeoutMs: 1e9,
      retry: { ...config.producer.retry, maxAttempts: 0 },
      crash: { probability: 0, restartMs: 0 },
    },
    consumers: { ...config.consumers, poisonRate: 0 },
  }));

/**
 * A transactional consume-transform-produce. A poll loop slower than max.poll.interval is fenced at
 * every commit and never gets on (as in Kafka): the event limit cuts those runs short.
 */
function transactional(config: SimulationConfig, isolation: 'read_committed' | 'read_uncommitted'): SimulationConfig {
  return {
    ...config,
    maxEvents: 30_000,
    consumers: { ...config.consumers, transactional: true, pollLoop: 'sync' },
    sink: { ...config.sink, isolation },
  };
}

/** acks=all with `replicas` copies, retries until confirmed, no producer crash, commit after processing, no poison. */
function acksAllCommitAfter(config: SimulationConfig, replicas: number): SimulationConfig {
  return {
    ...config,
    producer: {
      ...config.producer,
      acks: 'all',
      retry: { ...config.producer.retry, maxAttempts: 0 },
      crash: { probability: 0, restartMs: 0 },
    },
    broker: { ...config.broker, replicas },
    consumers: { ...config.consumers, commit: 'after-processing', poisonRate: 0 },
  };
}

describe('log broker properties', () => {
  it('acks=all with a follower never loses a confirmed message, whatever leader failovers happen', () => {
    fc.assert(
      fc.property(logConfig, seed, fc.integer({ min: 2, max: 3 }), (config, s, replicas) => {
        const durable = acksAllCommitAfter(config, replicas);
        const safe = { ...durable, network: { ...durable.network, publish: { ...durable.network.publish, loss: 0 } } };
        const r = measure(run({ ...safe, mode: preset('at-least-once') }, s));
        expect(r.lossByCause.unreplicatedOnFailover).toBe(0);
        expect(r.metrics.lost).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('an idempotent producer with acks=all and retries until confirmed never loses a message, whatever failovers and lossy links', () => {
    fc.assert(
      fc.property(logConfig, seed, fc.integer({ min: 2, max: 3 }), (config, s, replicas) => {
        const durable = acksAllCommitAfter(config, replicas);
        const safe = {
          ...durable,
          broker: { ...durable.broker, publishDedupe: true, publishDedupeWindowMs: 0 },
          consumers: { ...durable.consumers, transactional: false },
        };
        // A failover's new leader must not remember the records it lost, or their retries are dropped as copies.
        const r = measure(run({ ...safe, mode: { ...preset('at-least-once'), idempotentPublish: true } }, s));
        expect(r.metrics.lost).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('conserves messages and gives every loss and duplicate a known cause, in every mode and commit policy', () => {
    fc.assert(
      fc.property(logConfig, seed, (config, s) => {
        for (const name of modes) {
          const r = measure(run({ ...config, mode: preset(name) }, s));
          const m = r.metrics;
          expect(m.produced).toBe(m.processed + m.lost + m.deadLettered - m.deadLetteredProcessed + m.unresolved);
          expect(r.lossByCause.unknown).toBe(0);
          expect(r.duplicatesByCause.unknown).toBe(0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('commit before processing never duplicates: a crash loses the rest of the batch instead', () => {
    fc.assert(
      fc.property(quietProducer(logConfig), seed, (config, s) => {
        const before = {
          ...config,
          consumers: {
            ...config.consumers,
            commit: 'before-processing' as const,
            pollLoop: 'sync' as const,
            transactional: false,
          },
        };
        // A poll loop slower than max.poll.interval refuses the commit of a batch it is still processing.
        const patient = { ...before, consumers: { ...before.consumers, maxPollIntervalMs: 1e9 } };
        const m = measure(run({ ...patient, mode: preset('at-least-once') }, s)).metrics;
        expect(m.duplicates).toBe(0);
      }),
      { numRuns: 80 },
    );
  });

  it('commit after processing never loses with a durable log', () => {
    fc.assert(
      fc.property(quietProducer(logConfig), seed, (config, s) => {
        const after = { ...config, consumers: { ...config.consumers, commit: 'after-processing' as const } };
        const r = measure(run({ ...after, mode: preset('at-least-once') }, s));
        expect(r.metrics.lost).toBe(0);
      }),
      { numRuns: 80 },
    );
  });

  it('transactions read with read_committed neither lose nor duplicate, whatever crashes and rebalances abort', () => {
    fc.assert(
      fc.property(quietProducer(logConfig), seed, (config, s) => {
        const tx = transactional(config, 'read_committed');
        const r = measure(run({ ...tx, mode: preset('at-least-once') }, s));
        expect(r.metrics.lost).toBe(0);
        expect(r.metrics.duplicates).toBe(0);
      }),
      { numRuns: 80 },
    );
  });

  it('transactions with an atomic dedupe store read with read_committed never duplicate, even copies of one message in one batch', () => {
    fc.assert(
      fc.property(logConfig, seed, (config, s) => {
        const tx = { ...transactional(config, 'read_committed'), dedupe: { windowMs: 0, capacity: 0, atomic: true } };
        expect(measure(run({ ...tx, mode: preset('exactly-once') }, s)).metrics.duplicates).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('read_uncommitted sees aborted transactions: every abort duplicates, and nothing else does', () => {
    fc.assert(
      fc.property(quietProducer(logConfig), seed, (config, s) => {
        const tx = transactional(config, 'read_uncommitted');
        const result = run({ ...tx, mode: preset('at-least-once') }, s);
        const r = measure(result);
        expect(r.metrics.lost).toBe(0);
        const aborted = r.faultsInjected.abortedTransactions > 0;
        // An abort's records run again, unless the run was cut first (a poll loop fenced every time).
        expect(r.duplicatesByCause.readUncommitted).toBe(r.metrics.duplicates);
        if (result.endedBy === 'resolved') expect(r.metrics.duplicates > 0).toBe(aborted);
        else if (!aborted) expect(r.metrics.duplicates).toBe(0);
      }),
      { numRuns: 80 },
    );
  });
});
