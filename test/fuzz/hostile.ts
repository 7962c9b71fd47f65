// Hostile input for the fuzz tests: scenario texts (structured garbage, mutated built-ins, deep
// nesting, alias chains, bytes in other encodings, several documents) and command lines (each
// command's own flags with values a user or an attacker would write, plus unknown ones), over the paths
// inputs.test.ts lays out (links, a FIFO, a device, a loop).
import fc from 'fast-check';
import { anyText } from '../any-text.js';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { fromRoot } from '../root.js';

/** A password that must never be printed. */
export const PASSWORD = 'hunter2pw';

const fragments = fc.constantFrom(
  '\u001b[31m',
  '\u0000',
  '\u202e',
  '\ufeff',
  '\t',
  '\r\n',
  '[',
  ']',
  '{',
  '}',
  ': ',
  '- ',
  '? ',
  '---\n',
  '...\n',
  '&a ',
  '*a',
  '<<: *a\n',
  '!!binary ',
  '!!js/function ',
  '%YAML 1.1\n',
  '"',
  "'",
  '#',
  '|\n',
  '1e999',
  '-1',
  '.nan',
  '0x7fffffff',
  'x'.repeat(3000),
);
const hostileString = fc.oneof(anyText({ maxLength: 30 }), fragments);
const scalar = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1, 0, 0.5, 2 ** 53, -0, 50_000_000),
  hostileString,
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(
  fc.constantFrom(
    'name',
    'seed',
    'messages',
    'horizonMs',
    'maxEvents',
    'producer',
    'network',
    'broker',
    'consumers',
    'dedupe',
  ),
  fc.constantFrom(
    'sink',
    'faults',
    'modes',
    'expect',
    'ratePerSec',
    'ack',
    'loss',
    'count',
    'prefetch',
    'profile',
    'kind',
  ),
  hostileString,
);
const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const builtins = ['lost-acks', 'crash-after-effect', 'kafka-acks1-leader-failover'].map((name) =>
  readFileSync(fromRoot(`scenarios/${name}.yaml`), 'utf8'),
);

/** Hostile scenario texts: structured garbage, mutated built-ins, deep nesting, alias chains, bytes, several documents.
 * */
