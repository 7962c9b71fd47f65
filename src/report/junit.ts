// The JUnit XML report: a test suite per scenario and a test case per mode and check, as CI systems
// (GitHub Actions, GitLab, Jenkins) read it. Inconclusive checks are reported as skipped. Every test
// case carries the measured value as its property `actual`. `time` is always 0: acksim judges checks
// in virtual time, and a wall-clock duration would make the same run give different XML.
import type { Report } from '../run/report.js';
import type { CheckResult } from '../run/checks.js';
import { escapeControls } from '../safe-text.js';
import { actualValue } from './format.js';

/** Escapes text for XML attributes and content, dropping characters XML 1.0 cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * The checks as distinct test cases: a check written twice (in the scenario and again with --check)
 * is one test case; two different results under one name (which one judgement cannot give) would be
 * told apart by a suffix rather than merged.
 */
function distinctChecks(checks: readonly CheckResult[]): Array<{ name: string; check: CheckResult }> {
  const seen = new Map<string, CheckResult[]>();
  const out: Array<{ name: string; check: CheckResult }> = [];
  for (const check of checks) {
    const base = `${check.mode}: ${check.expr}`;
    const earlier = seen.get(base) ?? [];
    if (earlier.some((e) => e.status === check.status && Object.is(e.actual, check.actual))) continue;
    seen.set(base, [...earlier, check]);
    out.push({ name: earlier.length === 0 ? base : `${base} (${earlier.length + 1})`, check });
  }
  return out;
}

/** Formats the report as JUnit XML. */
export function formatJunit(report: Report): string {
  const lines: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const scenario of report.scenarios) {
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    const checks = distinctChecks((scenario.results as Array<{ checks: CheckResult[] }>).flatMap((r) => r.checks));
    // A result with nothing in it (an empty audit log) is a skipped test case, never an empty green suite.
    const empty = (scenario.results as Array<{ mode: string; inconclusive?: string }>).filter(
      (r) => r.inconclusive !== undefined,
    );
    for (const result of empty) {
      suiteSkipped++;
      cases.push(
        `    <testcase classname="${escapeXml(`acksim.${scenario.name}.${result.mode}`)}" name="${escapeXml(result.mode)}" time="0">`,
        `      <skipped message="inconclusive: ${escapeXml(result.inconclusive!)}"/>`,
        '    </testcase>',
      );
    }
    for (const { name: caseName, check } of checks) {
      const name = escapeXml(caseName);
      const classname = escapeXml(`acksim.${scenario.name}.${check.mode}`);
      const actual = escapeXml(actualValue(check.expr, check.actual));
      const open = `    <testcase classname="${classname}" name="${name}" time="0">`;
      const measured = `      <properties><property name="actual" value="${check.actual}"/></properties>`;
      if (check.status === 'pass') {
        cases.push(open, measured, '    </testcase>');
      } else if (check.status === 'fail') {
        suiteFailures++;
        cases.push(
          open,
          measured,
          `      <failure type="check" message="actual ${actual}">${escapeXml(`${check.expr} failed: actual ${actualValue(check.expr, check.actual)}${check.seed === undefined ? '' : ` (seed ${check.seed})`}${check.reason === undefined ? '' : `: ${check.reason}`}\nreproduce: ${scenario.reproduce}`)}</failure>`,
          '    </testcase>',
        );
      } else {
        suiteSkipped++;
        cases.push(
          open,
          measured,
          `      <skipped message="inconclusive: ${escapeXml(check.reason ?? 'messages were still unresolved when the run stopped')} (actual ${actual})"/>`,
          '    </testcase>',
        );
      }
    }
    tests += checks.length + empty.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="${escapeXml(scenario.name)}" tests="${checks.length + empty.length}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}" time="0">`,
      `    <properties><property name="seed" value="${scenario.seed}"/><property name="file" value="${escapeXml(escapeControls(scenario.file))}"/><property name="reproduce" value="${escapeXml(scenario.reproduce)}"/></properties>`,
      ...cases,
      '  </testsuite>',
    );
  }
  if (report.interrupted === true) {
    // An interrupted report must not read as a clean pass.
    tests++;
    suites.push(
      '  <testsuite name="acksim" tests="1" failures="0" errors="1" skipped="0" time="0">',
      '    <testcase classname="acksim" name="run" time="0">',
      '      <error type="interrupted" message="interrupted by Ctrl-C: the report holds only what finished"/>',
      '    </testcase>',
      '  </testsuite>',
    );
  }
  lines.push('<?xml version="1.0" encoding="UTF-8"?>');
  lines.push(
    `<testsuites name="acksim" tests="${tests}" failures="${failures}" errors="${report.interrupted === true ? 1 : 0}" skipped="${skipped}" time="0">`,
  );
  lines.push(...suites, '</testsuites>');
  return `${lines.join('\n')}\n`;
}
