// Broker profiles: every value agrees with the documented setting it names, and a scenario takes a
// profile's defaults under its own fields (from the file, a custom mode or --profile).
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { PROFILES, profileDefaults } from '../../../src/scenario/profiles.js';
import { defaultsOf } from '../../../src/scenario/defaults.js';
import { scenarioSchema } from '../../../src/scenario/schema.js';
import { validateScenario } from '../../../src/scenario/validate.js';
import { acksim } from '../../cli/run-cli.js';

/** The ways a documented duration of `ms` may be written in a knob's text. */
function spellings(ms: number): string[] {
  const units: Array<[number, string[]]> = [
    [1, ['ms']],
    [1000, ['s']],
    [60_000, ['min']],
    [3_600_000, ['h']],
    [86_400_000, ['days', 'day']],
  ];
  return units.flatMap(([size, names]) =>
    Number.isInteger(ms / size) ? names.map((name) => `${(ms / size).toLocaleString('en-US')} ${name}`) : [],
  );
}

const load = (text: string, profile?: string) => {
  const result = validateScenario(text, 'test.yaml', 'test', profile === undefined ? {} : { profile });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.scenario;
};

describe('broker profiles', () => {
  it('every setting names a real field, its source and the documented value', () => {
    const defaults = defaultsOf(scenarioSchema) as Record<string, Record<string, unknown>>;
    for (const profile of PROFILES) {
      for (const setting of profile.settings) {
        const [section, field] = setting.path.split('.') as [string, string];
        expect({ path: setting.path, known: field in (defaults[section] ?? {}) }).toEqual({
          path: setting.path,
          known: true,
        });
        expect(setting.source.length).toBeGreaterThan(10);
        if (typeof setting.value === 'number' && setting.value > 0) {
          const written = setting.path.endsWith('Ms')
            ? spellings(setting.value)
            : [`= ${setting.value.toLocaleString('en-US')}`];
          expect({ path: setting.path, agrees: written.some((w) => setting.knob.includes(w)) }).toEqual({
            path: setting.path,
            agrees: true,
          });
        }
      }
      // Every profile validates on its own.
      expect(load(`broker: {profile: ${profile.name}}`).config.broker.profile).toBe(profile.name);
    }
  });

  it("the issue's defaults: SQS 30 s / 4 days / FIFO 5 min, Pub/Sub 10 s and 10-600 s backoff, RabbitMQ 30 min and limit 20, NATS 30 s and 2 min, Azure 60 s and 10", () => {
    const broker = (name: string) => load(`broker: {profile: ${name}}`).config.broker;
    expect([broker('sqs-standard').visibilityTimeoutMs, broker('sqs-standard').retentionMs]).toEqual([
      30_000,
      4 * 86_400_000,
    ]);
    expect(broker('sqs-fifo').publishDedupeWindowMs).toBe(300_000);
    expect(broker('pubsub').visibilityTimeoutMs).toBe(10_000);
    expect(broker('pubsub').redeliveryBackoff).toEqual({ minMs: 10_000, maxMs: 600_000 });
    expect([broker('rabbitmq-quorum').visibilityTimeoutMs, broker('rabbitmq-quorum').maxDeliveries]).toEqual([
      1_800_000, 20,
    ]);
    expect(broker('rabbitmq-quorum').requeueOnDisconnect).toBe(true);
    expect([
      broker('redis-streams').delivery,
      broker('rabbitmq-quorum').delivery,
      broker('sqs-standard').delivery,
    ]).toEqual(['pull', 'push', 'push']);
    expect([broker('nats-jetstream').visibilityTimeoutMs, broker('nats-jetstream').publishDedupeWindowMs]).toEqual([
      30_000, 120_000,
    ]);
    expect([broker('nats-jetstream').maxDeliveries, broker('nats-jetstream').deadLetter]).toEqual([0, false]);
    expect([broker('azure-service-bus').visibilityTimeoutMs, broker('azure-service-bus').maxDeliveries]).toEqual([
      60_000, 10,
    ]);
    const kafka = load('broker: {profile: kafka}').config;
    expect([kafka.broker.kind, kafka.producer.acks, kafka.consumers.commit]).toEqual(['log', 'all', 'auto']);
    expect([
      kafka.consumers.autoCommitIntervalMs,
      kafka.consumers.maxPollRecords,
      kafka.consumers.maxPollIntervalMs,
    ]).toEqual([5000, 500, 300_000]);
  });

  it('the scenario’s own fields win over the profile; a custom mode may take another profile', () => {
    const scenario = load(`
broker: {profile: sqs-standard, visibilityTimeoutMs: 5000}
modes:
  - at-least-once
  - {name: on-rabbit, base: at-least-once, broker: {profile: rabbitmq-quorum}}
`);
    expect(scenario.config.broker.visibilityTimeoutMs).toBe(5000);
    expect(scenario.config.broker.retentionMs).toBe(profileDefaults('sqs-standard').broker!['retentionMs' as never]);
    const rabbit = scenario.modes[1]!.config.broker;
    expect(rabbit.profile).toBe('rabbitmq-quorum');
    expect(rabbit.visibilityTimeoutMs).toBe(5000);
    expect([rabbit.maxDeliveries, rabbit.requeueOnDisconnect, rabbit.retentionMs]).toEqual([20, true, 0]);
  });

  it("producer.idempotent (Kafka enable.idempotence) sets every mode's idempotent publish; a mode's own knob wins", () => {
    const scenario = load(`
broker: {profile: kafka}
modes: [at-least-once, {name: off, base: exactly-once, idempotentPublish: false}]
`);
    expect(scenario.modes.map((m) => m.mode.idempotentPublish)).toEqual([true, false]);
    const off = load('broker: {profile: kafka}\nproducer: {idempotent: false}\nmodes: [exactly-once]');
    expect(off.modes[0]!.mode.idempotentPublish).toBe(false);
    expect(load('modes: [at-least-once]').modes[0]!.mode.idempotentPublish).toBe(false);
  });

  it('--profile swaps the profile in; reports and reproduce commands carry it', () => {
    expect(load('broker: {profile: sqs-standard}', 'pubsub').config.broker.visibilityTimeoutMs).toBe(10_000);
    const r = acksim([
      'run',
      'lost-acks',
      '--profile',
      'pubsub',
      '--mode',
      'at-least-once',
      '--messages',
      '300',
      '--format',
      'json',
      '--no-shrink',
    ]);
    const report = JSON.parse(r.stdout) as { scenarios: Array<{ profile: string; reproduce: string }> };
    expect(report.scenarios[0]!.profile).toBe('pubsub');
    expect(report.scenarios[0]!.reproduce).toContain('--profile pubsub');
    const bad = acksim(['run', 'lost-acks', '--profile', 'kafak']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are sqs-standard, sqs-fifo/);
  });

  it('acksim profiles lists every profile; one profile shows its sources; an unknown one exits 2', () => {
    const all = acksim(['profiles']);
    expect(all.status).toBe(0);
    for (const p of PROFILES) expect(all.stdout).toContain(`${p.name}  ${p.system}`);
    const one = acksim(['profiles', 'sqs-fifo']);
    expect(one.stdout).toMatch(
      /broker.publishDedupeWindowMs = 300000 +deduplication interval = 5 min\n +source: https:\/\/docs.aws.amazon.com/,
    );
    expect(JSON.parse(acksim(['profiles', '--format', 'json']).stdout)).toHaveLength(PROFILES.length);
    const bad = acksim(['profiles', 'nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no profile "nope" \(allowed: sqs-standard/);
  });

  it('a bad profile in a file names the line and the allowed values', () => {
    const result = validateScenario('broker:\n  profile: kafak\n', 'f.yaml', 'f');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]).toMatchObject({ line: 2, path: 'broker.profile' });
  });
});
