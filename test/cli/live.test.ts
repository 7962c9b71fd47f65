// acksim live's refusals that need no broker: a prediction whose broker fields contradict the real
// broker is refused with one line per field and exit 2 before anything connects (port 1 would refuse
// the connection: the message shows nothing tried). The live runs themselves are in test/live.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { expect } from 'expect';
import { acksimInProcess } from './in-process.js';
import { ROOT } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acksim-live-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A scenario file in the scratch folder, lost-acks' shape with `broker` written into it. */
function scenario(name: string, broker: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    [
      `name: ${name}`,
      'messages: 1000',
      'producer: { ratePerSec: 200 }',
      'network: { ack: { loss: 0.01 } }',
      `broker: ${broker}`,
      'modes: [at-least-once]',
      '',
    ].join('\n'),
  );
  return path;
}

/** The refused fields of a `cannot run live` answer. */
function refusedFields(stderr: string): string[] {
  const lines = stderr.trimEnd().split('\n');
  expect(lines[0]).toBe('acksim: cannot run live:');
  return lines.slice(1).map((line) => line.replace(/^.*at-least-once: /, '').split(':')[0]!);
}

describe('acksim live refuses a prediction that contradicts the real broker', () => {
  it('a push model on Redis, whose consumers pull: from the scenario, or from --profile sqs-standard', async () => {
    const push = await acksimInProcess(
      [
        'live',
        scenario('push-on-redis', '{ profile: redis-streams, delivery: push }'),
        '--broker',
        'redis://127.0.0.1:1',
      ],
      ROOT,
    );
    expect(push.status).toBe(2);
    expect(refusedFields(push.stderr)).toEqual(['broker.delivery']);
    expect(push.stderr).toContain('(allowed: pull; --profile redis-streams sets it)');
    const sqs = await acksimInProcess(
      ['live', 'lost-acks', '--broker', 'redis://127.0.0.1:1', '--profile', 'sqs-standard', '--mode', 'at-least-once'],
      ROOT,
    );
    expect(sqs.status).toBe(2);
    // SQS ignores an old receipt handle where XACK takes any entry id, and it pushes.
    expect(refusedFields(sqs.stderr)).toEqual(['broker.lateAcks', 'broker.delivery']);
  });

  it('a pull model on RabbitMQ, which pushes (pull takes a delivery-wide timeout, which RabbitMQ has not either)', async () => {
    const pull = await acksimInProcess(
      [
        'live',
        'lost-acks',
        '--broker',
        'rabbitmq://guest:guest@127.0.0.1:1',
        '--profile',
        'redis-streams',
        '--mode',
        'at-least-once',
      ],
      ROOT,
    );
    expect(pull.status).toBe(2);
    expect(refusedFields(pull.stderr)).toEqual([
      'broker.visibilityTimeoutScope',
      'broker.prefetchCountsUnacked',
      'broker.requeueOnDisconnect',
      'broker.delivery',
    ]);
  });

  it('what neither broker does in the harness: backoff, throttling, a retention within the horizon', async () => {
    const r = await acksimInProcess(
      [
        'live',
        scenario(
          'pubsub-like',
          '{ redeliveryBackoff: { minMs: 10000, maxMs: 600000 }, maxPublishPerSec: 50, retentionMs: 60000 }',
        ),
        '--broker',
        'redis://127.0.0.1:1',
      ],
      ROOT,
    );
    expect(r.status).toBe(2);
    expect(refusedFields(r.stderr)).toEqual([
      'broker.redeliveryBackoff',
      'broker.maxPublishPerSec',
      'broker.retentionMs',
    ]);
  });
});

describe('acksim live --confidence', () => {
  it('takes a level from 0.5 to below 1, and refuses anything else with one line and exit 2, before any broker', async () => {
    for (const bad of ['1', '0.4', '95', 'abc', '-0.9', 'NaN']) {
      const r = await acksimInProcess(
        ['live', 'lost-acks', '--broker', 'redis://127.0.0.1:1', '--confidence', bad],
        ROOT,
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`acksim: --confidence ${bad}: allowed: a number from 0.5 to below 1 (0.95 is 95 %)\n`);
    }
  });
});
