// The fault-kind table is whole: every kind a configuration can make possible is listed, once, in the
// order reports give configured faults, and the counters start at zero in report order.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { CONFIGURED_ORDER, FAULT_KINDS, FAULT_NAMES, zeroFaults } from '../../../src/model/fault-kinds.js';

describe('fault kinds', () => {
  it('lists every configurable kind once in CONFIGURED_ORDER, and no other', () => {
    const configurable = FAULT_NAMES.filter((name) => 'possible' in FAULT_KINDS[name]);
    expect([...CONFIGURED_ORDER].sort()).toEqual([...configurable].sort());
    expect(new Set(CONFIGURED_ORDER).size).toBe(CONFIGURED_ORDER.length);
  });

  it('zeroes every counter, in the order of the table', () => {
    const zero = zeroFaults();
    expect(Object.keys(zero)).toEqual([...FAULT_NAMES]);
    expect(Object.values(zero).every((v) => v === 0)).toBe(true);
  });

  it('says what every kind counts', () => {
    for (const name of FAULT_NAMES) expect(FAULT_KINDS[name].counts.length).toBeGreaterThan(10);
  });
});
