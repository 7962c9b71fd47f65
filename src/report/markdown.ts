// The Markdown report: GitHub tables, for pull-request comments and $GITHUB_STEP_SUMMARY.
import type { Report } from '../run/report.js';
import { actualValue, count, millis, nonZero, percent } from './format.js';
import { summaryLine, verdictOf } from './verdict.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Formats the report as Markdown. */
export function formatMarkdown(report: Report): string {
  const out: string[] = ['# acksim report', '', `**${summaryLine(report)}**`, ''];
  for (const scenario of report.scenarios) {
    out.push(`## ${scenario.name}`, '');
    if (scenario.summary !== '') out.push(scenario.summary, '');
    out.push(`\`${scenario.file}\` · seed ${scenario.seed} · ${count(scenario.messages)} messages`, '');
    out.push('| mode | loss | dup | retry | lost | duplicated | DLQ | unresolved | p99 ms | checks |');
    out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|---|');
    for (const r of scenario.results) {
      const m = r.metrics;
      const verdict = verdictOf(r.checks);
      const mark = verdict.status === 'fail' ? '❌' : verdict.status === 'inconclusive' ? '❔' : verdict.status === 'pass' ? '✅' : '–';
      const passed = r.checks.filter((c) => c.status === 'pass').length;
      out.push(
        `| ${cell(r.mode)} | ${percent(m.lossRate)} | ${percent(m.duplicateRate)} | ${percent(m.retryRate)} | ${count(m.lost)} | ${count(m.duplicates)} | ${count(m.deadLettered)} | ${count(m.unresolved)} | ${millis(m.latencyMs.p99)} | ${mark} ${passed}/${r.checks.length} |`,
      );
    }
    out.push('');
    for (const r of scenario.results) {
      const why = [
        r.metrics.lost > 0 ? `lost ${count(r.metrics.lost)} (${nonZero(r.lossByCause)})` : '',
        r.metrics.duplicates > 0 ? `duplicated ${count(r.metrics.duplicates)} (${nonZero(r.duplicatesByCause)})` : '',
      ].filter((s) => s !== '');
      if (why.length > 0) out.push(`- **${cell(r.mode)}**: ${why.join('; ')}`);
    }
    for (const r of scenario.results) {
      for (const c of r.checks.filter((check) => check.status !== 'pass')) {
        const mark = c.status === 'fail' ? '❌ failed' : '❔ inconclusive';
        out.push(`- ${mark}: \`${c.mode}: ${c.expr}\` (actual ${actualValue(c.expr.split(/\s/)[0]!, c.actual)})`);
      }
    }
    out.push('', `Reproduce: \`${scenario.reproduce}\``, '');
  }
  return `${out.join('\n')}\n`;
}
