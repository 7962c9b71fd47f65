// The Markdown report: GitHub tables, for pull-request comments and $GITHUB_STEP_SUMMARY.
import { escapeControls, safeText } from '../safe-text.js';
import type { CheckResult } from '../run/checks.js';
import { isRunsResult, type Report, type ScenarioResult, type ScenarioRunsResult } from '../run/report.js';
import { actualValue, auditNotes, auditText, count, millis, nonZero, percent, seedText } from './format.js';
import { summaryLine, verdictOf } from './verdict.js';
import type { FormatOptions } from './table.js';
import { paragraphs } from './wrap.js';

/** Options of the Markdown report: each scenario's description (its lesson), by scenario file, when known. */
export interface MarkdownOptions extends FormatOptions {
  descriptions?: Readonly<Record<string, string>>;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function checksCell(checks: readonly CheckResult[], inconclusive?: string): string {
  const verdict = verdictOf(checks, inconclusive === undefined ? [] : [inconclusive]);
  const mark =
    verdict.status === 'fail'
      ? '❌'
      : verdict.status === 'inconclusive'
        ? '❔'
        : verdict.status === 'pass'
          ? '✅'
          : '–';
  return `${mark} ${checks.filter((c) => c.status === 'pass').length}/${checks.length}`;
}

function single(scenario: ScenarioResult, out: string[]): void {
  out.push(`\`${safeText(scenario.file, 400)}\`${seedText(scenario)} · ${count(scenario.messages)} messages`, '');
  out.push('| mode | loss | dup | retry | lost | duplicated | DLQ | unresolved | p99 ms | checks |');
  out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|---|');
  for (const r of scenario.results) {
    const m = r.metrics;
    out.push(
      `| ${cell(r.mode)} | ${percent(m.lossRate)} | ${percent(m.duplicateRate)} | ${percent(m.retryRate)} | ${count(m.lost)} | ${count(m.duplicates)} | ${count(m.deadLettered)} | ${count(m.unresolved)} | ${millis(m.latencyMs.p99)} | ${checksCell(r.checks, r.inconclusive)} |`,
    );
  }
  out.push('');
  for (const r of scenario.results) {
    const why = [
      r.metrics.lost > 0 ? `lost ${count(r.metrics.lost)} (${nonZero(r.lossByCause)})` : '',
      r.metrics.duplicates > 0 ? `duplicated ${count(r.metrics.duplicates)} (${nonZero(r.duplicatesByCause)})` : '',
    ].filter((s) => s !== '');
    if (r.audit !== undefined) why.push(auditText(r.audit), ...auditNotes(r.audit).map((note) => note.text));
    if (r.inconclusive !== undefined) why.push(`**${r.inconclusive}**`);
    if (why.length > 0) out.push(`- **${cell(r.mode)}**: ${why.join('; ')}`);
  }
}

function many(scenario: ScenarioRunsResult, out: string[]): void {
  const last = scenario.seed + scenario.runs - 1;
  const shard = scenario.shard === undefined ? '' : ` · shard ${scenario.shard}`;
  out.push(
    `\`${safeText(scenario.file, 400)}\` · ${count(scenario.runs)} runs, seeds ${scenario.seed}..${last}${shard} · ${count(scenario.messages)} messages each`,
    '',
  );
  out.push('| mode | loss (95% CI) | dup (95% CI) | retry | lost max | dups max | p99 ms | checks |');
  out.push('|---|--:|--:|--:|--:|--:|--:|---|');
  for (const r of scenario.results) {
    const m = r.aggregate.metrics;
    const ci = (s: { mean: number; lower: number; upper: number }) =>
      `${percent(s.mean)} (${percent(s.lower)}–${percent(s.upper)})`;
    out.push(
      `| ${cell(r.mode)} | ${ci(m.lossRate!)} | ${ci(m.duplicateRate!)} | ${percent(m.retryRate!.mean)} | ${count(m.lost!.max)} | ${count(m.duplicates!.max)} | ${millis(m['latencyMs.p99']!.mean)} | ${checksCell(r.checks)} |`,
    );
  }
  out.push('');
  for (const r of scenario.results) {
    const why = [nonZero(r.aggregate.lossByCause), nonZero(r.aggregate.duplicatesByCause)];
    const parts = [why[0] === '' ? '' : `lost: ${why[0]}`, why[1] === '' ? '' : `duplicated: ${why[1]}`].filter(
      (s) => s !== '',
    );
    const a = r.aggregate;
    const coverage = a.configuredFaults.map((f) => `${f} ${a.coverage[f] ?? 0}/${a.runs}`).join(', ');
    const met = coverage === '' ? '' : ` Runs that met each fault: ${coverage}.`;
    const story = parts.length > 0 ? `${parts.join('; ')}.` : 'no anomaly in any run.';
    out.push(`- **${cell(r.mode)}** (all runs): ${story}${met} Worst run: \`${r.worstRun}\``);
  }
}

/** Formats the report as Markdown. */
export function formatMarkdown(report: Report, options?: MarkdownOptions): string {
  const out: string[] = ['# acksim report', '', `**${summaryLine(report)}**`, ''];
  if (report.interrupted === true) out.push('_Interrupted: the report holds only what finished._', '');
  for (const scenario of report.scenarios) {
    out.push(`## ${safeText(scenario.name, 128)}`, '');
    if (scenario.summary !== '') out.push(safeText(scenario.summary, 300), '');
    const description = options?.descriptions?.[scenario.file];
    if (description !== undefined && description.trim() !== '')
      out.push(
        ...paragraphs(description)
          .split('\n')
          .map((line) => safeText(line, 4000)),
        '',
      );
    if (isRunsResult(scenario)) many(scenario, out);
    else single(scenario, out);
    const checks = (scenario.results as Array<{ checks: CheckResult[] }>).flatMap((r) => r.checks);
    for (const c of checks.filter((check) => check.status !== 'pass')) {
      const mark = c.status === 'fail' ? '❌ failed' : '❔ inconclusive';
      const seed = c.seed === undefined ? '' : `, seed ${c.seed}`;
      const reason = c.status === 'inconclusive' && c.reason !== undefined ? `; ${c.reason}` : '';
      out.push(`- ${mark}: \`${c.mode}: ${c.expr}\` (actual ${actualValue(c.expr, c.actual)}${seed}${reason})`);
    }
    out.push('', `Reproduce: \`${escapeControls(scenario.reproduce)}\``, '');
  }
  return `${out.join('\n')}\n`;
}
