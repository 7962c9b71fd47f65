// The user's handler in the loop (simulate's `handler`): its effects measured as the built-in sink's, crashes
// between its writes as choices that shrink and replay, and its misuse refused in words.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { AcksimError, replay, simulate, type Handler } from '../../src/api/index.js';

/** Charges the message's amount, no dedupe: duplicates wherever the message is processed twice. */
const naive: Handler = (_message, ctx) => {
  ctx.store.set('balance', ((ctx.store.get('balance') as number | undefined) ?? 0) + 10);
  ctx.effect('charge');
};

/** Effect first, dedupe record second, in two writes: a crash between them duplicates the charge. */
const nonAtomic: Handler = (message, ctx) => {
  if (ctx.store.has(`seen:${message.id}`)) return;
  ctx.store.set('balance', ((ctx.store.get('balance') as number | undefined) ?? 0) + 10);
  ctx.effect('charge');
  ctx.store.set(`seen:${message.id}`, true);
};

/** Effect and record in one transaction: no crash falls between them. */
const atomic: Handler = (message, ctx) =>
  ctx.store.transaction((tx) => {
    if (tx.get(`seen:${message.id}`) === true) return;
    tx.set('balance', ((tx.get('balance') as number | undefined) ?? 0) + 10);
    tx.set(`seen:${message.id}`, true);
    ctx.effect('charge');
  });

