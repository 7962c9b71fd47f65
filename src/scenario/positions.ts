// Finds where a field is written in a YAML or JSON document, to point problems at line:column.
import { isMap, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** A path into a document: keys and array indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** A rule violation at a field path. */
export interface RuleProblem {
  path: FieldPath;
  message: string;
  /** True when the key, not the value, is what is wrong. */
  atKey?: boolean;
}

/** Formats a field path as `a.b[0].c`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(top level)' : out;
}

/** Line and column (1-based) of a field's value, or of its key with `atKey`, or of its nearest written ancestor. */
export function locate(
  document: Document,
  lines: LineCounter,
  path: FieldPath,
  atKey = false,
): { line: number; column: number } | undefined {
  let node: unknown = document.contents;
  let offset: number | undefined = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyOf(p.key) === String(part));
      if (pair === undefined) break;
      if (last && atKey) {
        offset = rangeStart(pair.key) ?? offset;
        break;
      }
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      offset = rangeStart(node) ?? offset;
      if (node === undefined) break;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const position = lines.linePos(offset);
  return { line: position.line, column: position.col };
}

function keyOf(key: unknown): string | undefined {
  if (key !== null && typeof key === 'object' && 'value' in key) return String(key.value);
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

function rangeStart(node: unknown): number | undefined {
  if (node !== null && typeof node === 'object' && 'range' in node) {
    const range = (node as Node).range;
    return range?.[0];
  }
  return undefined;
}
