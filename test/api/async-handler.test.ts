// Asynchronous handlers (a handler that returns a promise): the run pauses at that event until the promise settles,
// so an async handler is the same as its synchronous twin, crash points between awaited writes included; and the
// ways it can go wrong (a promise that never settles, ctx used after the call, the wall clock) fail in words.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { AcksimError, explore, replay, simulate, type Handler } from '../../src/api/index.js';
import { SeededChoiceSource } from '../../src/sim/choice.js';
import { Simulation } from '../../src/model/simulation.js';
import { modeConfig } from '../../src/run/prepare.js';
import { resumed } from '../../src/run/drive.js';
import { BUILTIN_DIR, loadScenarios } from '../../src/scenario/load.js';

/** Effect first, dedupe record second, in two writes: a crash between them charges twice. */
const syncTwin: Handler = (message, ctx) => {
  if (ctx.store.has(`seen:${message.id}`)) return;
  ctx.store.set('balance', ((ctx.store.get('balance') as number | undefined) ?? 0) + 10);
  ctx.effect('charge');
  ctx.store.set(`seen:${message.id}`, true);
};

/** The same writes, awaiting `pause()` before each. */
function awaiting(pause: () => Promise<unknown>): Handler {
  return async (message, ctx) => {
    if (ctx.store.has(`seen:${message.id}`)) return;
    await pause();
    ctx.store.set('balance', ((ctx.store.get('balance') as number | undefined) ?? 0) + 10);
    ctx.effect('charge');
    await pause();
    ctx.store.set(`seen:${message.id}`, true);
  };
}

const asyncTwin = awaiting(() => Promise.resolve());
/** Awaits a macrotask: its promise settles after other work of Node's loop. */
const slowTwin = awaiting(() => new Promise((resolve) => setImmediate(resolve)));

const refusal = async (run: () => Promise<unknown>): Promise<string> => {
  try {
    await run();
  } catch (error) {
    if (error instanceof AcksimError) return error.message;
    throw error;
  }
  return 'nothing thrown';
};

