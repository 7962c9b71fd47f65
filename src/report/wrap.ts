// Word wrapping for the human-readable formats: text broken at spaces to fit a width, with an indent.

/**
 * Wraps `text` to lines of at most `width` columns (a word longer than that stays whole on its own
 * line): the first line starts with `first`, the others with `rest`. Line breaks in `text` are kept
 * as paragraph breaks; runs of spaces inside a paragraph become one.
 */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = lines.length === 0 ? first : rest;
    let empty = true;
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      if (!empty && line.length + 1 + word.length > width) {
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
