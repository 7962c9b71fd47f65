// Number formatting shared by the human-readable formats.

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

/** Milliseconds, shortened: 12.3, 1,234, 2.5 min, 3.1 h. */
export function millis(ms: number): string {
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 120_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 100) return count(Math.round(ms));
  return String(Math.round(ms * 10) / 10);
}

/** A check's actual value, as a rate too when the check's metric is one. */
export function actualValue(expr: string, value: number): string {
  if (/^[\w(.]*Rate\b/.test(expr)) return `${value} (${percent(value)})`;
  return String(value);
}

/** Non-zero entries of a count table as `name n, name n`, largest first. */
export function nonZero(table: Record<string, number>): string {
  return Object.entries(table)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name, n]) => `${name} ${count(n)}`)
    .join(', ');
}
