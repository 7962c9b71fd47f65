// The command line as users and CI see it: exit codes, stdout, stderr, files.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { each } from '../each.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { acksim, acksimProcess } from './run-cli.js';

const fixture = (name: string) => `test/cli/fixtures/${name}.yaml`;

/** The consumers section's fields, as the schema lists them. */
const consumerFields = Object.keys(
  (scenarioSchema as unknown as { properties: { consumers: { properties: object } } }).properties.consumers.properties,
);

describe('acksim run: exit codes', () => {
  // These four run the real binary: the exit code of the process is what CI sees. The rest run in process.
  it('exits 0 when every check passes', () => {
    const r = acksimProcess(['run', fixture('passing')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/PASS: 2 checks in 1 scenario/);
  });

  it('exits 1 when a check fails, and shows the actual value', () => {
    const r = acksimProcess(['run', fixture('failing'), '--no-shrink']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/✗ at-least-once: duplicates == 0 {2}\(actual [1-9]\d*\)/);
  });

  it('exits 3 when a check depends on messages still unresolved at the horizon', () => {
    const r = acksimProcess(['run', fixture('inconclusive')]);
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/INCONCLUSIVE/);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(
      /unresolved when the run stopped \(horizonMs: the scenario's horizon was reached\)/,
    );
  });

  it('exits 2 on an invalid scenario, one line per problem and no stack trace', () => {
    const r = acksimProcess(['run', fixture('invalid')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      'test/cli/fixtures/invalid.yaml:3:15  producer.ratePerSec  out of range: -5 (allowed: > 0)',
      'test/cli/fixtures/invalid.yaml:4:20  producer.retry.jitter  must be one of: none, full, equal, decorrelated; got "sometimes"',
      `test/cli/fixtures/invalid.yaml:5:24  consumers.bogus  unknown field "bogus" (allowed: ${consumerFields.join(', ')})`,
    ]);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('never lets a bad scenario vanish: a folder with one good and one bad file exits 2 and names the bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-mixed-'));
    writeFileSync(join(dir, 'good.yaml'), readFileSync(fixture('passing')));
    writeFileSync(join(dir, 'bad.yaml'), 'modes:\n  - {name: careful, base: exactly-once, dedup: {windowMs: 5}}\n');
    for (const command of [
      ['validate', dir],
      ['run', dir, '--check', 'lost == 0'],
    ]) {
      const r = acksim(command, { cwd: dir });
      expect({ command: command[0], status: r.status }).toEqual({ command: command[0], status: 2 });
      expect(r.stderr).toMatch(/bad\.yaml:2:41 {2}modes\[0\]\.dedup {2}unknown field "dedup"; did you mean "dedupe"\?/);
      expect(r.stdout).not.toMatch(/PASS/);
    }
  });

  it('exits 3, not 0, when a single run met none of the faults its scenario configures, as with --runs', () => {
    for (const runs of ['1', '3']) {
      const r = acksim(['run', fixture('passing'), '--messages', '3', '--mode', 'at-least-once', '--runs', runs]);
      expect({ runs, status: r.status }).toEqual({ runs, status: 3 });
      expect(r.stdout.replace(/\s+/g, ' ')).toMatch(
        runs === '1' ? /a configured fault never fired: ackLost/ : /no run met ackLost/,
      );
    }
  });

  each<[string[], RegExp]>(
    [
      [['run', 'no-such-file.yaml'], /no-such-file.yaml {2}\(file\) {2}no such file, folder or built-in scenario/],
      [['run', fixture('passing'), '--seed', 'abc'], /--seed abc: not an integer in 0\.\.2147483647/],
      [['run', fixture('passing'), '--messages', '-3'], /--messages -3: not an integer/],
      [
        ['run', fixture('passing'), '--format', 'pdf'],
        /argument 'pdf' is invalid. Allowed choices are table, json, markdown, junit/,
      ],
      [
        ['run', fixture('passing'), '--mode', 'at-least-twice'],
        /--mode at-least-twice: no scenario has this mode \(allowed: at-most-once, at-least-once, exactly-once\)/,
      ],
      [['run', fixture('passing'), '--check', 'lost = 0'], /--check: cannot read check "lost = 0"/],
      [['run', fixture('passing'), '--check', 'nope:lost == 0'], /--check "nope:lost == 0": unknown mode "nope"/],
      [['run', fixture('passing'), '--check', 'los == 0'], /unknown metric "los"/],
      [['run', fixture('passing'), '--check', 'duplicateRate < 1'], /duplicateRate is a fraction, so 1 means 100%/],
      [['run', fixture('passing'), '--check', 'lost < 1e999'], /1e999 is not a finite number/],
      [['run', fixture('passing'), '--bogus'], /unknown option '--bogus'/],
      [
        ['run'],
        /run: no scenario given \(allowed: files, folders, built-in names \(acksim list\), or --all for every built-in\)/,
      ],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ],
    'exits 2 with one clear line: acksim %j',
    (args, message) => {
      const r = acksim(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
  );
});

describe('acksim run: options', () => {
  it('--check adds checks, for one mode with a prefix', () => {
    const r = acksim([
      'run',
      fixture('passing'),
      '--check',
      'at-least-once:duplicates == 0',
      '--format',
      'json',
      '--no-shrink',
    ]);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    const alo = json.scenarios[0].results.find((x: { mode: string }) => x.mode === 'at-least-once');
    expect(alo.checks.map((c: { expr: string; source: string }) => [c.expr, c.source])).toEqual([
      ['lost == 0', 'scenario'],
      ['duplicates == 0', 'cli'],
    ]);
  });

  it('--mode runs only the modes named (repeatable or comma-separated)', () => {
    const json = JSON.parse(
      acksim(['run', fixture('passing'), '--mode', 'at-most-once,exactly-once', '--format', 'json']).stdout,
    );
    expect(json.scenarios[0].results.map((x: { mode: string }) => x.mode)).toEqual(['at-most-once', 'exactly-once']);
  });

  it('--seed and --messages change the run, and the reproduce command says so', () => {
    const a = JSON.parse(
      acksim(['run', fixture('passing'), '--format', 'json', '--seed', '5', '--messages', '200']).stdout,
    );
    expect(a.scenarios[0].seed).toBe(5);
    expect(a.scenarios[0].results[0].metrics.produced).toBe(200);
    expect(a.scenarios[0].reproduce).toBe('acksim run test/cli/fixtures/passing.yaml --seed 5 --messages 200');
  });

  it('gives byte-identical JSON for the same inputs and seed', () => {
    const args = ['run', 'scenarios/lost-acks.yaml', fixture('passing'), '--format', 'json', '--messages', '2000'];
    expect(acksim(args).stdout).toBe(acksim(args).stdout);
  });

  it('runs a built-in scenario by name', () => {
    const r = acksim(['run', 'lost-acks', '--messages', '1000', '--format', 'json'], { cwd: tmpdir() });
    expect(JSON.parse(r.stdout).scenarios[0].file).toBe('lost-acks');
  });

  it('--out writes the report and still prints the table; it never overwrites an input or a foreign file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-'));
    const out = join(dir, 'report.xml');
    const first = acksim(['run', fixture('passing'), '--format', 'junit', '--out', out]);
    expect(first.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<\?xml/);
    expect(first.stdout).toMatch(/PASS: 2 checks/);
    expect(acksim(['run', fixture('passing'), '--format', 'junit', '--out', out]).status).toBe(0); // an acksim report may be replaced

    const mine = join(dir, 'notes.txt');
    writeFileSync(mine, 'my precious notes\n');
    const refused = acksim(['run', fixture('passing'), '--out', mine, '--format', 'json']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/exists and is not an acksim report; choose another path or pass --force/);
    expect(readFileSync(mine, 'utf8')).toBe('my precious notes\n');
    expect(acksim(['run', fixture('passing'), '--out', mine, '--format', 'json', '--force']).status).toBe(0);
    // Other tools' files that merely look alike: a Gradle module's metadata, text ending like a verdict.
    const lookalikes = {
      'lib-1.0.module': '{"formatVersion": "1.1", "component": {"group": "x"}}\n',
      'notes.md': 'release notes\n\nPASS: all good in 2 scenarios\n',
    };
    for (const [name, text] of Object.entries(lookalikes)) {
      writeFileSync(join(dir, name), text);
      for (const format of ['json', 'table']) {
        const other = acksim(['run', fixture('passing'), '--out', join(dir, name), '--format', format]);
        expect({ name, format, status: other.status, kept: readFileSync(join(dir, name), 'utf8') === text }).toEqual({
          name,
          format,
          status: 2,
          kept: true,
        });
      }
    }
    // acksim's own reports, of each format, may be replaced.
    for (const format of ['json', 'table', 'markdown']) {
      const own = join(dir, `own-${format}`);
      expect(acksim(['run', fixture('passing'), '--out', own, '--format', format]).status).toBe(0);
      expect({ format, again: acksim(['run', fixture('passing'), '--out', own, '--format', format]).status }).toEqual({
        format,
        again: 0,
      });
    }

    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(scenario, 'messages: 10\n');
    const input = acksim(['run', scenario, '--out', scenario]);
    expect(input.status).toBe(2);
    expect(input.stderr).toMatch(/is one of the inputs; refusing to overwrite it/);
    expect(readFileSync(scenario, 'utf8')).toBe('messages: 10\n');
    expect(existsSync(join(dir, `.acksim-tmp-${process.pid}-report.xml`))).toBe(false);
  });
});

describe('other commands', () => {
  it('validate: ok lines on stdout, exit 0; problems on stderr, exit 2', () => {
    const good = acksim(['validate', fixture('passing'), 'scenarios/lost-acks.yaml']);
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/^ok {2}test\/cli\/fixtures\/passing.yaml {2}\(passing: 3 modes, 2 checks\)$/m);
    const bad = acksim(['validate', fixture('invalid')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(3);
  });

  it('list: every built-in scenario with its lesson', () => {
    const r = acksim(['list']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(12);
    expect(r.stdout).toMatch(/^lost-acks\s+lost acks turn at-least-once into duplicates/m);
  });

  it('schema: prints the JSON Schema', () => {
    const r = acksim(['schema']);
    expect(JSON.parse(r.stdout).title).toBe('acksim scenario');
  });

  it('--version and --help exit 0; every command has examples', () => {
    const version = acksim(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const command of [[], ['run'], ['validate'], ['list'], ['schema']]) {
      const help = acksim([...command, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/Examples:/);
    }
  });
});
