// One test per kind of bad input: each must give one clear line with line:column, path and what is allowed.
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { fromRoot } from '../../root.js';
import { each } from '../../each.js';
import { defaultsOf, merge } from '../../../src/scenario/defaults.js';
import { schemaJson, scenarioSchema } from '../../../src/scenario/schema.js';
import { validateScenario } from '../../../src/scenario/validate.js';
import { formatIssue } from '../../../src/errors.js';

function problems(text: string): string[] {
  const result = validateScenario(text, 'x.yaml', 'x');
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe('scenario validation', () => {
  it('accepts an empty scenario and fills every default from the schema', () => {
    const result = validateScenario('{}', 'x.json', 'x');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.scenario.name).toBe('x');
    expect(result.scenario.config.broker.visibilityTimeoutMs).toBe(30000);
    expect(result.scenario.config.producer.retry.maxAttempts).toBe(10);
    expect(result.scenario.modes.map((m) => m.mode.name)).toEqual(['at-most-once', 'at-least-once', 'exactly-once']);
  });

  each(
    [
      [
        'unknown field',
        'producer:\n  ratePerSecond: 5\n',
        'x.yaml:2:3  producer.ratePerSecond  unknown field "ratePerSecond" (allowed: ratePerSec, acks, arrivals, crash, idempotent, maxInFlight, delayMs, delayHeldBy, keys, outbox, confirmTimeoutMs, retry)',
      ],
      ['wrong type', 'messages: lots\n', 'x.yaml:1:11  messages  must be an integer, got "lots"'],
      ['a list, not "an list"', 'modes: at-least-once\n', 'x.yaml:1:8  modes  must be a list, got "at-least-once"'],
      [
        'probability out of range',
        'network:\n  ack: {loss: 1.5}\n',
        'x.yaml:2:15  network.ack.loss  out of range: 1.5 (allowed: 0..1)',
      ],
      [
        'not one of the allowed values',
        'producer: {arrivals: bursty}\n',
        'x.yaml:1:22  producer.arrivals  must be one of: constant, poisson; got "bursty"',
      ],
      [
        'unknown distribution',
        'consumers:\n  processingMs: {dist: weibull}\n',
        'x.yaml:2:24  consumers.processingMs.dist  must be one of: constant, uniform, exponential, normal, lognormal; got "weibull"',
      ],
      [
        'distribution missing a field',
        'consumers:\n  processingMs: {dist: uniform, min: 1}\n',
        'x.yaml:2:17  consumers.processingMs  missing required field "max"',
      ],
      [
        'unknown mode',
        'modes: [at-least-twice]\n',
        'x.yaml:1:9  modes[0]  must be one of: at-most-once, at-least-once, exactly-once, or a custom mode {name, base, ...}; got "at-least-twice"',
      ],
      [
        'bad custom mode knob',
        'modes:\n  - {name: m, base: at-least-once, ack: never}\n',
        'x.yaml:2:41  modes[0].ack  must be one of: auto, before-effect, after-effect; got "never"',
      ],
      [
        'unknown fault type',
        'faults:\n  - {type: meteor, atMs: 1, durationMs: 1}\n',
        'x.yaml:2:12  faults[0].type  must be one of: broker-crash, leader-failover, consumer-crash, partition, dlq-redrive; got "meteor"',
      ],
      [
        'maxMs below baseMs',
        'producer:\n  retry: {baseMs: 500, maxMs: 100}\n',
        'x.yaml:2:31  producer.retry.maxMs  maxMs (100) is less than baseMs (500) (allowed: maxMs >= baseMs)',
      ],
      [
        'uniform min above max',
        'network:\n  deliver: {latencyMs: {dist: uniform, min: 9, max: 3}}\n',
        'x.yaml:2:45  network.deliver.latencyMs.min  min (9) is greater than max (3) (allowed: min <= max)',
      ],
      [
        'concurrency above prefetch',
        'consumers: {prefetch: 2, concurrency: 3}\n',
        'x.yaml:1:39  consumers.concurrency  concurrency (3) is greater than prefetch (2) (allowed: concurrency <= prefetch)',
      ],
      [
        'pull delivery with a channel-wide timeout',
        'broker: {delivery: pull, visibilityTimeoutScope: channel}\n',
        'x.yaml:1:50  broker.visibilityTimeoutScope  a channel-wide timeout needs pushed deliveries (allowed: delivery, with broker.delivery: pull)',
      ],
      [
        'pull delivery with a prefetch of unacked deliveries',
        'broker: {delivery: pull, prefetchCountsUnacked: true}\n',
        'x.yaml:1:49  broker.prefetchCountsUnacked  a prefetch of unacked deliveries needs pushed deliveries (allowed: false, with broker.delivery: pull)',
      ],
      [
        'transactions on a queue broker',
        'consumers: {transactional: true}\n',
        'x.yaml:1:28  consumers.transactional  transactions need a log broker (allowed: false, or true with broker.kind: log)',
      ],
      [
        'transactions with an asynchronous poll loop',
        'broker: {kind: log}\nconsumers: {transactional: true, pollLoop: async}\n',
        "x.yaml:2:44  consumers.pollLoop  a transaction spans one poll's batch, processed before the next poll (allowed: sync, with consumers.transactional: true)",
      ],
      [
        'fault on a missing consumer',
        'faults:\n  - {type: consumer-crash, consumer: 3, atMs: 0, durationMs: 1}\n',
        'x.yaml:2:38  faults[0].consumer  no consumer 3 (allowed: 0..0, from consumers.count)',
      ],
      [
        'check on an unknown mode',
        'expect:\n  at-least-twice: ["lost == 0"]\n',
        'x.yaml:2:3  expect.at-least-twice  unknown mode "at-least-twice" (allowed: at-most-once, at-least-once, exactly-once, all)',
      ],
      [
        'check on an unknown metric',
        'expect:\n  all: ["loss == 0"]\n',
        'x.yaml:2:9  expect.all[0]  unknown metric "loss" in check "loss == 0"',
      ],
      ['unreadable check', 'expect:\n  all: ["lost = 0"]\n', 'x.yaml:2:9  expect.all[0]  cannot read check "lost = 0"'],
      [
        'reserved custom mode name',
        'modes:\n  - {name: all, base: at-least-once}\n',
        'x.yaml:2:12  modes[0].name  "all" is reserved',
      ],
      [
        'mode listed twice',
        'modes: [at-most-once, at-most-once]\n',
        'x.yaml:1:23  modes[1]  mode "at-most-once" is listed twice',
      ],
      [
        'unknown field in a custom mode, with the near name',
        'modes:\n  - {name: careful, base: exactly-once, dedup: {windowMs: 5}}\n',
        'x.yaml:2:41  modes[0].dedup  unknown field "dedup"; did you mean "dedupe"? (allowed: name, base,',
      ],
      [
        'custom mode without a name',
        'modes:\n  - {base: exactly-once}\n',
        'x.yaml:2:5  modes[0]  missing required field "name"',
      ],
      [
        'custom mode without a base',
        'modes:\n  - {name: careful}\n',
        'x.yaml:2:5  modes[0]  missing required field "base"',
      ],
      [
        'a top-level field inside a custom mode',
        'modes:\n  - {name: x, base: at-least-once, messages: 5}\n',
        'x.yaml:2:36  modes[0].messages  unknown field "messages"',
      ],
      [
        'a terminal escape in the name',
        'name: "red\\e[31m"\n',
        'x.yaml:1:7  name  holds a control character such as a terminal escape (allowed: one line of printable text)',
      ],
      ['a summary of two lines', 'summary: "one\\ntwo"\n', 'x.yaml:1:10  summary  holds a control character'],
      [
        'a summary too long',
        `summary: ${'x'.repeat(301)}\n`,
        'x.yaml:1:10  summary  is 301 characters long (allowed: at most 300)',
      ],
      ['malformed YAML', 'producer: [1, 2\n', 'x.yaml:2:1  (syntax)'],
      ['duplicate key', 'messages: 1\nmessages: 2\n', 'x.yaml:2:1  (syntax)  Map keys must be unique'],
      ['not a mapping', '- 1\n', 'x.yaml:1:1  (top level)  a scenario must be a mapping'],
    ],
    '%s',
    (_name, text, expected) => {
      const found = problems(text);
      expect(found.length).toBe(1);
      expect(found[0]).toContain(expected);
    },
  );

  it('reads JSON as well as YAML, with positions', () => {
    expect(problems('{\n  "messages": -1\n}')).toEqual([
      'x.yaml:2:15  messages  out of range: -1 (allowed: 0..50000000)',
    ]);
  });

  it('reports every problem of a file at once', () => {
    expect(problems('messages: -1\nproducer: {bogus: 1}\n')).toHaveLength(2);
  });

  it('applies custom mode overrides on top of the scenario', () => {
    const result = validateScenario(
      'broker: {visibilityTimeoutMs: 1000}\nmodes:\n  - {name: slow, base: exactly-once, ack: before-effect, broker: {maxDeliveries: 3}}\n',
      'x.yaml',
      'x',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [mode] = result.scenario.modes;
    expect(mode!.mode).toEqual({
      name: 'slow',
      ack: 'before-effect',
      publishRetry: true,
      idempotentPublish: true,
      consumerDedupe: true,
    });
    expect(mode!.config.broker).toMatchObject({ visibilityTimeoutMs: 1000, maxDeliveries: 3 });
  });
});

describe('schema and defaults', () => {
  it('ships schema/scenario.schema.json exactly as the code defines it', () => {
    const shipped = JSON.parse(readFileSync(fromRoot('schema/scenario.schema.json'), 'utf8'));
    expect(shipped).toEqual(schemaJson());
  });

  it('gives every field of every section a description and a default', () => {
    const walk = (schema: Record<string, unknown>, path: string): string[] => {
      const missing: string[] = [];
      for (const [key, property] of Object.entries(
        (schema.properties ?? {}) as Record<string, Record<string, unknown>>,
      )) {
        if (property.description === undefined) missing.push(`${path}${key} has no description`);
        if (property.properties !== undefined) missing.push(...walk(property, `${path}${key}.`));
        else if (
          property.default === undefined &&
          // maxEvents: its default follows messages, and its description says how.
          !['$schema', 'name', 'profile', 'producer', 'network', 'broker', 'consumers', 'dedupe', 'maxEvents'].includes(
            key,
          )
        ) {
          missing.push(`${path}${key} has no default`);
        }
      }
      return missing;
    };
    expect(walk(scenarioSchema as unknown as Record<string, unknown>, '')).toEqual([]);
  });

  it('merges objects key by key and replaces everything else', () => {
    expect(merge({ a: { b: 1, c: 2 }, d: [1] }, { a: { c: 3 }, d: [2] })).toEqual({ a: { b: 1, c: 3 }, d: [2] });
    expect(defaultsOf({ properties: { x: { default: 1 }, y: { properties: { z: { default: 'q' } } } } })).toEqual({
      x: 1,
      y: { z: 'q' },
    });
  });
});
