// Percentages and durations with units in scenario files: read back exactly as written, checked by
// the schema, refused with what is allowed.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { fromRoot } from '../../root.js';
import { formatIssue } from '../../../src/errors.js';
import { DURATION_UNITS, formatUnit, parseUnit } from '../../../src/scenario/units.js';
import { validateScenario } from '../../../src/scenario/validate.js';

function validate(text: string) {
  const result = validateScenario(text, 'x.yaml', 'x');
  return result.ok
    ? { config: result.scenario.config, modes: result.scenario.modes, problems: [] }
    : { problems: result.issues.map(formatIssue) };
}

describe('units in scenario files', () => {
  it('parse(format(x)) == x for fractions and durations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (k) => {
        const x = k / 10_000;
        expect(parseUnit(formatUnit(x, 'fraction'), 'fraction')).toEqual({ ok: true, value: x });
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom(...Object.values(DURATION_UNITS)),
        (n, factor) => {
          const ms = n * factor;
          const text = formatUnit(ms, 'ms');
          expect(text).toMatch(/^\d+(ms|s|min|h)$/);
          expect(parseUnit(text, 'ms')).toEqual({ ok: true, value: ms });
        },
      ),
    );
  });

  it('a scenario with units runs exactly as the same scenario with numbers', () => {
    const withUnits = validate(`
horizonMs: 1h
network: { ack: { loss: 2.5%, latencyMs: 5ms } }
broker: { visibilityTimeoutMs: 30s }
consumers: { poisonRate: 0.1%, crash: { probability: 1%, restartMs: 2min } }
faults: [{ type: broker-crash, atMs: 1.5s, durationMs: 500ms }]
modes: [at-least-once, { name: slow, base: at-least-once, broker: { visibilityTimeoutMs: 1min } }]
`);
    const withNumbers = validate(`
horizonMs: 3600000
network: { ack: { loss: 0.025, latencyMs: 5 } }
broker: { visibilityTimeoutMs: 30000 }
consumers: { poisonRate: 0.001, crash: { probability: 0.01, restartMs: 120000 } }
faults: [{ type: broker-crash, atMs: 1500, durationMs: 500 }]
modes: [at-least-once, { name: slow, base: at-least-once, broker: { visibilityTimeoutMs: 60000 } }]
`);
    expect(withUnits.problems).toEqual([]);
    expect(withUnits.config).toEqual(withNumbers.config);
    expect(withUnits.modes).toEqual(withNumbers.modes);
  });

  it('refuses a bad unit, a number in quotes and an out-of-range percentage in one line each, with line:col and what is allowed', () => {
    const { problems } = validate(
      'network: { ack: { loss: 200%, latencyMs: 5sec } }\nbroker: { visibilityTimeoutMs: 30m }\nconsumers: { poisonRate: "0.1" }\n',
    );
    expect(problems).toEqual([
      expect.stringMatching(/^x\.yaml:1:25 +network\.ack\.loss +out of range: 2 \(allowed: 0\.\.1\); written "200%"$/),
      expect.stringMatching(
        /^x\.yaml:1:42 +network\.ack\.latencyMs +"5sec": unknown unit "sec" \(allowed: a number of ms, or a number with a unit \(ms, s, min, h\)/,
      ),
      expect.stringMatching(
        /^x\.yaml:2:32 +broker\.visibilityTimeoutMs +"30m": m is ambiguous \(write min for minutes, ms for milliseconds\)/,
      ),
      expect.stringMatching(
        /^x\.yaml:3:26 +consumers\.poisonRate +"0\.1" is a number in quotes; write it without them \(allowed: a number from 0 to 1, or a percentage/,
      ),
    ]);
    // A percentage where a duration goes, and a duration where a probability goes.
    expect(validate('broker: { visibilityTimeoutMs: 5% }').problems[0]).toMatch(/unknown unit "%"/);
    expect(validate('network: { ack: { loss: 5s } }').problems[0]).toMatch(
      /"5s": unknown unit "s" \(allowed: a number from 0 to 1, or a percentage/,
    );
  });

  it('the published schema allows these strings where units are allowed, and nowhere else', () => {
    const schema = JSON.parse(readFileSync(fromRoot('schema/scenario.schema.json'), 'utf8')) as object;
    const check = new Ajv({ strict: false, discriminator: true }).compile(schema);
    const ok = (value: unknown) => check(value);
    expect(ok({ network: { ack: { loss: '2%', latencyMs: '30s' } }, broker: { visibilityTimeoutMs: '1min' } })).toBe(
      true,
    );
    expect(ok({ faults: [{ type: 'broker-crash', atMs: '1s', durationMs: '500ms' }] })).toBe(true);
    expect(ok({ network: { ack: { loss: '2 percent' } } })).toBe(false);
    expect(ok({ broker: { visibilityTimeoutMs: '30sec' } })).toBe(false);
    expect(ok({ messages: '10' })).toBe(false);
    expect(ok({ producer: { ratePerSec: '10%' } })).toBe(false);
  });
});
