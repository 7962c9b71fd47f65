// Numbers as people read them, for every layer that writes text: the report's formats and the live
// verdict's reasons alike (a top-level module, so that live/ need not import report/).

/** A count with thousands separators: 12,345. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
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
