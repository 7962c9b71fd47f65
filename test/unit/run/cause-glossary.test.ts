// The glossary: every cause a report can name has a gloss short enough for a legend and a meaning.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { CAUSE_DESCRIPTIONS } from '../../../src/model/causes.js';
import { causeLegend, noFaultText } from '../../../src/report/cause-legend.js';
import { CAUSE_GLOSSARY, CAUSE_NAMES, causeEntry } from '../../../src/run/cause-glossary.js';
import {
  AUDIT_DUPLICATE_CAUSES,
  AUDIT_LOSS_CAUSES,
  DUPLICATE_CAUSE_NAMES,
  LOSS_CAUSE_NAMES,
  STATE_ERROR_CAUSES,
} from '../../../src/scenario/metric-catalog.js';
import { Chalk } from 'chalk';
import type { ModeResult } from '../../../src/run/report.js';

describe('cause glossary', () => {
  it('has a gloss (at most 50 characters) and a meaning for every loss, duplicate, state error and audit cause', () => {
    const every = [
      ...LOSS_CAUSE_NAMES,
      ...DUPLICATE_CAUSE_NAMES,
      ...STATE_ERROR_CAUSES,
      ...AUDIT_LOSS_CAUSES,
      ...AUDIT_DUPLICATE_CAUSES,
    ];
    expect(every.length).toBeGreaterThan(40);
    for (const name of every) {
      const entry = causeEntry(name);
      expect({ name, found: entry !== undefined }).toEqual({ name, found: true });
      expect(entry!.gloss.length).toBeGreaterThan(10);
      expect(entry!.gloss.length).toBeLessThanOrEqual(50);
      expect(entry!.meaning.length).toBeGreaterThan(entry!.gloss.length - 10);
    }
    expect(new Set(CAUSE_NAMES).size).toBe(CAUSE_GLOSSARY.length);
    expect(causeEntry('notACause')).toBeUndefined();
  });

  it("a model cause's meaning is the one the docs and explain use", () => {
    for (const [name, meaning] of Object.entries(CAUSE_DESCRIPTIONS)) expect(causeEntry(name)!.meaning).toBe(meaning);
  });

  it('the legend fits 80 columns for every cause at once', () => {
    const lines = causeLegend(CAUSE_NAMES, new Chalk({ level: 0 }));
    expect(lines).toHaveLength(CAUSE_NAMES.length + 1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(causeLegend([], new Chalk({ level: 0 }))).toEqual([]);
  });

  it('"faults met: none" says whether anomalies came from timing or the configuration', () => {
    const result = (loss: Record<string, number>, dup: Record<string, number>) =>
      ({ lossByCause: loss, duplicatesByCause: dup }) as unknown as ModeResult;
    expect(noFaultText(result({}, {}))).toBe('faults met: none');
    expect(noFaultText(result({}, { visibilityTimeout: 893, ackLost: 0 }))).toBe(
      'faults met: none; the duplicates come from timing (visibilityTimeout)',
    );
    expect(noFaultText(result({ expired: 3, deliveryLimit: 1 }, {}))).toBe(
      'faults met: none; the losses come from timing (expired) and the configuration (deliveryLimit)',
    );
  });
});