describe('a handler in the loop', () => {
  it('a handler with one write measures as the built-in consumer: same metrics, causes and fingerprint', async () => {
    const names = ['lost-acks', 'crash-after-effect', 'visibility-timeout-too-short', 'kafka-autocommit-async-crash'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 300 }),
        async (name, seed, messages) => {
          const options = { seed, messages, shrink: false };
          const builtin = await simulate(name, options);
          const handled = await simulate(name, { ...options, handler: naive, scenarioChecks: true, checks: [] });
          expect(handled.report).toEqual(builtin.report);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('lost acks: the naive handler duplicates at least once, each duplicate caused by a lost ack', async () => {
    const { result } = await simulate('lost-acks', { mode: 'at-least-once', handler: naive });
    const [run] = result!.results as { metrics: { duplicates: number }; duplicatesByCause: Record<string, number> }[];
    expect(run!.metrics.duplicates).toBeGreaterThan(0);
    expect(run!.duplicatesByCause.ackLost).toBe(run!.metrics.duplicates);
  });

  it('a crash between two writes: the non-atomic handler fails, shrunk to that one crash, which replays', async () => {
    const found = await simulate('crash-after-effect', {
      mode: 'at-least-once',
      runs: 30,
      handler: nonAtomic,
      checks: ['duplicates == 0'],
    });
    expect(found.verdict).toBe('fail');
    const failure = found.failures.find((f) => f.check === 'duplicates == 0')!;
    expect(failure.faults).toEqual([
      expect.stringMatching(/^#\d+ delivery \d+: consumer crash in the handler, before its write 2$/),
    ]);
    expect(replay(failure.failure, undefined, { handler: nonAtomic })).toMatchObject({ status: 'fail', exitCode: 1 });
    // The transactional handler has one write (its commit): the crash before a second never comes, so the
    // replay tests nothing (inconclusive), and never fails.
    expect(replay(failure.failure, undefined, { handler: atomic })).toMatchObject({ status: 'inconclusive' });
  });

  it('the transactional handler never duplicates, over seeds of crashes after the effect', async () => {
    const found = await simulate('crash-after-effect', {
      mode: ['at-least-once', 'exactly-once'],
      runs: 40,
      handler: atomic,
      checks: ['max(duplicates) == 0', 'max(lost) == 0'],
      shrink: false,
    });
    for (const mode of found.report.scenarios[0]!.results)
      expect(mode.checks.filter((c) => c.source === 'cli').map((c) => [c.expr, c.status])).toEqual([
        ['max(duplicates) == 0', 'pass'],
        ['max(lost) == 0', 'pass'],
      ]);
  });

  it("a handler is judged on its effects happening once, not on the scenario's checks (unless asked)", async () => {
    const judged = await simulate('lost-acks', { mode: 'at-least-once', messages: 300, handler: naive, shrink: false });
    const checks = judged.report.scenarios[0]!.results[0]!.checks;
    expect(checks.map((c) => [c.expr, c.status])).toEqual([
      ['lost == 0', 'pass'],
      ['duplicates == 0', 'fail'],
    ]);
    const own = await simulate('lost-acks', {
      mode: 'at-least-once',
      handler: naive,
      scenarioChecks: true,
      checks: [],
    });
    expect(own.report.scenarios[0]!.results[0]!.checks.map((c) => c.source)).toEqual(
      expect.arrayContaining(['scenario']),
    );
  });

  it('a throw is a failed processing, listed with its message; the run goes on', async () => {
    const flaky: Handler = (message, ctx) => {
      if (message.id % 5 === 0 && message.deliveryCount === 1) throw new Error(`no stock for #${message.id}`);
      ctx.effect();
    };
    const found = await simulate('poison-to-dlq', {
      mode: 'at-least-once',
      messages: 50,
      handler: flaky,
      shrink: false,
    });
    expect(found.handlerErrors.map((e) => e.id)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    expect(found.handlerErrors[0]).toEqual({ id: 0, delivery: 0, error: 'no stock for #0', count: 1 });
  });

  it('the context: virtual time, a seeded random, keys, payloads and delivery counts', async () => {
    const seen: unknown[] = [];
    const look: Handler = (message, ctx) => {
      seen.push([message.id, message.deliveryCount, message.payload, Math.round(ctx.now()) >= 0, ctx.random()]);
    };
    const options = { mode: 'at-least-once', messages: 5, seed: 4, shrink: false, handler: look };
    await simulate('lost-acks', { ...options, payload: (id: number, random: () => number) => ({ id, r: random() }) });
    const first = [...seen];
    seen.length = 0;
    await simulate('lost-acks', { ...options, payload: (id: number, random: () => number) => ({ id, r: random() }) });
    expect(seen).toEqual(first);
    expect(first).toHaveLength(5);
    for (const [id, count, payload, timeOk, r] of first as [number, number, { id: number }, boolean, number][]) {
      expect({ count, payloadId: payload.id, timeOk, inRange: r >= 0 && r < 1 }).toEqual({
        count: 1,
        payloadId: id,
        timeOk: true,
        inRange: true,
      });
    }
  });

  it('misuse is refused in words: async, not a function, workers, transactions, effects counted both ways', async () => {
    const refused = async (options: object, name = 'lost-acks'): Promise<string> => {
      try {
        await simulate(name, { messages: 20, shrink: false, ...options });
      } catch (error) {
        if (error instanceof AcksimError) return error.message;
        throw error;
      }
      return 'nothing thrown';
    };
    expect(await refused({ handler: async () => await Promise.resolve() })).toMatch(
      /^handler: an async function \(allowed: /,
    );
    expect(await refused({ handler: 'charge' })).toBe('handler: a string (allowed: a function)');
    expect(await refused({ payload: () => 1 })).toMatch(/^payload: given without a handler/);
    expect(await refused({ handler: naive, runs: 2, workers: 2 })).toMatch(/^workers: 2 \(allowed: 1 with a handler/);
    expect(await refused({ handler: naive }, 'kafka-transactions-read-uncommitted')).toMatch(
      /^handler: mode \S+ writes its effects in Kafka transactions/,
    );
    const sometimes: Handler = (message, ctx) => {
      if (message.id > 0) ctx.effect();
    };
    expect(await refused({ handler: sometimes })).toMatch(/^handler: it called ctx\.effect\(\) after 1 call\(s\)/);
    expect(await refused({ handler: naive, effects: 'some' })).toBe("effects: a string (allowed: 'auto' or 'counted')");
    // With only ctx.effect() counted, the same handler runs: message 0 had no effect, so it is lost.
    const counted = await simulate('lost-acks', {
      mode: 'at-least-once',
      messages: 20,
      handler: sometimes,
      effects: 'counted',
      shrink: false,
    });
    expect(counted.result!.results[0]).toMatchObject({ metrics: { lost: 1, processed: 19 } });
  });
});
