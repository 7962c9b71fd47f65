// Number formatting shared by the human-readable formats.
import type { AuditFacts } from '../audit/tally.js';
import type { ScenarioResult } from '../run/report.js';

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

function windowText(ms: number): string {
  if (ms === 0) return 'forever';
  const text = millis(ms);
  return /[a-z]$/.test(text) ? text : `${text} ms`;
}

/** An audit's own facts in words: lines read, confirmed and indeterminate publishes, unexpected effects. */
export function auditText(facts: AuditFacts): string {
  const parts = [
    `${count(facts.lines)} lines${facts.badLines > 0 ? ` (${count(facts.badLines)} bad, skipped)` : ''}`,
    `confirmed ${count(facts.confirmed)}`,
    `indeterminate ${count(facts.indeterminate)}`,
    `recovered ${count(facts.recovered)}`,
    `unexpected ${count(facts.unexpected)}`,
  ];
  if (facts.dedupeWindowMs !== undefined) {
    parts.push(
      `dedupe window ${windowText(facts.dedupeWindowMs)} would catch ${count(facts.caughtByDedupeWindow ?? 0)} extra effects, miss ${count(facts.missedByDedupeWindow ?? 0)}`,
    );
  }
  return parts.join(' · ');
}

/** " · seed 7", or nothing for an audit (a real log has no seed). */
export function seedText(scenario: ScenarioResult): string {
  return scenario.results.some((r) => r.audit !== undefined) ? '' : ` · seed ${scenario.seed}`;
}

/** Non-zero entries of a count table as `name n, name n`, largest first. */
export function nonZero(table: Record<string, number>): string {
  return Object.entries(table)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name, n]) => `${name} ${count(n)}`)
    .join(', ');
}
