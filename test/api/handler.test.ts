// The user's handler in the loop (simulate's `handler`): its effects measured as the built-in sink's, crashes
// between its writes as choices that shrink and replay, and its misuse refused in words.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { AcksimError, explore, loadScenario, replay, simulate, type Handler } from '../../src/api/index.js';
import { exploreScenario } from '../../src/run/explore.js';

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
      messages: 2000,
      runs: 5,
      handler: nonAtomic,
      checks: ['duplicates == 0'],
    });
    expect(found.verdict).toBe('fail');
    const failure = found.failures.find((f) => f.check === 'duplicates == 0')!;
    expect(failure.faults).toEqual([
      expect.stringMatching(/^#\d+ delivery \d+: consumer crash in the handler, before its write 2$/),
    ]);
    expect(failure.crashes).toEqual([expect.stringMatching(/^after set\('balance'\), before set\('seen:\d+'\)$/)]);
    expect(await replay(failure.failure, undefined, { handler: nonAtomic })).toMatchObject({
      status: 'fail',
      exitCode: 1,
    });
    // The transactional handler has one write (its commit): the crash before a second never comes, so the
    // replay tests nothing (inconclusive), and never fails.
    expect(await replay(failure.failure, undefined, { handler: atomic })).toMatchObject({ status: 'inconclusive' });
  });

  it('the transactional handler never duplicates, over seeds of crashes after the effect', async () => {
    const found = await simulate('crash-after-effect', {
      mode: ['at-least-once', 'exactly-once'],
      // examples/payments runs 200 seeds of at-least-once at 500 messages; here, fewer seeds of every message.
      runs: 12,
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
      ['processed == produced', 'pass'],
    ]);
    // Nothing judged is no verdict.
    const none = await simulate('lost-acks', { mode: 'at-least-once', messages: 50, handler: naive, checks: [] });
    expect(none).toMatchObject({ ok: false, verdict: 'inconclusive', exitCode: 3 });
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

  it('without ctx.effect(), a call that wrote counts one effect, even when it crashed or threw after writing', async () => {
    // The payment handler of the docs, with no ctx.effect(): the crash between its writes still charges twice.
    const silent: Handler = (message, ctx) => {
      if (ctx.store.has(`charged:${message.id}`)) return;
      ctx.store.set('balance', ((ctx.store.get('balance') as number | undefined) ?? 0) + 10);
      ctx.store.set(`charged:${message.id}`, true);
    };
    const found = await simulate('crash-before-effect', { mode: 'at-least-once', handler: silent, shrink: false });
    const [run] = found.result!.results as { metrics: { duplicates: number } }[];
    expect(run!.metrics.duplicates).toBeGreaterThan(0);
    expect(found.verdict).toBe('fail');
    // A call that wrote nothing (the record was there) counts none: an idempotent handler is no duplicate.
    const idempotent: Handler = (message, ctx) =>
      ctx.store.transaction((tx) => {
        if (tx.get(`charged:${message.id}`) === true) return;
        tx.set(`charged:${message.id}`, true);
      });
    const clean = await simulate('lost-acks', { mode: 'at-least-once', handler: idempotent, shrink: false });
    expect(clean.verdict).toBe('pass');
  });

  it('a handler that always throws is never a pass (its messages are dead-lettered, not processed)', async () => {
    const broken: Handler = () => {
      throw new Error('down');
    };
    const found = await simulate('poison-to-dlq', {
      mode: 'at-least-once',
      messages: 100,
      handler: broken,
      shrink: false,
    });
    expect(found.verdict).toBe('fail');
    expect(found.handlerErrors.length).toBeGreaterThan(0);
  });

  it('effects of several names in one call count once; the payload a handler changes is not kept', async () => {
    const orderAndMail: Handler = (message, ctx) =>
      ctx.store.transaction((tx) => {
        if (tx.get(`done:${message.id}`) === true) return;
        tx.set(`done:${message.id}`, true);
        ctx.effect('charge');
        ctx.effect('email');
      });
    const once = await simulate('lost-acks', { mode: 'at-least-once', handler: orderAndMail, shrink: false });
    expect(once.verdict).toBe('pass');
    const mutating: Handler = (message, ctx) => {
      const payload = message.payload as { n: number };
      payload.n++;
      if (payload.n === 1) ctx.effect();
    };
    const options = {
      mode: 'at-least-once',
      messages: 200,
      handler: mutating,
      shrink: false,
      payload: () => ({ n: 0 }),
    };
    const first = await simulate('lost-acks', options);
    const second = await simulate('lost-acks', options);
    expect(second.report).toEqual(first.report);
    expect(first.result!.results[0]).toMatchObject({ metrics: { duplicates: expect.any(Number), lost: 0 } });
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

  it('misuse is refused in words: a generator, not a function, workers, transactions, effects counted both ways', async () => {
    const refused = async (options: object, name = 'lost-acks'): Promise<string> => {
      try {
        await simulate(name, { messages: 20, shrink: false, ...options });
      } catch (error) {
        if (error instanceof AcksimError) return error.message;
        throw error;
      }
      return 'nothing thrown';
    };
    expect(await refused({ handler: async function* () {} })).toMatch(/^handler: a generator function, whose body/);
    expect(await refused({ handler: 'charge' })).toBe('handler: a string (allowed: a function)');
    expect(await refused({ payload: () => 1 })).toMatch(/^payload: given without a handler/);
    expect(await refused({ handler: naive, runs: 2, workers: 2 })).toMatch(/^workers: 2 \(allowed: 1 with a handler/);
    expect(await refused({ handler: naive }, 'kafka-transactions-read-uncommitted')).toMatch(
      /^handler: mode \S+ writes its effects in Kafka transactions/,
    );
    const sometimes: Handler = (message, ctx) => {
      ctx.store.set('last', message.id);
      if (message.id > 0) ctx.effect();
    };
    expect(await refused({ handler: sometimes })).toMatch(/^handler: it called ctx\.effect\(\) after 1 call\(s\)/);
    expect(await refused({ handler: function* () {} })).toMatch(/^handler: a generator function/);
    expect(await refused({ effects: 'counted' })).toMatch(/^effects: given without a handler/);
    expect(await refused({ handler: naive, shrink: 'no' })).toBe('shrink: a string (allowed: true or false)');
    const generatorThrows = {
      handler: naive,
      payload: () => {
        throw new Error('no payload');
      },
    };
    expect(await refused(generatorThrows)).toBe('payload: the generator threw for message 0: no payload');
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

describe('explore with a handler', () => {
  it('finds the crash between two writes in one fault; the transaction holds every guarantee', async () => {
    const broken = await explore('crash-after-effect', { mode: 'at-least-once', handler: nonAtomic });
    expect(broken.verdict).toBe('fail');
    const duplicate = broken.exploration.modes[0]!.guarantees.find((g) => g.name === 'no duplicate')!;
    expect(duplicate.counterexample!.faults).toHaveLength(1);
    const fixed = await explore('crash-after-effect', { mode: 'at-least-once', handler: atomic });
    expect(fixed.verdict).toBe('pass');
    expect(fixed.exploration.modes[0]!.guarantees.map((g) => g.name)).toEqual([
      'no loss',
      'no duplicate',
      'processed == produced',
    ]);
  });

  it("pruning by state, the handler's store included, changes no verdict", async () => {
    // A handler whose store decides its future: it charges again once it has seen three deliveries in all.
    const counting: Handler = (message, ctx) => {
      const seen = ((ctx.store.get('deliveries') as number | undefined) ?? 0) + 1;
      ctx.store.set('deliveries', seen);
      if (seen <= 3 || message.deliveryCount > 1) ctx.effect();
    };
    const scenario = loadScenario('lost-acks');
    const mode = scenario.modes.find((m) => m.mode.name === 'at-least-once')!;
    const code = { handler: counting };
    const bounds = {
      messages: 2,
      maxFaults: 2,
      maxSchedules: 50_000,
      faultSpace: 'all' as const,
      modes: [mode.mode.name],
    };
    const pruned = await exploreScenario({ ...scenario, checks: [] }, { ...bounds, handler: code });
    const full = await exploreScenario({ ...scenario, checks: [] }, { ...bounds, handler: code, prune: false });
    const verdicts = (e: typeof full) =>
      e.modes.map((m) => m.guarantees.map((g) => [g.name, g.holds, g.counterexample?.faults.length]));
    expect(verdicts(pruned)).toEqual(verdicts(full));
    expect(pruned.modes[0]!.pruned).toBeGreaterThan(0);
  });
});
