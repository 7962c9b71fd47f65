// Text from the user's input, made safe to echo on a terminal: control characters (escape sequences
// included) and bidirectional overrides shown as escapes, and long values cut.

/** DEL, C1 controls (U+009B is a terminal's CSI) and the bidirectional controls that can disguise text (Trojan Source).
 * */
const BEYOND_C0 = '\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069';
/** C0 controls and the rest. */
const UNSAFE = new RegExp(`[\u0000-\u001f${BEYOND_C0}]`, 'g');

/** The longest echoed value, in characters, before it is cut. */
export const ECHO_LIMIT = 120;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\n') return '\\n';
  if (char === '\t') return '\\t';
  if (char === '\r') return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character escaped (`\x1b`, `\n`, `\u202e`: also valid in a shell's $'...'). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** `text` with every control character escaped, cut to `limit` characters. */
export function safeText(text: string, limit = ECHO_LIMIT): string {
  return escapeControls(
    text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text,
  );
}

/** True when `text` holds a character that `safeText` would escape. */
export function hasControlCharacters(text: string): boolean {
  return new RegExp(UNSAFE.source).test(text);
}

/** A shell word for `word`: bare when plain, quoted otherwise, control characters in ANSI-C quoting ($'\x1b'), so a
 * printed command is safe to show and still runs. */
export function shellWord(word: string): string {
  if (/^[\w./:=,@%+-]+$/.test(word)) return word;
  if (hasControlCharacters(word)) return `$'${escapeControls(word.replace(/[\\']/g, (c) => `\\${c}`))}'`;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * JSON text with the controls JSON.stringify leaves raw (it escapes C0 only) as \u escapes: the same
 * JSON value, safe to print on a terminal (an audit's file name is the user's, not checked).
 */
export function escapeJsonControls(json: string): string {
  return json.replace(
    new RegExp(`[${BEYOND_C0}]`, 'g'),
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
