// acksim trace: lanes, Mermaid and JSON Lines, cut by message, anomalies or time.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { acksim } from './run-cli.js';
import { fromRoot } from '../root.js';

const golden = (file: string, text: string) => {
  const path = fromRoot(`test/golden/${file}`);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
};

describe('acksim trace', () => {
  it('tells the story of a duplicate: ack dropped, visibility timeout, redelivery, second effect (golden lanes)', () => {
    const r = acksim(['trace', 'lost-acks', '--mode', 'at-least-once', '--anomalies', '1']);
    expect(r.status).toBe(0);
    const events = r.stdout.split('\n');
    const order = ['✗ ack #174 dropped (lost)', 'visibility timeout #174', '↻ redeliver #174', '● #174 ×2'].map(
      (text) => events.findIndex((line) => line.includes(text)),
    );
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const line of events) expect([...line].length).toBeLessThanOrEqual(80);
    golden(
      'trace-crash-after-effect.txt',
      acksim(['trace', 'crash-after-effect', '--mode', 'exactly-once-nonatomic', '--anomalies', '1']).stdout,
    );
  });

  it('writes a Mermaid sequenceDiagram with crossed arrows for dropped sends (golden)', () => {
    const text = acksim([
      'trace',
      'lost-acks',
      '--mode',
      'at-least-once',
      '--anomalies',
      '1',
      '--format',
      'mermaid',
    ]).stdout;
    expect(text.split('\n')[0]).toBe('sequenceDiagram');
    expect(text).toMatch(/C\d--xB: ack msg 174 \(lost\)/);
    for (const line of text.trim().split('\n').slice(1)) {
      expect(line).toMatch(
        /^ {2}(participant \w+ as [\w ]+|\w+(->>|-->>|-x|--x)\w+: [^;#]+|Note over \w+(,\w+)?: [^;#]+)$/,
      );
    }
    golden('trace-lost-acks.mmd', text);
  });

  it("writes Mermaid that the mermaid package's own parser accepts, for several scenarios and modes", async () => {
    const mermaid = (await import('mermaid')).default;
    const cases = [
      ['lost-acks', 'at-least-once'],
      ['lost-deliveries', 'at-most-once'],
      ['crash-after-effect', 'exactly-once-nonatomic'],
      ['lossy-publish', 'at-least-once'],
      ['non-durable-broker-crash', 'acks-in-memory'],
    ] as const;
    for (const [scenario, mode] of cases) {
      const text = acksim(['trace', scenario, '--mode', mode, '--anomalies', '2', '--format', 'mermaid']).stdout;
      const parsed = await mermaid.parse(text);
      expect(parsed).toMatchObject({ diagramType: 'sequence' });
    }
    await expect(mermaid.parse('sequenceDiagram\n  A->>: broken')).rejects.toThrow(/Parse error/);
  });

  it('writes JSON Lines of documented events, cut by message and time', () => {
    const r = acksim([
      'trace',
      'lost-acks',
      '--mode',
      'at-least-once',
      '--message',
      '174',
      '--message',
      '3',
      '--from',
      '0',
      '--to',
      '1000',
      '--format',
      'jsonl',
    ]);
    expect(r.status).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { t: number; actor: string; event: string; message?: number });
    expect(events.length).toBeGreaterThan(5);
    // The story ends with each message's outcome (at the end of the run), after the events of the window.
    expect(events.slice(-2).map((e) => [e.event, e.message])).toEqual([
      ['outcome', 3],
      ['outcome', 174],
    ]);
    for (const e of events.slice(0, -2)) {
      expect(['producer', 'network', 'broker', 'consumer', 'sink']).toContain(e.actor);
      expect(e.t).toBeLessThanOrEqual(1000);
      if (e.message !== undefined) expect([3, 174]).toContain(e.message);
    }
    expect(events.filter((e) => e.event === 'publish').map((e) => e.message)).toEqual([3, 174]);
    expect(events.filter((e) => e.event === 'outcome')).toHaveLength(2);
  });

  it('cuts long traces at --limit and says so', () => {
    const r = acksim(['trace', 'lost-acks', '--mode', 'at-most-once', '--from', '0', '--limit', '5']);
    expect(r.stdout).toMatch(/cut at 5 events/);
  });

  it('refuses an unknown mode and bad numbers with exit 2', () => {
    expect(acksim(['trace', 'lost-acks', '--mode', 'twice']).stderr).toMatch(/--mode twice: not a mode of lost-acks/);
    expect(acksim(['trace', 'lost-acks', '--mode', 'at-least-once', '--from', 'soon']).status).toBe(2);
  });
});

