// Merge reads back what acksim wrote, and checks it like any other input: an edited or corrupted shard
// is refused by name before it can become a verdict.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { mergeReports, MergeError } from '../../../src/run/merge.js';
import { runScenarios } from '../../../src/run/run-scenario.js';
import { loadScenarios } from '../../../src/scenario/load.js';
import { parseCheck, type Check } from '../../../src/scenario/check-expression.js';
import { forgeHistogram } from './histogram-forgery.js';

type Shard = {
  formatVersion: number;
  scenarios: Array<{ seed: number; results: Array<{ runs: Array<Record<string, unknown>> }> }>;
};

function parsed(text: string): Check {
  const result = parseCheck(text);
  if (!result.ok) throw new Error(result.message);
  return result.check;
}

async function shards(): Promise<[Shard, Shard]> {
  const { scenarios } = loadScenarios(['lost-acks'], process.cwd());
  const options = {
    runs: 2,
    messages: 200,
    modes: ['at-least-once'],
    checks: [{ mode: undefined, check: parsed('lost == 0'), source: 'cli' as const }],
  };
  const [a, b] = await Promise.all([1, 2].map((i) => runScenarios(scenarios, { ...options, shard: [i, 2] as const })));
  // What the JSON report holds, as merge reads it from a file.
  return [JSON.parse(JSON.stringify(a)) as Shard, JSON.parse(JSON.stringify(b)) as Shard];
}

const result = (r: Shard) => r.scenarios[0]!.results[0]! as unknown as Record<string, unknown>;
const metrics = (r: Shard) => r.scenarios[0]!.results[0]!.runs[0]!.metrics as Record<string, unknown>;

describe('merge', () => {
  it('refuses an edited or corrupted shard by name, with what is wrong, and merges the untouched ones', async () => {
    const [good, other] = await shards();
    expect(mergeReports([good, other], ['a.json', 'b.json']).scenarios).toHaveLength(1);
    const edits: Array<[string, (r: Shard) => void, RegExp]> = [
      [
        'lost-null',
        (r) => void (metrics(r).lost = null),
        /^lost-null\.json: .*metrics\.lost {2}must be an integer, got null/,
      ],
      ['lost-text', (r) => void (metrics(r).lost = 'lots'), /metrics\.lost {2}must be an integer, got "lots"/],
      ['seed-huge', (r) => void (r.scenarios[0]!.seed = 1e300), /scenarios\[0\]\.seed {2}out of range: 1e\+300/],
      [
        'lost-edited',
        (r) => void (metrics(r).lost = 5),
        /runs\[0\] \(seed 1\): its outcomes do not add up to produced/,
      ],
      ['rate-edited', (r) => void (metrics(r).duplicateRate = 0), /its rates do not match its counts/],
      [
        'histogram',
        (r) => void (r.scenarios[0]!.results[0]!.runs[0]!.latencyHistogram = 'HISTFAAAAB94nJNpmSzMwMDAAAAAAAAAAAAA'),
        /^histogram\.json: .* the latency histogram of seed 1 cannot be decoded/,
      ],
      // A forged histogram must be refused before the decoder sees it: these made it loop forever or
      // inflate to 100 MB.
      ...(
        [
          [
            'payload-length-lie',
            (h: string) => forgeHistogram(h, { payloadLength: 2 ** 31 - 1 }),
            /payload length says 2147483647/,
          ],
          ['zip-bomb', (h: string) => forgeHistogram(h, { extraZeros: 2_000_000 }), /does not inflate to at most/],
          ['bad-cookie', (h: string) => forgeHistogram(h, { cookie: 0x1c849303 }), /no V2 histogram header/],
          ['digits', (h: string) => forgeHistogram(h, { digits: 5 }), /bucket configuration 5 digits/],
          ['empty-histogram', () => '', /it is empty but \d+ message\(s\) were processed/],
          [
            'count-mismatch',
            (h: string) => forgeHistogram(h, { extraCount: 7 }),
            /holds \d+ latencies but \d+ message/,
          ],
        ] as const
      ).map(
        ([name, forge, message]) =>
          [
            name,
            (r: Shard) => {
              const run = r.scenarios[0]!.results[0]!.runs[0]!;
              run.latencyHistogram = forge(run.latencyHistogram as string);
            },
            new RegExp(`^${name}\\.json: .* the latency histogram of seed 1 cannot be decoded \\(.*${message.source}`),
          ] as [string, (r: Shard) => void, RegExp],
      ),
      [
        'histogram-number',
        (r) => void (r.scenarios[0]!.results[0]!.runs[0]!.latencyHistogram = 5),
        /runs\[0\]\.latencyHistogram {2}must be a string, got 5/,
      ],
      [
        'histogram-object',
        (r) => void (r.scenarios[0]!.results[0]!.runs[0]!.latencyHistogram = {}),
        /latencyHistogram {2}must be a string/,
      ],
      ['evil', (r) => void ((r as unknown as Record<string, unknown>).evil = 1), /^evil\.json: .*unknown field "evil"/],
      [
        'evil-scenario',
        (r) => void ((r.scenarios[0] as unknown as Record<string, unknown>).evil = 1),
        /scenarios\[0\]\.evil {2}unknown field "evil"/,
      ],
      ['old-format', (r) => void (r.formatVersion = 1), /^old-format\.json has formatVersion 1; this acksim merges 3/],
      // What decides the verdict must be the same in every shard: an edit of one would turn a FAIL green.
      ['checks-emptied', (r) => void (result(r).checks = []), /disagree on their modes, checks or configured faults/],
      [
        'faults-emptied',
        (r) => void ((result(r).aggregate as { configuredFaults: string[] }).configuredFaults = []),
        /disagree on/,
      ],
      ['mode-dropped', (r) => void (r.scenarios[0]!.results = []), /results {2}must have at least 1 item/],
    ];
    for (const [name, edit, message] of edits) {
      const edited = structuredClone(good);
      edit(edited);
      let thrown: unknown;
      try {
        mergeReports([edited, other], [`${name}.json`, 'b.json']);
      } catch (error) {
        thrown = error;
      }
      expect({ name, error: thrown instanceof MergeError }).toEqual({ name, error: true });
      expect((thrown as Error).message).toMatch(message);
    }
  });
});
