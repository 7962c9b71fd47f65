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

  it("stops every thread at once when one fails, and throws the helper's error", async () => {
    // The last mode cannot be built (a negative count of consumers): the helper, which takes it first, fails at once.
    // This thread, on a search that would run for its whole minute, stops at its next look at the clock.
    const broken = structuredClone(scenario('lost-acks'));
    const last = broken.modes[2]!;
    last.config = { ...last.config, consumers: { ...last.config.consumers, count: -1 } };
    const options: ExploreOptions = { messages: 20, maxFaults: 8, maxSchedules: 10_000_000, faultSpace: 'all' };
    const started = performance.now();
    await expect(
      exploreOnThreads(broken, options, { maxSeconds: 60, threads: 2, helperAfterMs: 0, mainModes: 1 }),
    ).rejects.toThrow(/^Invalid typed array length: -1$/);
    // Far below the minute the search would take; a slow machine only delays the helper's start.
    expect(performance.now() - started).toBeLessThan(30_000);
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