describe('an asynchronous handler', () => {
  it('gives the same report as its synchronous twin, on any built-in, seed and size', async () => {
    const names = ['lost-acks', 'crash-after-effect', 'visibility-timeout-too-short', 'kafka-autocommit-async-crash'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 200 }),
        async (name, seed, messages) => {
          const options = { seed, messages, shrink: false };
          const sync = await simulate(name, { ...options, handler: syncTwin });
          const async = await simulate(name, { ...options, handler: asyncTwin });
          expect(async.report).toEqual(sync.report);
        },
      ),
      { numRuns: 8 },
    );
    // A promise that settles only after a macrotask: the run still waits for it, and nothing else happens meanwhile.
    const options = { mode: 'at-least-once', seed: 5, messages: 150, shrink: false };
    const slow = await simulate('crash-after-effect', { ...options, handler: slowTwin });
    expect(slow.report).toEqual((await simulate('crash-after-effect', { ...options, handler: syncTwin })).report);
  });

  it('explore finds the crash between two awaited writes; shrunk, it says so, and replays', async () => {
    const explored = await explore('crash-after-effect', { mode: 'at-least-once', handler: asyncTwin });
    const duplicate = explored.exploration.modes[0]!.guarantees.find((g) => g.name === 'no duplicate')!;
    expect({
      verdict: explored.verdict,
      holds: duplicate.holds,
      faults: duplicate.counterexample?.faults.length,
    }).toEqual({ verdict: 'fail', holds: false, faults: 1 });
    const found = await simulate('crash-after-effect', {
      mode: 'at-least-once',
      messages: 2000,
      runs: 5,
      handler: asyncTwin,
      checks: ['duplicates == 0'],
    });
    const failure = found.failures.find((f) => f.check === 'duplicates == 0')!;
    expect(failure.story).toEqual([
      expect.stringMatching(
        /^your handler ran the effect of #(\d+) twice: the consumer crashed after set\('balance'\) and before set\('seen:\1'\)$/,
      ),
    ]);
    expect(await replay(failure.failure, undefined, { handler: asyncTwin })).toMatchObject({ status: 'fail' });
  });

  it('an async transaction commits as one write: explore finds no crash that duplicates', async () => {
    const atomic: Handler = async (message, ctx) => {
      await ctx.store.transaction(async (tx) => {
        if (tx.get(`seen:${message.id}`) === true) return;
        await Promise.resolve();
        tx.set('balance', ((tx.get('balance') as number | undefined) ?? 0) + 10);
        tx.set(`seen:${message.id}`, true);
      });
    };
    const explored = await explore('crash-after-effect', { mode: 'at-least-once', handler: atomic });
    expect(explored.verdict).toBe('pass');
  });

  it('a rejected promise is a failed processing, with its message', async () => {
    const failing: Handler = async (message, ctx) => {
      await Promise.resolve();
      if (message.id === 3) throw new Error('card declined');
      ctx.store.set(`seen:${message.id}`, true);
    };
    const run = await simulate('poison-to-dlq', { mode: 'at-least-once', messages: 20, handler: failing });
    expect(run.handlerErrors[0]).toMatchObject({ id: 3, error: 'card declined' });
    expect(run.verdict).toBe('fail');
  });

  it('a promise that never settles fails the run in words once the wait is over (not a hang, not an exit 0)', async () => {
    const scenario = loadScenarios([BUILTIN_DIR], process.cwd()).scenarios.find((s) => s.name === 'lost-acks')!;
    const config = modeConfig(scenario, 'at-least-once', {
      messages: 3,
      handler: { handler: () => new Promise(() => undefined) },
    });
    const simulation = new Simulation(config, new SeededChoiceSource(1));
    while (!simulation.step() && simulation.waiting === undefined);
    expect(simulation.waiting).toBeDefined();
    expect(await refusal(() => resumed(simulation, 50))).toBe(
      'handler: its promise for message 0, delivery 1 did not settle in 0.05 s of wall-clock time ' +
        '(allowed: a handler that awaits ctx operations, or other work that ends)',
    );
  });

  it('ctx used after the call ended, or the wall clock and Math.random inside it, fail the run in words', async () => {
    const options = { mode: 'at-least-once', messages: 20, shrink: false };
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const stray: Handler = async (message, ctx) => {
      // Not awaited: the write lands during a later call.
      void (async () => {
        await tick();
        await tick();
        ctx.store.set(`late:${message.id}`, true);
      })();
      await tick();
      ctx.store.set(`seen:${message.id}`, true);
    };
    expect(await refusal(() => simulate('lost-acks', { ...options, handler: stray }))).toBe(
      "handler: ctx.store.set('late:0') was called after its call (for message 0) had ended " +
        '(allowed: await every ctx operation before the handler returns)',
    );
    const clock: Handler = (message, ctx) => ctx.store.set(`seen:${message.id}`, Date.now());
    expect(await refusal(() => simulate('lost-acks', { ...options, handler: clock }))).toBe(
      'handler: it called Date.now() for message 0: the run would not replay the same (allowed: ctx.now())',
    );
    const chance: Handler = (message, ctx) => ctx.store.set(`seen:${message.id}`, Math.random());
    expect(await refusal(() => simulate('lost-acks', { ...options, handler: chance }))).toMatch(
      /^handler: it called Math\.random\(\) for message 0: .* \(allowed: ctx\.random\(\)\)$/,
    );
  });

  it('--check-determinism names the message where two runs of a seed first parted', async () => {
    let calls = 0;
    // State outside ctx.store: every 37th call forgets its write, so no two runs agree.
    const leaky: Handler = (message, ctx) => {
      if (++calls % 37 !== 0) ctx.store.set(`seen:${message.id}`, true);
    };
    const run = await simulate('lost-acks', {
      mode: 'at-least-once',
      messages: 300,
      handler: leaky,
      checkDeterminism: true,
      shrink: false,
    });
    const results = run.result!.results as Array<{ checks: Array<{ expr: string; ok: boolean; reason?: string }> }>;
    const check = results[0]!.checks.find((c) => c.expr.startsWith('deterministic'))!;
    expect(check.ok).toBe(false);
    expect(check.reason).toMatch(/was not repeated: message \d+ first diverged/);
  });
});

