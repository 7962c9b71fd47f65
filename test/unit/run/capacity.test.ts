// The overload warning: the producer's rate against the consumers' capacity, from the configuration.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { loadOf, overloaded, overloadText, overloadWarnings } from '../../../src/run/capacity.js';
import { config } from '../../helpers.js';

describe('overload', () => {
  it('warns iff the rate exceeds consumers × concurrency × 1000 / processing ms (queue, constant processing; property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 2000 }),
        (ratePerSec, count, concurrency, processingMs) => {
          const load = loadOf(config({ producer: { ratePerSec }, consumers: { count, concurrency, processingMs } }));
          expect(overloaded(load)).toBe(ratePerSec * processingMs > count * concurrency * 1000);
        },
      ),
      { seed: 21 },
    );
  });

  it('uses the mean of a distribution, the broker publish limit, and one consumer per partition with a sync log poll loop', () => {
    const uniform = loadOf(
      config({
        producer: { ratePerSec: 100 },
        consumers: { count: 1, processingMs: { dist: 'uniform', min: 0, max: 40 } },
      }),
    );
    expect(uniform.capacityPerSec).toBe(50);
    expect(overloaded(uniform)).toBe(true);
    const limited = loadOf(
      config({
        producer: { ratePerSec: 100 },
        broker: { maxPublishPerSec: 40 },
        consumers: { count: 1, processingMs: { dist: 'uniform', min: 0, max: 40 } },
      }),
    );
    expect(limited.arrivalPerSec).toBe(40);
    expect(overloaded(limited)).toBe(false);
    const log = loadOf(
      config({
        producer: { ratePerSec: 100 },
        broker: { kind: 'log', partitions: 2 },
        consumers: { count: 8, concurrency: 4, processingMs: 10 },
      }),
    );
    expect(log.consumers).toBe(2);
    expect(log.workersEach).toBe(1);
    expect(log.capacityPerSec).toBe(200);
    const instant = loadOf(config({ producer: { ratePerSec: 1e6 }, consumers: { processingMs: 0 } }));
    expect(overloaded(instant)).toBe(false);
  });

  it('says the numbers in one line, and names the modes only when not all are overloaded', () => {
    const slow = config({ producer: { ratePerSec: 500 }, consumers: { count: 4, processingMs: 20 } });
    const fast = config({ producer: { ratePerSec: 500 }, consumers: { count: 4, processingMs: 2 } });
    expect(overloadText(loadOf(slow))).toMatch(
      /500 msg\/s, the consumers can process 200 msg\/s \(4 consumers, 20 ms mean processing\)/,
    );
    expect(
      overloadWarnings([
        { name: 'a', config: slow },
        { name: 'b', config: slow },
      ]),
    ).toEqual([overloadText(loadOf(slow))]);
    expect(
      overloadWarnings([
        { name: 'a', config: slow },
        { name: 'b', config: fast },
      ]),
    ).toEqual([`a: ${overloadText(loadOf(slow))}`]);
    expect(overloadWarnings([{ name: 'b', config: fast }])).toEqual([]);
  });
});
