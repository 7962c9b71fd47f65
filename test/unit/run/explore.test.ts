import { describe, it } from 'node:test';
import { expect } from 'expect';
import { exploreScenario } from '../../../src/run/explore.js';
import { describeFault } from '../../../src/run/failure.js';
import { BUILTIN_DIR, loadScenarios } from '../../../src/scenario/load.js';

const builtins = loadScenarios([BUILTIN_DIR], process.cwd()).scenarios;
const scenario = (name: string) => builtins.find((s) => s.name === name)!;
const guarantee = (mode: ReturnType<typeof exploreScenario>['modes'][number], name: string) =>
  mode.guarantees.find((g) => g.name === name)!;

describe('explore', () => {
  it('lost acks: at-least-once never loses but one lost ack duplicates; exactly-once breaks nothing', () => {
    const result = exploreScenario(scenario('lost-acks'), { messages: 2, maxFaults: 3, maxSchedules: 100_000 });
    const [amo, alo, eo] = result.modes;
    expect(guarantee(amo!, 'no duplicate').holds).toBe(true);
    expect(guarantee(alo!, 'no loss').holds).toBe(true);
    const dup = guarantee(alo!, 'no duplicate');
    expect(dup.holds).toBe(false);
    expect(dup.counterexample!.faults.map(describeFault)).toEqual(['ack of #0 (delivery 0): dropped']);
    expect(guarantee(eo!, 'no loss').holds && guarantee(eo!, 'no duplicate').holds).toBe(true);
    // Two ack decision points (one per message), faults in 0..3 of them, later ones added after earlier ones.
    expect(alo!.schedules).toBeGreaterThan(3);
    expect(alo!.complete).toBe(true);
  });

  it('at-most-once loses with a single fault when deliveries can be lost', () => {
    const result = exploreScenario(scenario('lost-deliveries'), {
      messages: 2,
      maxFaults: 2,
      maxSchedules: 100_000,
      modes: ['at-most-once', 'at-least-once'],
    });
    const loss = guarantee(result.modes[0]!, 'no loss');
    expect(loss.holds).toBe(false);
    expect(loss.counterexample!.faults).toHaveLength(1);
    expect(describeFault(loss.counterexample!.faults[0]!)).toMatch(/^deliver of #\d \(delivery 0\): dropped$/);
    expect(guarantee(result.modes[1]!, 'no loss').holds).toBe(true);
  });

  it('says when the schedule limit cut the search, and what it covered', () => {
    const result = exploreScenario(scenario('lossy-publish'), { messages: 2, maxFaults: 4, maxSchedules: 30, modes: ['at-least-once'] });
    expect(result.modes[0]!.complete).toBe(false);
    expect(result.modes[0]!.schedules).toBe(30);
    expect(result.modes[0]!.coveredFaults).toBeLessThan(4);
  });
});