export const scenarioText: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.dictionary(key, value, { maxKeys: 8 }).map((data) => JSON.stringify(data)),
  fc.dictionary(key, value, { maxKeys: 8 }).map((data) => stringify(data)),
  fc
    .tuple(fc.constantFrom(...builtins), fc.array(fc.tuple(fc.nat(), fragments), { minLength: 1, maxLength: 6 }))
    .map(([text, edits]) =>
      edits.reduce(
        (t, [at, fragment]) => t.slice(0, at % (t.length + 1)) + fragment + t.slice(at % (t.length + 1)),
        text,
      ),
    ),
  fc
    .tuple(fc.constantFrom('[', '{"a":', '{a: ', '- ', ' ', 'a:\n ', '? '), fc.integer({ min: 1, max: 3000 }))
    .map(([open, n]) => `messages: ${open.repeat(n)}1\n`),
  fc.integer({ min: 2, max: 12 }).map((n) => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < n; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(i === 1 ? '*a' : `*a${i - 1}`)
          .join(', ')}]`,
      );
    return lines.join('\n');
  }),
  fc
    .tuple(
      fc.constantFrom([], [0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf], [0, 0, 0xfe, 0xff]),
      fc.uint8Array({ maxLength: 300 }),
    )
    .map(([bom, bytes]) => Uint8Array.from([...bom, ...bytes])),
  fc
    .array(fc.constantFrom('messages: 10', 'seed: 2', '{}', '[]', ''), { minLength: 2, maxLength: 4 })
    .map((docs) => docs.join('\n---\n')),
);

/**
 * Scenarios that loop, like the review's storm.yaml: consumers that fail (always, or 9 messages in
 * 10) and get the message again at once over links of a microsecond or less, so a run never
 * resolves and only its limits end it: the event limit, the cap on waiting events, explore's
 * per-schedule event limit. A 1 ms visibility timeout lets the timers expire as fast as they come.
 */
export const stormText: fc.Arbitrary<string> = fc
  .record({
    seed: fc.integer({ min: 1, max: 20 }),
    messages: fc.integer({ min: 1, max: 3 }),
    poisonRate: fc.constantFrom(1, 1, 0.9),
    latencyMs: fc.constantFrom(0.001, 0.0001, 0),
    visibilityTimeoutMs: fc.constantFrom(undefined, 1, 30_000),
    maxEvents: fc.constantFrom(undefined, 1_000, 300_000, 2_000_000),
    modes: fc.constantFrom(['at-least-once'], ['at-least-once', 'exactly-once']),
  })
  .map(({ seed, messages, poisonRate, latencyMs, visibilityTimeoutMs, maxEvents, modes }) =>
    stringify({
      seed,
      messages,
      ...(maxEvents === undefined ? {} : { maxEvents }),
      consumers: { poisonRate, processingMs: 0 },
      network: { deliver: { latencyMs }, ack: { latencyMs } },
      ...(visibilityTimeoutMs === undefined ? {} : { broker: { visibilityTimeoutMs } }),
      modes,
      expect: { all: ['lost == 0'] },
    }),
  );

const paths = fc.constantFrom(
  'tiny.yaml',
  'out.json',
  'sub/x.json',
  'notes.txt',
  'link-victim',
  'link-stdout',
  'link-folder',
  'link-folder/x.json',
  'loop-a',
  'fifo',
  'null',
  'sub',
  '.',
  '',
  'acksim-failures/x.json',
  'missing/x.json',
);
const numbers = fc.constantFrom(
  '-1',
  '0',
  '1',
  '2',
  '3',
  '20',
  '1e999',
  'NaN',
  ' ',
  '0x10',
  '1.5',
  '99999999999999999999',
  'Infinity',
  '\uff19',
);
const anyValue = fc.oneof(numbers, paths, hostileString);
const orHostile = (values: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 3, arbitrary: values }, { weight: 1, arbitrary: anyValue });
const modes = orHostile(fc.constantFrom('at-least-once', 'at-most-once,exactly-once', 'nope'));
const formats = orHostile(fc.constantFrom('table', 'json', 'markdown', 'junit', 'csv'));
const broker = orHostile(
  fc.constantFrom(
    `rabbitmq://me:${PASSWORD}@10.1.2.3:5672`,
    `redis://:${PASSWORD}@[::1`,
    `amqp://u:${PASSWORD}@127.0.0.1:1`,
    'redis://127.0.0.1:1',
  ),
);
const common: Array<[string, fc.Arbitrary<string> | undefined]> = [
  ['--mode', modes],
  ['--profile', orHostile(fc.constantFrom('kafka', 'sqs-standard', 'rabbitmq-quorum', 'redis-streams'))],
  ['--seed', numbers],
  ['--messages', numbers],
  ['--format', formats],
  ['--no-color', undefined],
];
/** The flags of each command, with values a user (or an attacker) would write. */
const FLAGS: Record<string, Array<[string, fc.Arbitrary<string> | undefined]>> = {
  run: [
    ...common,
    ['--runs', numbers],
    ['--workers', orHostile(fc.constantFrom('1', '2', '256'))],
    ['--shard', orHostile(fc.constantFrom('1/2', '2/2', '0/0', '3/2'))],
    ['--out', paths],
    ['--events', paths],
    [
      '--check',
      orHostile(
        fc.constantFrom('duplicates == 0', 'at-least-once:lost == 0', 'lost = 0', 'max(lost) == 0', 'lost < 1e999'),
      ),
    ],
    ['--no-shrink', undefined],
    ['--shrink-budget', numbers],
    ['--check-determinism', undefined],
    ['--force', undefined],
  ],
  compare: [...common, ['--runs', numbers], ['--quiet', undefined]],
  sweep: [
    ...common,
    [
      '--param',
      orHostile(
        fc.constantFrom(
          'network.ack.loss=0:0.1:0.05',
          'network.ack.loss=0:1e9:1e-9',
          'messages=1,2',
          'consumers.count=1:3:1',
          'x=1',
        ),
      ),
    ],
    ['--metric', orHostile(fc.constantFrom('duplicateRate', 'lost', 'lossByCause.expired'))],
    ['--runs', numbers],
    ['--workers', numbers],
    ['--out', paths],
    ['--force', undefined],
  ],
  trace: [
    ...common,
    ['--message', numbers],
    ['--anomalies', numbers],
    ['--from', numbers],
    ['--to', numbers],
    ['--limit', numbers],
  ],
  explain: [
    ...common,
    ['--message', numbers],
    ['--lost', undefined],
    ['--duplicated', undefined],
    ['--count', numbers],
  ],
  explore: [
    ...common,
    ['--max-faults', numbers],
    ['--max-schedules', numbers],
    ['--max-events', numbers],
    ['--trace', undefined],
    ['--faults', orHostile(fc.constantFrom('all', 'scenario'))],
  ],
  replay: [['--no-color', undefined]],
  merge: [
    ['--format', formats],
    ['--out', paths],
    ['--force', undefined],
  ],
  live: [...common, ['--broker', broker], ['--events', paths], ['--time-scale', numbers], ['--force', undefined]],
  validate: [['--profile', orHostile(fc.constantFrom('kafka', 'sqs-standard'))]],
};
const REQUIRED: Record<string, string> = { trace: '--mode', explain: '--mode', sweep: '--param', live: '--broker' };

/** A command line: a command, its positional arguments, flags mostly its own (and their required ones), some hostile.
 * */
export const commandLine = fc.constantFrom(...Object.keys(FLAGS)).chain((command) => {
  const own = FLAGS[command]!;
  const flag = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .constantFrom(...own.map((_, i) => i))
        .chain((i) => fc.tuple(fc.constant(own[i]![0]), own[i]![1] ?? fc.constant(undefined))),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constantFrom('--bogus', '--\u001b[31mred', '-x', '--allow-remote-typo'),
        fc.option(anyValue, { nil: undefined }),
      ),
    },
  );
  const required = REQUIRED[command];
  const requiredFlag =
    required === undefined
      ? fc.constant([])
      : fc.option(fc.tuple(fc.constant(required), own.find(([name]) => name === required)![1]!), { nil: undefined });
  const positional = fc.oneof(
    { weight: 3, arbitrary: fc.constant(['tiny.yaml']) },
    { weight: 1, arbitrary: fc.array(fc.oneof(paths, hostileString), { maxLength: 2 }) },
  );
  return fc
    .tuple(fc.constant(command), positional, fc.array(flag, { maxLength: 5 }), requiredFlag)
    .map(([name, args, flags, needed]) => [
      name,
      ...args,
      ...(needed === undefined ? [] : needed),
      ...flags.flatMap(([f, v]) => (v === undefined ? [f] : [f, v])),
    ]);
});
