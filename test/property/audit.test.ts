// The audit checked against the simulator: a simulated run written as an event log and audited gives
// the run's own counts back, for queue and log brokers, in every mode.
import '../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { DEFAULT_FIELDS, EventCode, toEvent } from '../../src/audit/event.js';
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
  // Each key's first-effect times: a tie is an order the log cannot tell.
  const firstEffects = new Map<string, number>();
  const result = await writeEventLog(config, s, (line) => {
    const event = toEvent(JSON.parse(line), DEFAULT_FIELDS);
    if (typeof event === 'string') throw new Error(`${event}: ${line}`);
    if (event.type === EventCode.effect && !firstEffects.has(event.id)) firstEffects.set(event.id, event.ts);
    tally.add(event);
  });
  const keyOf = new Map<string, string>();
  await writeEventLog(config, s, (line) => {
    const record = JSON.parse(line) as { id: number; key?: number };
    if (record.key !== undefined) keyOf.set(String(record.id), String(record.key));
  });
  const seen = new Set<string>();
  let ties = false;
  for (const [id, ts] of firstEffects) {
    const mark = `${keyOf.get(id)}@${ts}`;
    if (keyOf.has(id) && seen.has(mark)) ties = true;
    seen.add(mark);
  }
  return { run: measure(result), audit: tally.measure(), ties };
}

describe('audit of a simulated run', () => {
  for (const [name, configs] of [
    ['queue broker', anyConfig],
    ['log broker', logConfig],
  ] as const) {
    it(`gives the run's own counts back (${name}, every mode)`, async () => {
      await fc.assert(
        fc.asyncProperty(configs, seed, fc.constantFrom(...modes), async (config, s, mode) => {
          const { run, audit, ties } = await auditOf(
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
          // Per-key order: the log's keys give the run's own outOfOrder; without keys there is nothing to measure. Two
          // first effects of a key at the same instant are in no order a log can tell (the run knows which ran first).
          if (ties) expect(a.outOfOrder).toBeLessThanOrEqual(m.outOfOrder);
          else expect(a.outOfOrder).toBe(m.outOfOrder);
          expect(audit.audit.keyed > 0).toBe(config.producer.keys.count > 0 && a.produced > 0);
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
