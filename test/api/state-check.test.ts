// The handler's own invariant over the final store (`check`, or a module's `check` export): judged as the check
// `check(state)` in runs, with what it said; shrunk, replayed and explored like any check; its misuse in words.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { expect } from 'expect';
import { AcksimError, explore, replay, simulate, type Handler } from '../../src/api/index.js';
import { acksim } from '../cli/run-cli.js';
import { fromRoot } from '../root.js';

/** Charge first, record second, in two writes. */
const twoWrites: Handler = (message, ctx) => {
  if (ctx.store.has(`charged:${message.id}`)) return;
  ctx.store.set('balance', ((ctx.store.get('balance') as number | undefined) ?? 0) + 10);
  ctx.store.set(`charged:${message.id}`, true);
};

/** Both in one transaction. */
const oneTransaction: Handler = (message, ctx) =>
  ctx.store.transaction((tx) => {
    if (tx.get(`charged:${message.id}`) === true) return;
    tx.set('balance', ((tx.get('balance') as number | undefined) ?? 0) + 10);
    tx.set(`charged:${message.id}`, true);
  });

/** The balance is ten for each payment recorded. */
const balanced = (state: Record<string, unknown>): true | string => {
  const payments = Object.keys(state).filter((key) => key.startsWith('charged:')).length;
  const balance = (state.balance as number | undefined) ?? 0;
  return balance === 10 * payments || `balance ${balance}, payments ${payments}`;
};

type Checked = { expr: string; status: string; reason?: string; seed?: number };
const checksOf = (found: Awaited<ReturnType<typeof simulate>>) =>
  (found.result!.results[0] as unknown as { checks: Checked[] }).checks;

const temp = mkdtempSync(join(tmpdir(), 'acksim-state-check-'));
after(() => rmSync(temp, { recursive: true, force: true }));

describe("the handler's check over the final store", () => {
  it('fails with what it said, shrinks to the one crash between the writes, and replays', async () => {
    const options = { mode: 'at-least-once', messages: 2000, runs: 5, handler: twoWrites, check: balanced, checks: [] };
    const found = await simulate('crash-after-effect', options);
    expect(found.verdict).toBe('fail');
    const [checked] = checksOf(found);
    expect(checked).toMatchObject({ expr: 'check(state)', status: 'fail' });
    expect(checked!.reason).toMatch(/^balance (\d+), payments (\d+)$/);
    const [, balance, payments] = /^balance (\d+), payments (\d+)$/.exec(checked!.reason!)!;
    expect(Number(balance)).toBeGreaterThan(10 * Number(payments));
    const [failure] = found.failures;
    expect(failure).toMatchObject({ check: 'check(state)', seed: checked!.seed });
    expect(failure!.faults).toEqual([expect.stringMatching(/consumer crash in the handler, before its write 2$/)]);
    const again = await replay(failure!.failure, undefined, { handler: twoWrites, check: balanced });
    expect(again).toMatchObject({ status: 'fail', exitCode: 1 });
    // The transactional handler holds over every seed.
    const fixed = await simulate('crash-after-effect', { ...options, handler: oneTransaction });
    expect(checksOf(fixed)[0]).toMatchObject({ expr: 'check(state)', status: 'pass' });
  });

  it('is a guarantee of explore: broken in one fault with two writes, holding in every schedule with one', async () => {
    const guarantee = async (handler: Handler) => {
      const { exploration } = await explore('crash-after-effect', { mode: 'at-least-once', handler, check: balanced });
      return exploration.modes[0]!.guarantees.find((g) => g.name === 'check(state)')!;
    };
    const broken = await guarantee(twoWrites);
    expect({ holds: broken.holds, faults: broken.counterexample?.faults.length }).toEqual({ holds: false, faults: 1 });
    expect((await guarantee(oneTransaction)).holds).toBe(true);
  });

  it('a check that throws, answers a promise or another kind fails in words; its text is kept printable', async () => {
    const reasonOf = async (check: (state: Record<string, unknown>) => unknown) => {
      const found = await simulate('lost-acks', { messages: 30, handler: oneTransaction, check, checks: [] });
      return checksOf(found)[0]!.reason;
    };
    expect(
      await reasonOf(() => {
        throw new Error('no balance');
      }),
    ).toBe('it threw: no balance');
    expect(await reasonOf(() => Promise.resolve(true))).toBe('it returned a promise (allowed: a synchronous check)');
    expect(await reasonOf(() => 7)).toBe('it returned number (allowed: true, false or a text)');
    expect(await reasonOf(() => false)).toBe('it returned false');
    expect(await reasonOf(() => '\u001b[2Jwiped')).toBe('?[2Jwiped');
    const refused = async (options: object): Promise<string> => {
      try {
        await simulate('lost-acks', { messages: 10, ...options });
      } catch (error) {
        if (error instanceof AcksimError) return error.message;
        throw error;
      }
      return 'nothing thrown';
    };
    expect(await refused({ check: balanced })).toBe('check: given without a handler (allowed: with `handler`)');
    expect(await refused({ handler: oneTransaction, check: 'balanced' })).toBe(
      'check: a string (allowed: a function of the final store)',
    );
  });

  it('from the command line: a module exporting check prints what it said, in the table and the JUnit', () => {
    const cwd = mkdtempSync(join(temp, 'cli-'));
    const [scenario, handler] = ['orders.yaml', 'last-writer.mjs'].map((f) => fromRoot(`examples/ordering/${f}`));
    const junit = join(cwd, 'report.xml');
    const run = acksim(['run', scenario!, '--handler', handler!, '--format', 'junit', '--out', junit], { cwd });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/✗ at-least-once: check\(state\) {2}\(actual 1: account \d shows update \d+, but/);
    expect(readFileSync(junit, 'utf8')).toMatch(/check\(state\) failed: actual 1: account \d shows update \d+/);
    expect(run.stderr).toMatch(/shrunk orders at-least-once "check\(state\)" from \d+ faults to 1 in/);
    const [file] = readdirSync(join(cwd, 'acksim-failures'));
    const replayed = acksim(['replay', join('acksim-failures', file!), '--handler', handler!], { cwd });
    expect(replayed.status).toBe(1);
    expect(replayed.stdout.replace(/\n\s*/g, ' ')).toMatch(/check\(state\) fails again \(actual 1: account \d shows/);
  });
});
