// The building blocks of the scenario schema (schema.ts): numbers with units, tagged unions,
// distributions, a network link, and the scheduled faults, each fault with what it does (docs print it).
import { Type, type SchemaOptions, type Static, type TObject, type TUnion } from '@sinclair/typebox';
import { UNIT_KEYWORD, UNIT_PATTERNS, type UnitKind } from './units.js';

/**
 * A number, or a string with a unit (`2%`, `30s`): `minimum` and `maximum` apply to numbers, `pattern`
 * to strings. Validation turns the strings into numbers (normalizeUnits) before the ranges are
 * checked, so what the rest of acksim reads is always a number.
 */
export const withUnit = (kind: UnitKind, options: Record<string, unknown>) =>
  Type.Unsafe<number>({ type: ['number', 'string'], pattern: UNIT_PATTERNS[kind], [UNIT_KEYWORD]: kind, ...options });

export const probability = (description: string) =>
  Type.Optional(withUnit('fraction', { minimum: 0, maximum: 1, default: 0, description }));

export const nonNegative = (value: number, description: string) =>
  Type.Optional(Type.Number({ minimum: 0, default: value, description }));

/** A duration in ms: a number, or a string with its unit (`30s`). */
export const milliseconds = (value: number, description: string) =>
  Type.Optional(withUnit('ms', { minimum: 0, default: value, description }));

export const count = (value: number, minimum: number, maximum: number, description: string) =>
  Type.Optional(Type.Integer({ minimum, maximum, default: value, description }));

/**
 * A union of objects told apart by their `tag` field, typed as the union of those objects. It is written
 * as a `oneOf` with ajv's `discriminator` (TypeBox's own Union gives `anyOf`), so a wrong tag gets one
 * clear message instead of one per branch.
 */
export function tagged<T extends TObject[]>(tag: string, variants: [...T], options: SchemaOptions = {}) {
  return Type.Unsafe<Static<TUnion<T>>>({
    type: 'object',
    required: [tag],
    discriminator: { propertyName: tag },
    ...options,
    oneOf: variants,
  });
}

export const distributionMs = (description: string, bound: 'minimum' | 'exclusiveMinimum' = 'minimum') =>
  Type.Number({ [bound]: 0, description });

/** A distribution of durations in ms; the parent field's name carries the unit. */
export const distribution = tagged('dist', [
  Type.Object(
    { dist: Type.Literal('constant'), value: distributionMs('the duration, ms') },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      dist: Type.Literal('uniform'),
      min: distributionMs('shortest duration, ms'),
      max: distributionMs('longest duration, ms'),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { dist: Type.Literal('exponential'), mean: distributionMs('mean duration, ms') },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      dist: Type.Literal('normal'),
      mean: distributionMs('mean duration, ms'),
      stddev: distributionMs('standard deviation, ms (draws below 0 count as 0)'),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      dist: Type.Literal('lognormal'),
      mean: distributionMs('mean duration, ms', 'exclusiveMinimum'),
      stddev: distributionMs('standard deviation, ms'),
    },
    { additionalProperties: false },
  ),
]);

/** A duration: a number of ms, or a distribution object. */
export const duration = (value: number, description: string) =>
  Type.Optional(
    Type.Unsafe<number | Static<typeof distribution>>({
      description: `${description}: a number of ms, or {dist: constant|uniform|exponential|normal|lognormal, ...}`,
      default: value,
      if: { type: 'object' },
      then: distribution,
      else: { type: ['number', 'string'], minimum: 0, pattern: UNIT_PATTERNS.ms, [UNIT_KEYWORD]: 'ms' },
    }),
  );

export const link = (description: string) =>
  Type.Optional(
    Type.Object(
      {
        loss: probability('chance that a transmission is dropped'),
        duplicate: probability('chance that a transmission that is not dropped arrives twice'),
        latencyMs: duration(1, 'one-way latency'),
      },
      { additionalProperties: false, description },
    ),
  );

export const window = {
  atMs: withUnit('ms', { minimum: 0, description: 'when the fault starts, ms of virtual time' }),
  durationMs: withUnit('ms', { minimum: 0, description: 'how long it lasts, ms' }),
};

export const fault = tagged(
  'type',
  [
    Type.Object(
      { type: Type.Literal('broker-crash'), ...window },
      {
        additionalProperties: false,
        description:
          'the broker is down; publishes and acks that reach it are dropped; a non-durable broker loses everything it holds; a durable one requeues unacked deliveries when it restarts.',
      },
    ),
    Type.Object(
      { type: Type.Literal('leader-failover'), ...window },
      {
        additionalProperties: false,
        description:
          'log broker (`broker.kind: log`): the partition leaders fail; a follower takes over after `durationMs`, without the records it had not replicated yet (`broker.replicationLagMs`; with `producer.acks: 1` a confirmed record can be lost).',
      },
    ),
    Type.Object(
      {
        type: Type.Literal('consumer-crash'),
        consumer: Type.Integer({ minimum: 0, description: 'index of the consumer, from 0' }),
        ...window,
      },
      {
        additionalProperties: false,
        description: 'consumer `consumer` (from 0) is down; the deliveries it held are abandoned.',
      },
    ),
    Type.Object(
      {
        type: Type.Literal('partition'),
        link: Type.Union(
          [Type.Literal('publish'), Type.Literal('confirm'), Type.Literal('deliver'), Type.Literal('ack')],
          {
            description: 'the link that drops everything during the window',
          },
        ),
        ...window,
      },
      {
        additionalProperties: false,
        description: 'the link (`publish`, `confirm`, `deliver`, `ack`) drops everything sent during the window.',
      },
    ),
    Type.Object(
      { type: Type.Literal('dlq-redrive'), atMs: window.atMs },
      {
        additionalProperties: false,
        description:
          'queue broker: every message in the dead-letter queue moves back to the queue (SQS StartMessageMoveTask, a Service Bus or RabbitMQ shovel) and is delivered again as a new message, its delivery count from zero; one whose effect had run runs again (cause `redrive`).',
      },
    ),
  ],
  { description: 'a fault at a fixed time' },
);

/** broker.pricing: a broker's list prices, for the cost metric (M8). */
export const pricing = Type.Optional(
  Type.Object(
    {
      usdPerMillionRequests: nonNegative(
        0,
        'US dollars per million requests: sends, receives, deletes (acks), visibility changes (nacks, lease extensions); SQS standard 0.40, FIFO 0.50',
      ),
      requestChunkBytes: count(
        65536,
        1,
        2 ** 30,
        'each this many bytes of a payload, or part of it, is billed as one request (SQS: 64 KB)',
      ),
      usdPerTiB: nonNegative(0, 'US dollars per TiB moved by publishes and deliveries (Pub/Sub throughput: 40)'),
      minBytesPerRequest: count(0, 0, 2 ** 30, 'the fewest bytes a publish or delivery is billed for (Pub/Sub: 1,000)'),
      messageBytes: count(
        1024,
        1,
        2 ** 30,
        "a message's size in bytes, payload and attributes, as the price counts it",
      ),
    },
    {
      additionalProperties: false,
      description:
        'list prices, for costUsd and costPerMillionDelivered (every price 0: no cost); the profiles of SQS and Pub/Sub set them',
    },
  ),
);
