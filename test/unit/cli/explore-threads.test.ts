// explore on helper threads: the same exploration, byte for byte, whoever explored each mode.
import '../../setup.js';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { exploreOnThreads } from '../../../src/cli/explore-threads.js';
import { exploreScenario, type ExploreOptions } from '../../../src/run/explore.js';
import { BUILTIN_DIR, loadScenarios } from '../../../src/scenario/load.js';

const builtins = loadScenarios([BUILTIN_DIR], process.cwd()).scenarios;
const scenario = (name: string) => builtins.find((s) => s.name === name)!;

describe('explore on threads', () => {
  it('gives the exploration one thread gives, with helpers exploring modes from the end', async () => {
    const cases: Array<[string, Partial<ExploreOptions>]> = [
      ['lost-acks', {}],
      ['crash-after-effect', { maxFaults: 2 }],
      ['retry-storm', { maxFaults: 2, messages: 1 }],
      ['kafka-commit-before-processing-crash', { maxFaults: 1 }],
      // A schedule limit stops some modes short: each mode's limit is its own, on whichever thread.
      ['visibility-timeout-too-short', { maxSchedules: 300 }],
    ];
    for (const [name, bounds] of cases) {
      const options: ExploreOptions = {
        messages: 2,
        maxFaults: 3,
        maxSchedules: 100_000,
        faultSpace: 'all',
        ...bounds,
      };
      const alone = await exploreScenario(scenario(name), options);
      const helped: number[] = [];
      const threaded = await exploreOnThreads(scenario(name), options, {
        maxSeconds: 600,
        threads: 3,
        helperAfterMs: 0,
        // This thread takes the first mode only: the helpers have the others, from the last, however fast it is.
        mainModes: 1,
        onHelped: (index) => helped.push(index),
      });
      expect(JSON.stringify(threaded)).toBe(JSON.stringify(alone));
      expect(helped.sort()).toEqual(alone.modes.slice(1).map((_, i) => i + 1));
    }
  });

  it('explores on this thread alone when told one thread, or before a helper is due', async () => {
    const options: ExploreOptions = { messages: 1, maxFaults: 1, maxSchedules: 1000, faultSpace: 'all' };
    for (const [threads, helperAfterMs] of [
      [1, 0],
      [4, 60_000],
    ] as const) {
      const helped: number[] = [];
      const threaded = await exploreOnThreads(scenario('lost-acks'), options, {
        maxSeconds: 600,
        threads,
        helperAfterMs,
        onHelped: (index) => helped.push(index),
      });
      expect(helped).toEqual([]);
      expect(JSON.stringify(threaded)).toBe(JSON.stringify(await exploreScenario(scenario('lost-acks'), options)));
    }
  });
});
