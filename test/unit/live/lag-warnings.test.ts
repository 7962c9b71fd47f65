// The live suite judges a case on its fidelity table, not on a silent stderr: the producer's lag warning,
// and only it, is allowed beside the table (test/live/suite.ts says why).
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { withoutLagWarnings } from '../../live/suite.js';

const lag =
  'acksim: at-least-once: the producer fell 3098 ms of the scenario behind its schedule; a larger --time-scale (now 0.1) keeps the clients on time\n';

describe('the lag warnings the live suite allows', () => {
  it('removes the producer lag warning of any mode, however many', () => {
    expect(withoutLagWarnings(lag)).toBe('');
    expect(withoutLagWarnings(`${lag}${lag.replace('at-least-once', 'exactly-once-nonatomic')}`)).toBe('');
  });

  it('keeps every other line: a refusal, an error, an inconclusive run, a warning of another kind', () => {
    const others = [
      "acksim: at-most-once: the clients could not keep the scenario's time at --time-scale 0.1: each processed delivery took 4.8 ms; try --time-scale 0.2 or more\n",
      'acksim: --broker redis://127.0.0.1:1: cannot connect (ECONNREFUSED)\n',
      'acksim: at-most-once: inconclusive: stopped after --timeout 1 s with messages still in play\n',
      'acksim: at-least-once: the producer fell behind\n',
      'acksim: internal error: the producer fell 5 ms of the scenario behind its schedule; but this is not the warning\n',
    ];
    for (const line of others) {
      expect(withoutLagWarnings(line)).toBe(line);
      expect(withoutLagWarnings(`${lag}${line}${lag}`)).toBe(line);
    }
  });
});