describe('an asynchronous handler, hostile', () => {
  const options = { mode: 'at-least-once', messages: 200, shrink: false };
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('Math.random after an await, and ctx used by a timer after the runs, fail in words', async () => {
    const random: Handler = async (message, ctx) => {
      await Promise.resolve();
      ctx.store.set(`seen:${message.id}`, Math.random());
    };
    expect(await refusal(() => simulate('lost-acks', { ...options, handler: random }))).toMatch(
      /^handler: it called Math\.random\(\) for message \d+: .*\(allowed: ctx\.random\(\)\)$/,
    );
    // The watch ends with the calls: Math.random is the real one again.
    expect(Math.random.name).toBe('random');
    const timer: Handler = async (message, ctx) => {
      await Promise.resolve();
      ctx.store.set(`seen:${message.id}`, true);
      setTimeout(() => ctx.store.set(`late:${message.id}`, true), 0);
    };
    expect(await refusal(() => simulate('lost-acks', { ...options, handler: timer }))).toMatch(
      /^handler: ctx\.store\.set\('late:\d+'\) was called after its call \(for message \d+\) had ended/,
    );
  });

  it('a handler that returns a promise for some messages only runs as its synchronous twin', async () => {
    const mixed: Handler = (message, ctx) => {
      if (message.id % 2 === 0) return syncTwin(message, ctx);
      return (async () => {
        await tick();
        await syncTwin(message, ctx);
      })();
    };
    const run = await simulate('crash-after-effect', { ...options, handler: mixed });
    expect(run.report).toEqual((await simulate('crash-after-effect', { ...options, handler: syncTwin })).report);
  });

  it('what cannot be read or copied is a throw or a refusal in words, never an internal error', async () => {
    const getter: Handler = (message, ctx) => {
      ctx.store.set(`seen:${message.id}`, true);
      // Once: a message that failed on every delivery would be redelivered until the run's event limit.
      if (message.id > 0 || message.deliveryCount > 1) return undefined;
      return {
        get then(): never {
          throw new Error('no then');
        },
      };
    };
    const thrown = await simulate('lost-acks', { ...options, handler: getter });
    expect(thrown.handlerErrors[0]).toMatchObject({ id: 0, error: 'no then' });
    const payload = (id: number) => ({ id, toJSON: () => id });
    expect(await refusal(() => simulate('lost-acks', { ...options, handler: syncTwin, payload }))).toMatch(
      /^payload: the generator's value for message 0 cannot be copied: /,
    );
    // A transaction not awaited and an async check: their rejections are acksim's to observe, not the process's.
    const floating: Handler = async (message, ctx) => {
      await Promise.resolve();
      ctx.store.set(`x:${message.id}`, 1);
      void ctx.store.transaction((tx) => Promise.resolve().then(() => tx.set(`y:${message.id}`, 1)));
    };
    const rejecting = () => Promise.reject(new Error('async check'));
    const run = await simulate('crash-after-effect', { ...options, handler: floating, check: rejecting });
    const checks = (run.result!.results[0] as unknown as { checks: Array<{ reason?: string }> }).checks;
    expect(checks.map((c) => c.reason)).toContain('it returned a promise (allowed: a synchronous check)');
  });

  it('a failure of check(state) replays only with the check, and never shrinks to no message', async () => {
    let calls = 0;
    const counting: Handler = (_message, ctx) => {
      calls++;
      ctx.store.set('n', ((ctx.store.get('n') as number | undefined) ?? 0) + 1);
    };
    const check = (state: Record<string, unknown>) => state.n === 1000 || `n is ${String(state.n)}`;
    const found = await simulate('lost-acks', {
      mode: 'at-least-once',
      messages: 1000,
      handler: counting,
      check,
      checks: [],
    });
    expect(calls).toBeGreaterThan(0);
    const failure = found.failures.find((f) => f.check === 'check(state)')!;
    expect(failure.failure.messages).toBeGreaterThanOrEqual(1);
    expect(await refusal(() => replay(failure.failure, undefined, { handler: counting }))).toBe(
      "replay: its check is the handler's check(state): give the handler that exports check (or the check option)",
    );
    expect(await replay(failure.failure, undefined, { handler: counting, check })).toMatchObject({ status: 'fail' });
  });

  it('--check-determinism names state kept from one run to the next', async () => {
    const seen = new Set<number>();
    const remembering: Handler = (message, ctx) => {
      if (seen.has(message.id)) return;
      seen.add(message.id);
      ctx.store.set(`seen:${message.id}`, true);
    };
    const run = await simulate('lost-acks', { ...options, handler: remembering, checkDeterminism: true });
    const results = run.result!.results as Array<{ checks: Array<{ expr: string; reason?: string }> }>;
    expect(results[0]!.checks.find((c) => c.expr.startsWith('deterministic'))!.reason).toMatch(
      /state that outlives a run \(a variable of the handler's module, outside ctx\.store\)/,
    );
  });
});
