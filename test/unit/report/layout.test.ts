// Text that fits: word wrapping with a hanging indent, one unit per latency column, tables stacked when too wide.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { Chalk } from 'chalk';
import { inUnit, latencyUnit } from '../../../src/report/format.js';
import { fitTable } from '../../../src/report/layout.js';
import { displayWidth, wrapLine } from '../../../src/report/wrap.js';

describe('wrapLine', () => {
  it('keeps every word, in order, on lines no wider than the width (property)', () => {
    const word = fc.stringMatching(/^[a-z0-9%(),.:-]{1,30}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 40, max: 120 }),
        (words, indent, width) => {
          const line = `${' '.repeat(indent)}${words.join(' ')}`;
          const lines = wrapLine(line, width);
          for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(width);
          expect(
            lines
              .join(' ')
              .split(/ +/)
              .filter((w) => w !== ''),
          ).toEqual(words);
          if (displayWidth(line) <= width) expect(lines).toEqual([line]);
        },
      ),
      { seed: 13 },
    );
  });

  it('continues under the line its own indent plus the hang, and does not count colour codes', () => {
    const chalk = new Chalk({ level: 1 });
    const lines = wrapLine(`  mode  ${chalk.red('lost 4,000 (publishRejected 4,000); sink state off by -4,000')}`, 40, {
      hang: 6,
    });
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines.slice(1)) expect(/^ */.exec(l)![0].length).toBe(8);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(40);
  });

  it('cuts a word longer than the width instead of leaving the line too wide', () => {
    const lines = wrapLine(`replay: ${'x'.repeat(100)}`, 40);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(40);
    expect(lines.join('').replace(/ /g, '')).toBe(`replay:${'x'.repeat(100)}`);
  });
});

describe('latency columns', () => {
  it('pick one unit for the whole column: ms below 10 s, s below 10 min, min below 10 h, then h', () => {
    expect(latencyUnit([12.3, 9_999]).name).toBe('ms');
    expect(latencyUnit([12.3, 10_000]).name).toBe('s');
    expect(latencyUnit([63.1, 2_604_000]).name).toBe('min');
    expect(latencyUnit([63.1, 4_320_000, 36_000_000]).name).toBe('h');
    expect(latencyUnit([]).name).toBe('ms');
  });

  it('every cell is a plain number in the unit, at most 10 times smaller than the largest (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 8 }), (values) => {
        const unit = latencyUnit(values);
        for (const v of values) {
          const cell = inUnit(v, unit);
          expect(cell).toMatch(/^[\d,]+(\.\d)?$/);
          expect(Math.abs(Number(cell.replace(/,/g, '')) - v / unit.ms)).toBeLessThanOrEqual(0.5 + 1e-9);
        }
        const largest = Math.max(...values);
        if (unit.name !== 'ms') expect(largest / unit.ms).toBeGreaterThanOrEqual(10);
        if (unit.name !== 'h')
          expect(largest / unit.ms).toBeLessThan(unit.name === 'min' ? 600 : unit.name === 's' ? 600 : 10_000);
      }),
      { seed: 7 },
    );
  });
});

describe('fitTable', () => {
  const chalk = new Chalk({ level: 0 });
  const spec = {
    head: ['mode', 'loss', 'dup'],
    rows: [
      ['at-least-once', '0%', '1.10%'],
      ['exactly-once', '0%', '0%'],
    ],
    aligns: ['left', 'right', 'right'] as const,
  };

  it('boxes a table that fits, stacks one that does not, with every cell in both', () => {
    const boxed = fitTable(spec, chalk, 80);
    expect(boxed).toContain('┌');
    const stacked = fitTable(spec, chalk, 24);
    expect(stacked).not.toContain('┌');
    expect(stacked.split('\n')).toEqual([
      'at-least-once',
      '  loss 0% · dup 1.10%',
      'exactly-once',
      '  loss 0% · dup 0%',
    ]);
    for (const line of stacked.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(24);
  });
});
