import { describe, it } from 'node:test';
import { expect } from 'expect';
import { config, measured, preset } from '../../helpers.js';

describe('network links', () => {
  it('a partition drops everything sent on its link during its window, and nothing outside it', () => {
    // 100 messages/s for 10 s; the deliver link is cut from 2 s to 4 s: about 200 deliveries.
    const m = measured(
      config({
        faults: [{ type: 'partition', link: 'deliver', atMs: 2000, durationMs: 2000 }],
        mode: preset('at-most-once'),
      }),
    );
    expect(m.faultsInjected.deliverPartitioned).toBeGreaterThanOrEqual(195);
    expect(m.faultsInjected.deliverPartitioned).toBeLessThanOrEqual(205);
    expect(m.metrics.lost).toBe(m.faultsInjected.deliverPartitioned);
    expect(m.faultsInjected.deliverLost).toBe(0);
  });

  it('a duplicate arrives as a second copy, and both are processed unless deduped', () => {
    const alo = measured(config({ network: { deliver: { duplicate: 0.2 } } }));
    expect(alo.faultsInjected.deliverDuplicated).toBeGreaterThan(0);
    expect(alo.metrics.duplicates).toBe(alo.faultsInjected.deliverDuplicated);
    expect(alo.duplicatesByCause.deliverDuplicated).toBe(alo.metrics.duplicates);
    const eo = measured(config({ network: { deliver: { duplicate: 0.2 } }, mode: preset('exactly-once') }));
    expect(eo.metrics.duplicates).toBe(0);
  });

  it('a duplicated publish is stored twice without idempotent publish: cause publishDuplicated', () => {
    const m = measured(config({ network: { publish: { duplicate: 0.1 } } }));
    expect(m.metrics.duplicates).toBe(m.faultsInjected.publishDuplicated);
    expect(m.duplicatesByCause.publishDuplicated).toBe(m.metrics.duplicates);
  });

  it('latency follows its distribution: a constant one does not spread, a uniform one does', () => {
    const fixed = measured(config({ network: { deliver: { latencyMs: 5 } } }));
    const jittered = measured(config({ network: { deliver: { latencyMs: { dist: 'uniform', min: 0, max: 200 } } } }));
    expect(fixed.metrics.latencyMs.max - fixed.metrics.latencyMs.p50).toBeLessThan(1);
    expect(jittered.metrics.latencyMs.max - jittered.metrics.latencyMs.p50).toBeGreaterThan(50);
  });

  it('a lost confirm makes the producer store the message twice: cause confirmLost', () => {
    const m = measured(config({ network: { confirm: { loss: 0.1 } } }));
    expect(m.metrics.duplicates).toBeGreaterThan(0);
    expect(m.duplicatesByCause.confirmLost).toBe(m.metrics.duplicates);
  });

  it('a confirm slower than the timeout does too: cause confirmTimeout', () => {
    const m = measured(
      config({
        network: { confirm: { latencyMs: { dist: 'uniform', min: 0, max: 2000 } } },
        producer: { confirmTimeoutMs: 1000 },
      }),
    );
    expect(m.metrics.duplicates).toBeGreaterThan(0);
    expect(m.duplicatesByCause.confirmTimeout).toBe(m.metrics.duplicates);
  });
});
