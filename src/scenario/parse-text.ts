// Scenario text to data, within bounds a hostile file cannot stretch: one document per file, nesting
// no deeper than MAX_NESTING (checked on the tokens, before anything recursive runs), aliases expanded
// a bounded number of times (a "billion laughs" bomb), duplicate keys found in linear time. Every
// refusal is an issue at the user's line:column, never the parser's own words about its API.
import { CST, isMap, isScalar, Lexer, LineCounter, parseAllDocuments, parseDocument, visit, type Document } from 'yaml';
import { lineAndColumn, MAX_NESTING } from '../input-file.js';
import type { Issue } from './types.js';

/** The most alias expansions one scenario may make (yaml's maxAliasCount). */
export const MAX_ALIAS_EXPANSIONS = 100;

/** The most problems reported for one file: each is located in the document, and a hostile file can have 100,000. */
export const MAX_ISSUES = 100;

/** The closing line when `count` problems were found and only MAX_ISSUES are shown. */
export function moreIssues(count: number, file: string): Issue[] {
  if (count <= MAX_ISSUES) return [];
  return [
    {
      file,
      path: '(file)',
      message: `and ${count - MAX_ISSUES} more problem(s): only the first ${MAX_ISSUES} are shown`,
    },
  ];
}

/** Parsed scenario text, or the problems that stop it being read. */
export type ParsedText =
  { ok: true; document: Document; lines: LineCounter; data: unknown } | { ok: false; issues: Issue[] };

/** Tokens the lexer adds that are not in the source. */
const NOT_IN_SOURCE = new Set(['doc-mode', 'flow-error-end']);
const BLOCK_INDICATORS = new Set(['seq-item-ind', 'explicit-key-ind', 'map-value-ind']);

/**
 * The offset at which nesting may exceed `max`, from the tokens alone (no recursion, linear time): an
 * upper bound of the depth, counting open flow brackets, the block indentation levels and the block
 * indicators (`- `, `? `, `: `) of the current line. Also the offset of the first alias.
 */
function scan(text: string, max: number): { deepAt?: number; aliasAt?: number } {
  let offset = 0;
  let flow = 0;
  let indent = 0;
  let lineStart = true;
  let indicators = 0;
  let scalarValue = false;
  let aliasAt: number | undefined;
  const indents: number[] = [];
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type !== null && NOT_IN_SOURCE.has(type)) continue;
    // The scalar marker is not in the source; the token after it is the scalar's text.
    if (type === 'scalar' && token === '\u001f') {
      scalarValue = true;
      continue;
    }
    const at = offset;
    offset += token.length;
    if (type === 'newline') {
      lineStart = true;
      indent = 0;
      indicators = 0;
      continue;
    }
    if (lineStart && type === 'space' && !scalarValue) {
      indent = token.length;
      continue;
    }
    if (type === 'comment') continue;
    if (lineStart && flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! > indent) indents.pop();
      if (indents.length === 0 || indents[indents.length - 1]! < indent) indents.push(indent);
    }
    lineStart = false;
    if (scalarValue) {
      scalarValue = false;
      continue;
    }
    if (type === 'alias') aliasAt ??= at;
    else if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
    else if (type === 'flow-seq-end' || type === 'flow-map-end') flow = Math.max(0, flow - 1);
    else if (type !== null && BLOCK_INDICATORS.has(type) && flow === 0) indicators++;
    if (flow + Math.max(0, indents.length - 1) + indicators > max)
      return { deepAt: at, ...(aliasAt === undefined ? {} : { aliasAt }) };
  }
  return aliasAt === undefined ? {} : { aliasAt };
}

/** Duplicate keys of every mapping, each at its key (yaml's own check is quadratic in the keys). */
function duplicateKeys(document: Document, lines: LineCounter, file: string): Issue[] {
  const issues: Issue[] = [];
  visit(document, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (!seen.has(pair.key.value)) {
          seen.add(pair.key.value);
          continue;
        }
        const position = lines.linePos(pair.key.range?.[0] ?? 0);
        issues.push({
          file,
          line: position.line,
          column: position.col,
          path: '(syntax)',
          message: 'Map keys must be unique',
        });
      }
    },
  });
  return issues;
}

/** Parses scenario text (YAML or JSON) to plain data, refusing what would exhaust time, stack or memory. */
export function parseScenarioText(text: string, file: string): ParsedText {
  const at = (offset: number, message: string, path = '(syntax)'): ParsedText => ({
    ok: false,
    issues: [{ file, ...lineAndColumn(text, offset), path, message }],
  });
  const { deepAt, aliasAt } = scan(text, MAX_NESTING);
  if (deepAt !== undefined)
    return at(deepAt, `nested deeper than ${MAX_NESTING} levels (allowed: at most ${MAX_NESTING})`);
  const lines = new LineCounter();
  const options = { lineCounter: lines, uniqueKeys: false, prettyErrors: true } as const;
  const documents = parseAllDocuments(text, options);
  if (documents.length > 1) {
    const second = documents[1]!.range[0];
    return at(second, `one scenario per file (found ${documents.length} documents); split them into separate files`);
  }
  const document = documents[0] ?? parseDocument(text, options);
  const errors: Issue[] = document.errors.map((error) => ({
    file,
    line: error.linePos?.[0].line,
    column: error.linePos?.[0].col,
    path: '(syntax)',
    message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
  }));
  errors.push(...(errors.length === 0 && isMap(document.contents) ? duplicateKeys(document, lines, file) : []));
  if (errors.length > 0) return { ok: false, issues: errors };
  try {
    return { ok: true, document, lines, data: document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS }) };
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return at(
        aliasAt ?? 0,
        `aliases expand too much (a YAML alias bomb?) (allowed: at most ${MAX_ALIAS_EXPANSIONS} alias expansions)`,
      );
    }
    return at(0, `cannot read: ${(error as Error).message.split('\n')[0]!}`);
  }
}