/** A story of `explain` on one line, as it was before one step per line: wrapped lines joined, steps joined by "; ". */
function storyLine(text: string): string {
  return text
    .replace(/\n {4,}/g, ' ')
    .replace(/:\n {2}/g, ': ')
    .replace(/\n {2}→/g, ' →')
    .replace(/\n {2}/g, '; ');
}

describe('acksim explain', () => {
  it('tells a duplicate in plain words, with its cause', () => {
    const r = acksim(['explain', 'lost-acks', '--mode', 'at-least-once', '--message', '174']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^#174:\n {2}published at 870 ms\n {2}stored at/);
    expect(storyLine(r.stdout)).toMatch(
      /^#174: published at 870 ms; .*the ack was lost by the network; its visibility timeout expired at 30871 ms; redelivered to consumer \d at 30871 ms; effect again at .* → duplicate: its effect ran 2 times \(cause: ackLost, /,
    );
  });

  it('explains the first message of each cause with --lost and --duplicated', () => {
    const lost = acksim(['explain', 'crash-before-effect', '--mode', 'at-most-once', '--lost']);
    const lines = lost.stdout.trim().split('\n\n').map(storyLine);
    const causes = lines.map((line) => /cause: (\w+)/.exec(line)?.[1]);
    expect(new Set(causes).size).toBe(lines.length);
    expect(causes).toContain('crashAfterAutoAck');
    const publish = acksim(['explain', 'lossy-publish', '--mode', 'at-least-once', '--duplicated']);
    expect(storyLine(publish.stdout)).toMatch(
      /the confirm was lost by the network; .*stored again .*\(cause: confirmLost,/,
    );
    expect(acksim(['explain', 'lost-acks', '--mode', 'exactly-once', '--duplicated']).stdout).toBe(
      'no duplicated message under exactly-once\n',
    );
  });

  it('needs something to explain', () => {
    const r = acksim(['explain', 'lost-acks', '--mode', 'at-least-once']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/explain needs --message <id>, --lost or --duplicated/);
  });
});

describe('failure files and acksim replay', () => {
  it('a failed check is shrunk to a failure file whose replay fails again, identically each time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-replay-'));
    const run = acksim(
      ['run', fromRoot('scenarios/lost-acks.yaml'), '--mode', 'at-least-once', '--check', 'duplicates == 0'],
      {
        cwd: dir,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /shrunk lost-acks at-least-once "duplicates == 0" from \d+ faults to 1 in \d+ runs\s+replay: acksim replay acksim-failures\/lost-acks\.at-least-once\.seed1\.duplicates-0-7fab28b8\.json/,
    );
    const file = join(dir, 'acksim-failures/lost-acks.at-least-once.seed1.duplicates-0-7fab28b8.json');
    const failure = JSON.parse(readFileSync(file, 'utf8'));
    expect(failure).toMatchObject({
      acksimFailure: 1,
      mode: 'at-least-once',
      seed: 1,
      check: 'duplicates == 0',
      messages: failure.faults[0].a + 1,
    });
    const first = acksim(['replay', file], { cwd: dir });
    expect(first.status).toBe(1);
    expect(first.stdout).toMatch(
      /faults \(1, shrunk from \d+; every other choice fault-free\):\n {2}ack of #\d+ \(delivery 0\): dropped/,
    );
    expect(first.stdout).toMatch(/✗ ack #\d+ dropped \(lost\)/);
    expect(first.stdout).toMatch(/✗ at-least-once: duplicates == 0 fails again \(actual 1\)/);
    expect(acksim(['replay', file], { cwd: dir }).stdout).toBe(first.stdout);
  });

  it('over many runs, the first failing seed of a failed check is shrunk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-runs-shrink-'));
    const run = acksim(['run', fromRoot('test/cli/fixtures/failing.yaml'), '--runs', '3', '--seed', '4'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /shrunk failing at-least-once "duplicates == 0" from \d+ faults to 1 in \d+ runs\s+replay: acksim replay acksim-failures\/failing\.at-least-once\.seed4\.duplicates-0-7fab28b8\.json/,
    );
    expect(
      acksim(['replay', join(dir, 'acksim-failures/failing.at-least-once.seed4.duplicates-0-7fab28b8.json')], {
        cwd: dir,
      }).status,
    ).toBe(1);
  });

  it('an aggregate check is shrunk as its bare form in the first run that breaks it, or says why not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-aggregate-shrink-'));
    const args = ['run', fromRoot('test/cli/fixtures/passing.yaml'), '--mode', 'at-least-once', '--runs', '3'];
    const max = acksim([...args, '--check', 'max(duplicateRate) < 3%'], { cwd: dir });
    expect(max.status).toBe(1);
    const shrunk =
      /shrunk passing at-least-once "duplicateRate < 3%" \(seed (\d+), the first run that breaks "max\(duplicateRate\) < 3%"\) from \d+ faults to \d+ in \d+ runs\s+replay: acksim replay (\S+)/.exec(
        max.stderr.replace(/\n {2}(?! )/g, ' ').replace(/ +/g, ' '),
      );
    expect(shrunk).not.toBeNull();
    const replay = acksim(['replay', join(dir, shrunk![2]!)], { cwd: dir });
    expect(replay.status).toBe(1);
    expect(replay.stdout).toMatch(/duplicateRate < 3% fails again/);
    // Every run is under 6.9 % but the interval's upper bound is not: no single story to shrink.
    const upper = acksim([...args, '--check', 'upper(duplicateRate) < 6.9%'], {
      cwd: mkdtempSync(join(tmpdir(), 'acksim-upper-')),
    });
    expect(upper.status).toBe(1);
    expect(upper.stderr).toMatch(
      /no single run breaks "duplicateRate < 6.9%", so "upper\(duplicateRate\) < 6.9%" fails only over runs: not shrunk/,
    );
  });

  it('--no-shrink writes nothing; a bad failure file is refused with exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acksim-noshrink-'));
    const run = acksim(
      [
        'run',
        fromRoot('scenarios/lost-acks.yaml'),
        '--mode',
        'at-least-once',
        '--check',
        'duplicates == 0',
        '--no-shrink',
      ],
      { cwd: dir },
    );
    expect(run.status).toBe(1);
    expect(existsSync(join(dir, 'acksim-failures'))).toBe(false);
    writeFileSync(join(dir, 'bad.json'), '{"acksimFailure": 1}');
    const bad = acksim(['replay', join(dir, 'bad.json')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/missing required field "scenario"/);
  });
});

