// A handler that assumes the updates of one account arrive in order, tested as in your own project:
// `node --test examples/`. A lost ack redelivers an old update after newer ones; the check over the final store
// (each account shows its newest update) catches the handler that writes it over them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadScenario, replay, simulate } from 'acksim';
import * as lastWriter from './last-writer.mjs';
import * as versioned from './versioned.mjs';

const orders = loadScenario(fileURLToPath(new URL('./orders.yaml', import.meta.url)));

test('the handler that assumes order shows an old update over a newer one, after one lost ack', async () => {
  const found = await simulate(orders, { ...lastWriter });
  assert.equal(found.verdict, 'fail');
  const [, checked] = found.result.results[0].checks;
  assert.equal(checked.expr, 'check(state)');
  assert.match(checked.reason, /^account \d shows update \d+, but update \d+ was applied$/);
  const [failure] = found.failures;
  assert.equal(failure.check, 'check(state)');
  assert.deepEqual(failure.faults.length, 1);
  assert.match(failure.faults[0], /^ack of #\d+ \(delivery 0\): dropped$/);
  assert.equal((await replay(failure.failure, orders, { ...lastWriter })).status, 'fail');
});

test('the versioned handler keeps the newest update of each account, over 50 seeds', async () => {
  const { verdict, result } = await simulate(orders, { ...versioned, runs: 50 });
  assert.equal(verdict, 'pass');
  assert.ok(result.results[0].aggregate.faultsInjected.ackLost > 0);
});
