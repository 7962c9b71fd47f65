// The word-wrap helper: fits the width, keeps every word in order, indents.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import fc from 'fast-check';
import { paragraphs, wrap } from '../../../src/report/wrap.js';

describe('wrap', () => {
  it('fits every line in the width (a word longer than the width alone on its line) and keeps the words in order', () => {
    const word = fc.stringMatching(/^[a-z]{1,30}$/);
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 40 }),
        fc.integer({ min: 10, max: 100 }),
        fc.nat(6),
        (words, width, indent) => {
          const pad = ' '.repeat(indent);
          const lines = wrap(words.join(' '), width, pad);
          for (const line of lines) {
            expect(line.startsWith(pad) || line === '').toBe(true);
            if (line.length > width) expect(line.trim().split(' ')).toHaveLength(1);
          }
          expect(
            lines
              .join(' ')
              .split(/\s+/)
              .filter((w) => w !== ''),
          ).toEqual(words);
        },
      ),
      { seed: 13 },
    );
  });

  it('uses the first indent on the first line and the rest on the others', () => {
    expect(wrap('aaa bbb ccc ddd', 9, '- ', '  ')).toEqual(['- aaa bbb', '  ccc ddd']);
  });

  it('paragraphs: single line breaks become spaces, blank lines stay', () => {
    expect(paragraphs('one\ntwo\n\nthree\n  four\n')).toBe('one two\n\nthree four');
  });
});
