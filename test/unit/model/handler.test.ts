// The handler's runtime as exploration sees it: its store is part of the state, so two states are taken for one
// only when the stores hold the same.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import type { Handler } from '../../../src/model/handler.js';
import { Simulation } from '../../../src/model/simulation.js';
import { SeededChoiceSource } from '../../../src/sim/choice.js';
import { config } from '../../helpers.js';

/** The state hash at the end of a small run with `handler`. */
function finalState(handler: Handler): string {
  const simulation = new Simulation({ ...config({ messages: 3 }), handler: { handler } }, new SeededChoiceSource(5));
  simulation.step();
  return simulation.stateHash();
}

describe("the handler's store in the state hash", () => {
  it('the same contents hash alike whatever the order of writes; other contents do not', () => {
    const write =
      (entries: [string, unknown][]): Handler =>
      (message, ctx) => {
        if (message.id === 0) for (const [key, value] of entries) ctx.store.set(key, value);
      };
    const xy = finalState(
      write([
        ['x', 1],
        ['y', { a: [1, 2] }],
      ]),
    );
    expect(
      finalState(
        write([
          ['y', { a: [1, 2] }],
          ['x', 1],
        ]),
      ),
    ).toBe(xy);
    expect(
      finalState(
        write([
          ['x', 1],
          ['y', { a: [1, 3] }],
        ]),
      ),
    ).not.toBe(xy);
    expect(
      finalState(
        write([
          ['x', '1'],
          ['y', { a: [1, 2] }],
        ]),
      ),
    ).not.toBe(xy);
    expect(finalState(write([['x', 1]]))).not.toBe(xy);
    expect(
      finalState(
        write([
          ['x', -0],
          ['y', { a: [1, 2] }],
        ]),
      ),
    ).not.toBe(
      finalState(
        write([
          ['x', 0],
          ['y', { a: [1, 2] }],
        ]),
      ),
    );
    // A value with no exact text (a Map) never hashes alike: exploration then prunes nothing there.
    const map = write([['m', new Map([[1, 2]])]]);
    expect(finalState(map)).not.toBe(finalState(map));
    expect(finalState(write([['d', new Date(0)]]))).not.toBe(finalState(write([['d', new Date(0).toJSON()]])));
  });
});
