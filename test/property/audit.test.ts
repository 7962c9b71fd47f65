// The audit checked against the simulator: a simulated run written as an event log and audited gives
// the run's own counts back, for queue and log brokers, in every mode.
import '../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { DEFAULT_FIELDS, toEvent } from '../../src/audit/event.js';
import { AuditTally } from '../../src/audit/tally.js';
import type { SimulationConfig } from '../../src/model/config.js';
import { writeEventLog } from '../../src/run/event-log.js';
import { measure } from '../../src/run/metrics.js';
import { preset } from '../helpers.js';
import { anyConfig, logConfig } from './arbitraries.js';

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const modes = ['at-most-once', 'at-least-once', 'exactly-once'] as const;

async function auditOf(config: SimulationConfig, s: number) {
  const tally = new AuditTally();
  const result = await writeEventLog(config, s, (line) => {
    const event = toEvent(JSON.parse(line), DEFAULT_FIELDS);
    if (typeof event === 'string') throw new Error(`${event}: ${line}`);
    tally.add(event);
  });
  return { run: measure(result), audit: tally.measure() };
}

describe('audit of a simulated run', () => {
  for (const [name, configs] of [
    ['queue broker', anyConfig],
    ['log broker', logConfig],
  ] as const) {
    it(`gives the run's own counts back (${name}, every mode)`, async () => {
      await fc.assert(
        fc.asyncProperty(configs, seed, fc.constantFrom(...modes), async (config, s, mode) => {
          const { run, audit } = await auditOf(
            { ...config, maxEvents: Math.min(config.maxEvents ?? 200_000, 200_000), mode: preset(mode) },
            s,
          );
          const m = run.metrics;
          const a = audit.metrics;
          expect(a.produced).toBe(m.produced - countNeverSent(run));
          expect(a.processed).toBe(m.processed);
          expect(a.duplicates).toBe(m.duplicates);
          expect(a.duplicateEffects).toBe(m.duplicateEffects);
          expect(a.deliveries).toBe(m.deliveries);
          expect(a.publishAttempts).toBe(m.publishAttempts);
          expect(a.deadLettered).toBe(m.deadLettered);
          expect(audit.audit.unexpected).toBe(0);
          if (m.unresolved === 0) {
            // A publish the producer gave up on is indeterminate in a log that has confirms, lost otherwise.
            expect(a.lost + audit.audit.indeterminate).toBe(m.lost - countNeverSent(run));
          }
        }),
        { numRuns: 40 },
      );
    });
  }
});

/** Messages the producing application never published (it crashed first): not in a log at all. */
function countNeverSent(run: ReturnType<typeof measure>): number {
  return run.lossByCause.crashBeforePublish ?? 0;
}
