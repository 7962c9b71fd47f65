// The values a user's handler gives and stores (handler.ts): copies, their exact text for the state hash, what a
// throw says; payloads; the verdict of its check over the final store.
import { UsageError } from '../errors.js';
import { Site, type ChoiceSource } from '../sim/choice.js';
import type { PayloadGenerator } from './handler-types.js';

/** Objects are stored and read as copies, so a handler cannot change the store without a write. */
export function copyOf<T>(value: T): T {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

/** A value's text when it says all of it (plain data: JSON with undefined, -0, NaN and the infinities marked), else
 * undefined. */
export function exactText(value: unknown): string | undefined {
  let exact = true;
  // `this[key]` is the value before any toJSON: a Date and a string of the same text must not read alike.
  const replacer = function (this: Record<string, unknown>, key: string, v: unknown): unknown {
    const raw = this[key];
    if (raw === undefined) return '\u0000undefined';
    if (typeof raw === 'number' && (!Number.isFinite(raw) || Object.is(raw, -0)))
      return `\u0000${Object.is(raw, -0) ? '-0' : String(raw)}`;
    if (typeof raw === 'bigint') return `\u0000${raw}n`;
    // The marks above start with U+0000: a string of the user's that does too could read as one of them.
    if (typeof raw === 'string' && raw.startsWith('\u0000')) exact = false;
    if (typeof raw === 'function' || typeof raw === 'symbol') exact = false;
    else if (
      typeof raw === 'object' &&
      raw !== null &&
      !Array.isArray(raw) &&
      Object.getPrototypeOf(raw) !== Object.prototype
    )
      exact = false;
    return v;
  };
  const text = JSON.stringify(value, replacer);
  return exact ? text : undefined;
}

/** What a handler threw, as text (never throwing itself). */
export function thrownText(thrown: unknown): string {
  try {
    return thrown instanceof Error ? String(thrown.message) : String(thrown);
  } catch {
    return 'a value that cannot be shown';
  }
}

/**
 * What is wrong with what a call returned (not a promise), or undefined: a generator's body never ran.
 */
export function notACall(returned: unknown): string | undefined {
  const iterator = returned as { next?: unknown; [Symbol.iterator]?: unknown } | null;
  if (typeof iterator === 'object' && iterator !== null && typeof iterator.next === 'function')
    return 'the handler returned an iterator: a generator function, whose body never ran (allowed: a plain function)';
  return undefined;
}

/** Whether a value is a promise, or anything `await` treats as one. */
export function isThenable(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** A store key as a trace shows it: quoted, cut short. */
export function shownKey(key: unknown): string {
  const text = String(key);
  return `'${text.length > 40 ? `${text.slice(0, 39)}…` : text}'`;
}

/** Each message's payload, made once by the user's generator (the same in every run of a seed). */
export class Payloads {
  private readonly made = new Map<number, unknown>();

  constructor(
    private readonly generator: PayloadGenerator | undefined,
    private readonly choices: ChoiceSource,
  ) {}

  /** Message `m`'s payload, copied for one call; one that cannot be copied is refused in words. */
  copy(m: number): unknown {
    const payload = this.of(m);
    try {
      return copyOf(payload);
    } catch (thrown) {
      throw new UsageError(
        `payload: the generator's value for message ${m} cannot be copied: ${thrownText(thrown)} ` +
          '(allowed: data structuredClone copies: objects, arrays, strings, numbers, Maps, Dates...)',
      );
    }
  }

  of(m: number): unknown {
    if (this.generator === undefined) return undefined;
    if (!this.made.has(m)) {
      let n = 0;
      let payload: unknown;
      try {
        payload = this.generator(m, () => this.choices.uniform(Site.handlerRandom, m, -1, n++));
      } catch (thrown) {
        throw new UsageError(`payload: the generator threw for message ${m}: ${thrownText(thrown)}`);
      }
      this.made.set(m, payload);
    }
    return this.made.get(m);
  }
}

/** The user's `check` over the final store (its keys in order, each a copy): '' when it holds, else what is wrong. */
export function stateVerdict(check: (state: Record<string, unknown>) => unknown, data: Map<string, unknown>): string {
  return plainText(verdictOf(check, data));
}

/** Text without control characters (a terminal's escape sequences among them), for the reports. */
function plainText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function verdictOf(check: (state: Record<string, unknown>) => unknown, data: Map<string, unknown>): string {
  const state = Object.fromEntries([...data.keys()].sort().map((key) => [key, copyOf(data.get(key))]));
  let verdict: unknown;
  try {
    verdict = check(state);
  } catch (thrown) {
    return `it threw: ${thrownText(thrown)}`.slice(0, 300);
  }
  if (verdict === true || verdict === undefined) return '';
  if (verdict === false) return 'it returned false';
  if (typeof verdict === 'string') return verdict.slice(0, 300) || 'it returned an empty text';
  try {
    if (isThenable(verdict)) {
      // Observed, so that its rejection is not left unhandled (which would end the process).
      Promise.resolve(verdict).catch(() => undefined);
      return 'it returned a promise (allowed: a synchronous check)';
    }
  } catch (thrown) {
    return `it threw: ${thrownText(thrown)}`.slice(0, 300);
  }
  return `it returned ${typeof verdict} (allowed: true, false or a text)`;
}
