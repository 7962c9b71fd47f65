// Text that fits a terminal: display width (ANSI colour codes take none) and word wrapping with a
// hanging indent, so a long line continues under its own text instead of at column 0.

/** The columns a terminal report is laid out for when nothing says otherwise (a pipe, a file). */
export const DEFAULT_WIDTH = 80;

/** The narrowest width honoured: below it a layout has no room for its text at all. */
export const MIN_WIDTH = 40;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Text without ANSI colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Columns a line takes on a terminal: code points, colour codes excluded. */
export function displayWidth(text: string): number {
  return [...stripAnsi(text)].length;
}

/** Options of `wrapLine`. */
export interface WrapOptions {
  /** Extra indent of the continuation lines, past the line's own leading spaces (default 2). */
  hang?: number;
}

/**
 * One line wrapped at spaces to `width` columns; continuation lines start under the line's own indent plus
 * `hang`. A word longer than the room left is cut into pieces rather than left overlong.
 */
export function wrapLine(line: string, width: number, options: WrapOptions = {}): string[] {
  if (displayWidth(line) <= width) return [line];
  const indent = /^ */.exec(line)![0].length;
  const pad = ' '.repeat(Math.min(indent + (options.hang ?? 2), width - 20));
  // Each word keeps the spaces before it, so the spacing inside a line (aligned columns) survives.
  const words = line.slice(indent).match(/ *[^ ]+/g) ?? [];
  const out: string[] = [];
  let current = ' '.repeat(indent);
  let empty = true;
  for (const spaced of words) {
    const word = spaced.trimStart();
    const joined = empty ? word : spaced;
    if (displayWidth(current) + displayWidth(joined) <= width) {
      current += joined;
      empty = false;
      continue;
    }
    if (!empty) {
      out.push(current);
      current = pad;
    }
    empty = true;
    for (const piece of pieces(word, width - displayWidth(current))) {
      if (!empty) {
        out.push(current);
        current = pad;
      }
      current += piece;
      empty = false;
    }
  }
  if (!empty) out.push(current);
  return out;
}

/** A word cut into pieces of at most `room` columns (colour codes stay with the character after them). */
function pieces(word: string, room: number): string[] {
  if (displayWidth(word) <= room || room <= 0) return [word];
  const out: string[] = [];
  let current = '';
  let columns = 0;
  // eslint-disable-next-line no-control-regex
  for (const token of word.match(/\u001b\[[0-9;]*m|[\s\S]/gu) ?? []) {
    const visible = !token.startsWith('\u001b[');
    if (visible && columns === room) {
      out.push(current);
      current = '';
      columns = 0;
    }
    current += token;
    if (visible) columns++;
  }
  if (current !== '') out.push(current);
  return out;
}

/** Every line of `text` wrapped to `width` (see `wrapLine`); line breaks already in it are kept. */
export function wrapText(text: string, width: number, options: WrapOptions = {}): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width, options))
    .join('\n');
}

/**
 * Prose (a description, a story) wrapped to lines of at most `width` columns (a word longer than that
 * stays whole on its own line): the first line starts with `first`, the others with `rest`. Line breaks in `text` are
 * kept
 * as paragraph breaks; runs of spaces inside a paragraph become one.
 */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = lines.length === 0 ? first : rest;
    let empty = true;
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      if (!empty && displayWidth(line) + 1 + displayWidth(word) > width) {
        lines.push(line);
        line = rest;
        empty = true;
      }
      line += empty ? word : ` ${word}`;
      empty = false;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** Text written hard-wrapped (a YAML block) as paragraphs: single line breaks become spaces, blank lines stay. */
export function paragraphs(text: string): string {
  return text
    .trim()
    .split(/\n[ \t]*\n\s*/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' '))
    .join('\n\n');
}