describe('acksim explore', () => {
  it('prints per mode what holds and the smallest counterexample, with its trace', () => {
    const r = acksim(['explore', 'lost-acks', '--max-faults', '2', '--mode', 'at-least-once,exactly-once', '--trace']);
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/every fault kind/);
    expect(r.stdout).toMatch(/✓ no loss: holds in every schedule/);
    expect(r.stdout).toMatch(/✗ no duplicate: broken in [\d,]+ schedule\(s\); smallest case 1 fault\(s\)/);
    expect(r.stdout).toMatch(/pruned as equal states/);
    // The counterexample's trace shows the second effect.
    expect(r.stdout).toMatch(/#\d ×2/);
  });

  it('--faults scenario explores only what the scenario gives a chance; JSON; exit 3 when the limit cuts the search', () => {
    const r = acksim(['explore', 'lost-acks', '--faults', 'scenario', '--mode', 'at-least-once', '--format', 'json']);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as {
      faultSpace: string;
      modes: Array<{
        schedules: number;
        guarantees: Array<{ name: string; counterexample?: { faults: Array<{ site: number }> } }>;
      }>;
    };
    expect(result.faultSpace).toBe('scenario');
    const dup = result.modes[0]!.guarantees.find((g) => g.name === 'no duplicate')!;
    expect(dup.counterexample!.faults).toEqual([expect.objectContaining({ site: 3, a: 0, outcome: 1 })]);
    const cut = acksim(['explore', 'lost-acks', '--max-schedules', '5']);
    expect(cut.status).toBe(3);
    expect(cut.stdout).toMatch(/limit hit: complete up to/);
    expect(acksim(['explore', 'lost-acks', '--faults', 'some']).status).toBe(2);
  });

  it('explore that explored no fault at all is inconclusive (exit 3), never "✓ holds in every schedule"', () => {
    const none = acksim(['explore', 'lost-acks', '--max-faults', '0', '--mode', 'exactly-once']);
    expect(none.status).toBe(3);
    expect(none.stdout).toContain('? no loss: holds without faults (no fault explored: --max-faults 0)');
    expect(none.stdout).not.toContain('✓');
    const dir = mkdtempSync(join(tmpdir(), 'acksim-explore-'));
    writeFileSync(join(dir, 'good.yaml'), 'name: good\nmodes: [at-least-once]\n');
    const faultFree = acksim(['explore', join(dir, 'good.yaml'), '--faults', 'scenario']);
    expect(faultFree.status).toBe(3);
    expect(faultFree.stdout).toContain(
      '? no loss: holds without faults (no fault explored: --faults scenario has none)',
    );
    const json = JSON.parse(acksim(['explore', 'lost-acks', '--max-faults', '0', '--format', 'json']).stdout) as {
      modes: Array<{ noFaultExplored?: string }>;
    };
    expect(json.modes.map((m) => m.noFaultExplored)).toEqual(['maxFaults', 'maxFaults', 'maxFaults']);
    // One fault explored is enough for a green verdict.
    expect(acksim(['explore', 'lost-acks', '--max-faults', '1', '--mode', 'exactly-once']).status).toBe(0);
  });
});
