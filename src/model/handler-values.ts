// The values a user's handler gives and stores (handler.ts): copies, their exact text for the state hash, what a
// throw says.

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
 * What is wrong with what a call returned, or undefined: a promise would settle after this event (its writes would
 * land at another time of the run), and a generator's body never ran.
 */
export function notSynchronous(returned: unknown): string | undefined {
  if (isThenable(returned)) {
    void Promise.resolve(returned).catch(() => undefined);
    return 'the handler returned a promise (allowed: a synchronous handler for now; see docs/api.md)';
  }
  const iterator = returned as { next?: unknown; [Symbol.iterator]?: unknown } | null;
  if (typeof iterator === 'object' && iterator !== null && typeof iterator.next === 'function')
    return 'the handler returned an iterator: a generator function, whose body never ran (allowed: a plain function)';
  return undefined;
}

function isThenable(value: unknown): boolean {
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
