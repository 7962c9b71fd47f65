// The library API (src/index.ts): the same numbers as the command line, its errors as data, and nothing
// printed, written or exited. How a user's project imports it from the package is test/install's.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { AcksimError, loadScenario, replay, simulate, type SimulateResult } from '../../src/api/index.js';
import { acksim } from '../cli/run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'acksim-api-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** What `fn` throws, which must be an AcksimError. */
async function refusal(fn: () => unknown): Promise<AcksimError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AcksimError) return error;
    throw error;
  }
  throw new Error('expected an AcksimError, nothing was thrown');
}

describe('simulate gives what acksim run gives', () => {
  it('the same report and exit code for any built-in, seed, mode and message count', async () => {
    const names = ['lost-acks', 'crash-after-effect', 'lossy-publish', 'poison-to-dlq', 'kafka-autocommit-async-crash'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 400 }),
        async (name, seed, modeIndex, messages) => {
          const modes = loadScenario(name).modes;
          const mode = modes[modeIndex % modes.length]!.mode.name;
          const args = ['--seed', String(seed), '--mode', mode, '--messages', String(messages)];
          const cli = acksim(['run', name, ...args, '--format', 'json', '--no-shrink']);
          const api = await simulate(name, { seed, mode, messages, shrink: false });
          expect(api.report).toEqual(JSON.parse(cli.stdout));
          expect(api.exitCode).toBe(cli.status);
          expect(api.ok).toBe(cli.status === 0);
          expect(api.result).toEqual(api.report.scenarios[0]);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('many runs, and extra checks, as --runs and --check give them', async () => {
    const checks = ['at-least-once:duplicateRate < 5%', 'max(lost) == 0'];
    const cli = acksim(
      [
        'run',
        'lost-acks',
        '--runs',
        '6',
        '--no-shrink',
        '--workers',
        '1',
        '--messages',
        '300',
        '--format',
        'json',
        ...checks.flatMap((c) => ['--check', c]),
      ],
      { cwd: temp },
    );
    const api = await simulate('lost-acks', { runs: 6, messages: 300, checks, shrink: false });
    expect(api.report).toEqual(JSON.parse(cli.stdout));
    expect(api.exitCode).toBe(cli.status);
  });

  it('a failed check: verdict fail, the failure shrunk as acksim run writes it, and replayed', async () => {
    const cwd = mkdtempSync(join(temp, 'shrink-'));
    const options = ['--mode', 'at-least-once', '--messages', '500', '--check', 'duplicates == 0'];
    const cli = acksim(['run', 'lost-acks', ...options, '--format', 'json'], { cwd });
    expect(cli.status).toBe(1);
    const [file] = readdirSync(join(cwd, 'acksim-failures'));
    const written: unknown = JSON.parse(readFileSync(join(cwd, 'acksim-failures', file!), 'utf8'));
    const api = await simulate('lost-acks', { mode: 'at-least-once', messages: 500, checks: ['duplicates == 0'] });
    expect(api).toMatchObject({ ok: false, verdict: 'fail', exitCode: 1 });
    expect(api.failures).toHaveLength(1);
    const [failure] = api.failures;
    expect(failure!.failure).toEqual(written);
    expect(failure!.fileName).toBe(file);
    expect(failure!.faults.length).toBe(failure!.failure.faults.length);
    expect(failure!.faults[0]).toMatch(/^ack of #\d+ \(delivery \d+\): dropped$/);
    expect(await replay(failure!.failure)).toEqual({ status: 'fail', actual: expect.any(Number), exitCode: 1 });
    expect(await replay(written, loadScenario('lost-acks'))).toMatchObject({ status: 'fail', exitCode: 1 });
  });

  it('nothing tested is never a pass: no message is inconclusive (exit 3)', async () => {
    const api = await simulate('lost-acks', { messages: 0 });
    expect(api).toMatchObject({ ok: false, verdict: 'inconclusive', exitCode: 3, failures: [] });
  });

  it('prints nothing, writes nothing and never exits, even while shrinking', async () => {
    // In an empty folder of its own: acksim run would write acksim-failures/ there.
    const home = process.cwd();
    const empty = mkdtempSync(join(temp, 'quiet-'));
    process.chdir(empty);
    const writes: string[] = [];
    const { stdout, stderr } = process;
    const out = stdout.write.bind(stdout);
    const err = stderr.write.bind(stderr);
    const exit = process.exit.bind(process);
    const record = (chunk: unknown): boolean => writes.push(String(chunk)) > 0;
    stdout.write = record;
    stderr.write = record;
    process.exit = (code?: unknown): never => {
      throw new Error(`process.exit(${String(code)})`);
    };
    let result: SimulateResult;
    try {
      result = await simulate('lost-acks', { mode: 'at-least-once', messages: 500, checks: ['duplicates == 0'] });
    } finally {
      stdout.write = out;
      stderr.write = err;
      process.exit = exit;
      process.chdir(home);
    }
    expect(writes).toEqual([]);
    expect(result.failures).toHaveLength(1);
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe('loadScenario and the errors of the API', () => {
  it('an object validates as a file would, each problem named by its field', async () => {
    const error = await refusal(() => loadScenario({ messages: -1, consumers: { count: 'two' } }, { name: 'mine' }));
    expect(error).toMatchObject({ code: 'scenario.invalid', exitCode: 2 });
    expect(error.issues).toEqual([
      { file: 'mine', path: 'messages', message: expect.stringMatching(/out of range: -1/) },
      { file: 'mine', path: 'consumers.count', message: expect.stringMatching(/must be an integer/) },
    ]);
    expect(error.message).toContain('consumers.count');
  });

  it('a valid object runs, named as given', async () => {
    const scenario = loadScenario(
      { messages: 50, modes: ['at-least-once'], network: { ack: { loss: 0.2 } } },
      { name: 'mine' },
    );
    const api = await simulate(scenario, { seed: 3 });
    expect(api.result).toMatchObject({ name: 'mine', messages: 50 });
    expect(api.report.scenarios[0]!.results[0]).toMatchObject({ metrics: { produced: 50 } });
  });

  it('a file, a missing file and a folder of several', async () => {
    expect(loadScenario('scenarios/lost-acks.yaml').name).toBe('lost-acks');
    const missing = await refusal(() => loadScenario('no-such.yaml', { cwd: temp }));
    expect(missing.issues[0]).toMatchObject({ file: 'no-such.yaml' });
    const folder = await refusal(() => loadScenario('scenarios'));
    expect(folder).toMatchObject({
      code: 'cli.usage',
      message: expect.stringMatching(/allowed: a source that names one scenario/),
    });
    expect((await refusal(() => loadScenario(42 as unknown as string))).message).toMatch(/a number \(allowed:/);
  });

  it('options outside what is allowed are refused, each naming the option', async () => {
    const cases: [object, RegExp][] = [
      [{ mode: 'nope' }, /^mode: unknown mode "nope" \(allowed: at-most-once, at-least-once, exactly-once\)$/],
      [{ seed: 1.5 }, /^seed: 1\.5 \(allowed: a whole number from 0 to 2147483647\)$/],
      [{ seed: '3' }, /^seed: "3" \(allowed/],
      [{ messages: -1 }, /^messages: -1 \(allowed/],
      [{ runs: 0 }, /^runs: 0 \(allowed/],
      [{ seed: 2 ** 31 - 1, runs: 2 }, /^runs: the last seed would be 2147483648/],
      [{ checks: ['lost =='] }, /^checks\[0\]: /],
      [{ checks: ['lost == 0', 'nope:lost == 0'] }, /^checks\[1\] "nope:lost == 0": unknown mode "nope"/],
      [
        { mode: 'exactly-once', checks: ['at-least-once:lost == 0'] },
        /is not run \(allowed: the modes given: exactly-once\)$/,
      ],
      [{ shrinkBudgetMs: 0, checks: ['duplicates == 0'], messages: 200 }, /^shrinkBudgetMs: 0 \(allowed/],
      [{ timeSeries: 'yes' }, /^timeSeries: "yes" \(allowed: true, false, or \{ sampleMs/],
      [{ timeSeries: { sampleMs: 0 } }, /^timeSeries\.sampleMs: 0 \(allowed/],
      [{ timeSeries: true, runs: 2 }, /^timeSeries: it samples one run per mode/],
    ];
    for (const [options, message] of cases) {
      const error = await refusal(() => simulate('lost-acks', options));
      expect({ options, message: error.message, code: error.exitCode }).toEqual({
        options,
        message: expect.stringMatching(message),
        code: 2,
      });
    }
  });

  it('replay refuses what is not a failure', async () => {
    expect((await refusal(() => replay({ acksimFailure: 1 }))).message).toMatch(/^replay: /);
  });
});
