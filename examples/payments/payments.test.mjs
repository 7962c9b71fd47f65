// Three payment handlers under acksim's faults, tested as in your own project: `node --test examples/`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explore, replay, simulate } from 'acksim';
import { handler as naive } from './naive.mjs';
import { handler as recordAfter } from './record-after.mjs';
import { handler as transactional } from './transactional.mjs';

test('the naive handler charges twice when an ack is lost', async () => {
  const { verdict, result } = await simulate('lost-acks', { mode: 'at-least-once', handler: naive, shrink: false });
  const [run] = result.results;
  assert.equal(verdict, 'fail');
  assert.ok(run.metrics.duplicates > 0);
  assert.equal(run.duplicatesByCause.ackLost, run.metrics.duplicates);
});

test('the record written after the charge: one crash between the two writes charges twice', async () => {
  const { verdict, exploration } = await explore('crash-after-effect', { mode: 'at-least-once', handler: recordAfter });
  assert.equal(verdict, 'fail');
  const duplicate = exploration.modes[0].guarantees.find((g) => g.name === 'no duplicate');
  assert.equal(duplicate.counterexample.faults.length, 1);
  const found = await simulate('crash-after-effect', {
    mode: 'at-least-once',
    messages: 1000,
    runs: 30,
    handler: recordAfter,
  });
  assert.equal(found.verdict, 'fail');
  const failure = found.failures.find((f) => f.check === 'duplicates == 0');
  assert.deepEqual(failure.faults.length, 1);
  assert.match(failure.faults[0], /consumer crash in the handler, before its write 2/);
  assert.equal((await replay(failure.failure, undefined, { handler: recordAfter })).status, 'fail');
});

test('the transactional handler holds under explore and 200 seeds of crashes after the effect', async () => {
  assert.equal(
    (await explore('crash-after-effect', { mode: 'at-least-once', handler: transactional })).verdict,
    'pass',
  );
  const { ok, verdict } = await simulate('crash-after-effect', {
    mode: 'at-least-once',
    messages: 500,
    runs: 200,
    handler: transactional,
  });
  assert.equal(verdict, 'pass');
  assert.ok(ok);
});
