// acksim replay judges like run: a replay that produced no message, met none of the faults its
// scenario configures, or stopped with messages unresolved tests nothing, and says so (exit 3, "?"),
// never a green "holds".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { acksimInProcess } from './in-process.js';

/** A folder with `s.yaml` and a failure file of it, `f.json`, for `mode`, `messages` and `check`, with no fault in it.
 * */
function failureOf(scenario: string, messages: number, check: string, mode = 'at-least-once'): string {
  const dir = mkdtempSync(join(tmpdir(), 'acksim-replay-'));
  writeFileSync(join(dir, 's.yaml'), scenario);
  const failure = {
    acksimFailure: 1,
    acksimVersion: '0.1.0',
    scenario: 's.yaml',
    mode,
    seed: 1,
    messages,
    check,
    originalFaults: 0,
    faults: [],
  };
  writeFileSync(join(dir, 'f.json'), `${JSON.stringify(failure, null, 2)}\n`);
  return dir;
}

/** The verdict line: the last line of the replay's output. */
const verdict = (stdout: string) => stdout.trimEnd().split('\n').at(-1);

describe('acksim replay: nothing tested is inconclusive', () => {
  it('a failure file of 0 messages does not hold: inconclusive, exit 3', async () => {
    const r = await acksimInProcess(['replay', 'f.json'], failureOf('modes: [at-least-once]\n', 0, 'lost == 0'));
    expect(r.status).toBe(3);
    expect(verdict(r.stdout)).toBe(
      '? at-least-once: lost == 0 is inconclusive (actual 0; no message was produced): the failure did not reproduce',
    );
  });

  it('a pass in which a fault the scenario configures never fired is inconclusive, as in run', async () => {
    const dir = failureOf('network: {ack: {loss: 0.01}}\nmodes: [at-least-once]\n', 3, 'duplicates == 0');
    const r = await acksimInProcess(['replay', 'f.json'], dir);
    expect(r.status).toBe(3);
    expect(verdict(r.stdout)).toBe(
      '? at-least-once: duplicates == 0 is inconclusive (actual 0; a configured fault never fired: ackLost): the failure did not reproduce',
    );
  });

  it('a check left open by messages still unresolved prints as inconclusive, not as a green holds', async () => {
    const dir = failureOf('horizonMs: 25\nmodes: [at-least-once]\n', 5, 'lost == 0');
    const r = await acksimInProcess(['replay', 'f.json'], dir);
    expect(r.status).toBe(3);
    expect(r.stdout).not.toContain('✓');
    expect(verdict(r.stdout)).toMatch(
      /^\? at-least-once: lost == 0 is inconclusive \(actual 0; the run reached its horizon \(horizonMs\) with \d message\(s\) still unresolved\): the failure did not reproduce$/,
    );
  });

  it('a pass that tested something still holds, exit 0', async () => {
    const r = await acksimInProcess(['replay', 'f.json'], failureOf('modes: [at-least-once]\n', 5, 'lost == 0'));
    expect(r.status).toBe(0);
    expect(verdict(r.stdout)).toBe('✓ at-least-once: lost == 0 holds (actual 0): the failure did not reproduce');
  });

  it('a failure file whose check was edited to one that can never fail is refused, exit 2', async () => {
    const r = await acksimInProcess(['replay', 'f.json'], failureOf('modes: [at-least-once]\n', 5, 'duplicates >= 0'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /f\.json: check "duplicates >= 0" can never fail: duplicates is a count, a whole number at least 0\n$/,
    );
  });
});
