// Strings of any code points, lone surrogates included, for inputs that must survive whatever text they meet.
// fast-check's own `unit: 'binary'` does the same, but the first string it makes builds a map of all 1.1 million
// code points (1.5 s of CPU in every test process that uses it, 6 s over the suite, 2026-12-01); this unit maps
// an integer to its code point instead, and shrinks towards code point 0.
import fc from 'fast-check';

/** One code point, 0 to 0x10ffff (a lone surrogate is one of them). */
const codePoint = fc.integer({ min: 0, max: 0x10ffff }).map((point) => String.fromCodePoint(point));

/** A string of any code points, as `fc.string({ unit: 'binary', ...constraints })`. */
export function anyText(constraints: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
  return fc.string({ ...constraints, unit: codePoint });
}
