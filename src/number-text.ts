// Numbers as people read them, for every layer that writes text: the report's formats and the live
// verdict's reasons alike (a top-level module, so that live/ need not import report/).

/**
 * A number with thousands separators, exactly as `value.toLocaleString('en-US')` writes it: 12,345. Whole numbers
 * are grouped here: the first toLocaleString of a process loads the locale's data (about 25 ms, a tenth of a small
 * run's start); anything else (fractions, -0, infinities, 1e21 and above) is left to it.
 */
export function count(value: number): string {
  if (!Number.isInteger(value) || Math.abs(value) >= 1e21 || Object.is(value, -0)) return value.toLocaleString('en-US');
  const digits = String(Math.abs(value));
  let text = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = text.length; i < digits.length; i += 3) text += `,${digits.slice(i, i + 3)}`;
  return value < 0 ? `-${text}` : text;
}

/** A rate as a percentage with enough digits to see small rates: 0.98%, 0.004%, 0%. */
export function percent(rate: number): string {
  if (rate === 0) return '0%';
  if (rate < 0) return `-${percent(-rate)}`;
  const pct = rate * 100;
  if (pct >= 10) return `${pct.toFixed(1)}%`;
  if (pct >= 0.01) return `${pct.toFixed(2)}%`;
  if (pct >= 0.0001) return `${pct.toPrecision(2)}%`;
  return '<0.0001%';
}
