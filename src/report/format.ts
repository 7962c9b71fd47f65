// Number formatting shared by the human-readable formats.
import { confirmMeaning, type AuditFacts } from '../audit/facts.js';
import type { ScenarioResult } from '../run/report.js';
import { count, percent } from '../number-text.js';

// Re-exported: the formats import them from here.
export { count, percent };

/** Milliseconds, shortened: 12.3, 1,234, 2.5 min, 3.1 h. */
export function millis(ms: number): string {
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 120_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 100) return count(Math.round(ms));
  return String(Math.round(ms * 10) / 10);
}

/** A time unit a column of latencies is shown in, with its size in milliseconds. */
export interface TimeUnit {
  name: 'ms' | 's' | 'min' | 'h';
  ms: number;
}

const TIME_UNITS: readonly TimeUnit[] = [
  { name: 'ms', ms: 1 },
  { name: 's', ms: 1000 },
  { name: 'min', ms: 60_000 },
  { name: 'h', ms: 3_600_000 },
];

/**
 * The one unit for a column of latencies: the largest whose biggest value is still at least 10 of it
 * (milliseconds below 10 s, seconds below 10 min, minutes below 10 h, then hours), so every cell is a
 * plain number in the header's unit.
 */
export function latencyUnit(valuesMs: readonly number[]): TimeUnit {
  const largest = Math.max(0, ...valuesMs.filter(Number.isFinite));
  let unit = TIME_UNITS[0]!;
  for (const candidate of TIME_UNITS) if (largest >= 10 * candidate.ms) unit = candidate;
  return unit;
}

/** A latency as a number in `unit`: one decimal below 100, whole with separators above (12.3, 1,234). */
export function inUnit(ms: number, unit: TimeUnit): string {
  const value = ms / unit.ms;
  if (Math.abs(value) >= 100) return count(Math.round(value));
  return String(Math.round(value * 10) / 10);
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

/** An audit's own facts in words: lines read, confirmed and indeterminate publishes, unexpected messages. */
export function auditText(facts: AuditFacts): string {
  const parts = [
    `${count(facts.lines)} lines${facts.badLines > 0 ? ` (${count(facts.badLines)} bad, skipped)` : ''}`,
    `confirmed ${count(facts.confirmed)}`,
    `indeterminate ${count(facts.indeterminate)}`,
    `recovered ${count(facts.recovered)}`,
    `unexpected ${count(facts.unexpected)}`,
  ];
  if (facts.failedPublishes > 0) parts.push(`failed publishes ${count(facts.failedPublishes)}`);
  if (facts.repeatedPublishes > 0) parts.push(`repeated publish lines ${count(facts.repeatedPublishes)}`);
  if (facts.offsetEvents > 0) {
    parts.push(
      `offsets: ${count(facts.offsetReads)} reads compared, nonmonotonic ${count(facts.nonmonotonic)}, skipped ${count(facts.skipped)}, logged twice ${count(facts.loggedTwice)}, lost writes ${count(facts.lostWrites)}, unseen ${count(facts.unseen)}`,
    );
  }
  if (facts.dedupeWindowMs !== undefined) {
    parts.push(
      `dedupe window ${windowText(facts.dedupeWindowMs)} would catch ${count(facts.caughtByDedupeWindow ?? 0)} extra effects, miss ${count(facts.missedByDedupeWindow ?? 0)}`,
    );
  }
  return parts.join(' · ');
}

/** What an audit found wrong besides loss and duplicates, in a few words each (for the line that says why). */
export function auditAnomalies(facts: AuditFacts): string[] {
  const found: string[] = [];
  if (facts.unexpected > 0) found.push(`unexpected ${count(facts.unexpected)}`);
  if (facts.failedButProcessed > 0) found.push(`processed after a failed publish ${count(facts.failedButProcessed)}`);
  if (facts.effectBeforePublish > 0) found.push(`effect before publish ${count(facts.effectBeforePublish)}`);
  if (facts.nonmonotonic > 0) found.push(`nonmonotonic reads ${count(facts.nonmonotonic)}`);
  if (facts.skipped > 0) found.push(`skipped offsets ${count(facts.skipped)}`);
  if (facts.loggedTwice > 0) found.push(`logged at two offsets ${count(facts.loggedTwice)}`);
  if (facts.offsetConflicts > 0) found.push(`offsets claimed twice ${count(facts.offsetConflicts)}`);
  if (facts.lostWrites > 0) found.push(`lost writes ${count(facts.lostWrites)}`);
  return found;
}

/** The rules an audit read its log by, and its anomalies, one line each; `warn` for what a reader must not miss. */
export function auditNotes(facts: AuditFacts): Array<{ text: string; warn: boolean }> {
  const notes = [
    { text: `confirms ${facts.confirms} (${facts.confirmsRule}): ${confirmMeaning(facts.confirms)}`, warn: false },
  ];
  if (facts.confirms === 'present' && facts.confirmsRule.startsWith('auto') && facts.indeterminate > 0) {
    notes.push({
      text: `${count(facts.indeterminate)} unconfirmed publish(es) counted indeterminate, not lost: if the log does not record every confirm, pass --confirms absent`,
      warn: true,
    });
  }
  if (facts.unexpected > 0) {
    notes.push({
      text: `${count(facts.unexpected)} message(s) with events but no publish in the log (${count(facts.unexpectedProcessed)} processed): check audit.unexpected == 0`,
      warn: true,
    });
  }
  if (facts.failedButProcessed > 0) {
    notes.push({
      text: `${count(facts.failedButProcessed)} message(s) processed although every publish of theirs failed`,
      warn: true,
    });
  }
  if (facts.effectBeforePublish > 0) {
    notes.push({
      text: `${count(facts.effectBeforePublish)} message(s) with an effect timed before their publish: the hosts' clocks disagree (clock skew) or ids are reused; left out of latency`,
      warn: true,
    });
  }
  return notes;
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
