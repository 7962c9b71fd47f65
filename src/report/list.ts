// `acksim list` as text: each built-in scenario with its one-line lesson, in two columns when they fit
// the width, else the name on its own line and the lesson under it.
import { safeText } from '../safe-text.js';
import { wrapLine } from './wrap.js';

/** The narrowest lesson column worth a two-column layout. */
const MIN_LESSON_COLUMNS = 40;

/** Scenarios with their lessons, fitting `width` columns. */
export function formatList(scenarios: ReadonlyArray<{ name: string; summary: string }>, width: number): string {
  const nameWidth = Math.max(0, ...scenarios.map((s) => s.name.length));
  const columns = width - nameWidth - 2 >= MIN_LESSON_COLUMNS;
  const lines = scenarios.flatMap((s) => {
    const name = safeText(s.name, 128);
    const summary = safeText(s.summary, 300);
    return columns
      ? wrapLine(`${name.padEnd(nameWidth)}  ${summary}`, width, { hang: nameWidth + 2 })
      : [name, ...wrapLine(`  ${summary}`, width, { hang: 0 })];
  });
  return lines.map((line) => `${line}\n`).join('');
}
