// The check language: `<metric> <op> <number>[%]` or `<metric> <op> <metric>`, optionally prefixed by
// `<mode>:` on the command line. Examples: `lost == 0`, `duplicateRate < 0.1%`, `latencyMs.p99 <= 500`,
// `duplicatesByCause.ackLost == duplicates`.
import { metricPaths } from './metric-catalog.js';

/** Comparison operators of a check. */
export const OPERATORS = ['==', '!=', '<=', '>=', '<', '>'] as const;
/** A comparison operator. */
export type Operator = (typeof OPERATORS)[number];

/** A parsed check. */
export interface Check {
  /** The text as written (trimmed). */
  expr: string;
  metric: string;
  operator: Operator;
  /** The number to compare with, when the right-hand side is a number. */
  value: number;
  /** The metric to compare with, when the right-hand side names one. */
  against?: string;
}

/** Result of parsing a check: the check, or what is wrong with it. */
export type ParsedCheck = { ok: true; check: Check } | { ok: false; message: string };

const PATTERN = /^\s*([A-Za-z][\w.]*)\s*(==|!=|<=|>=|<|>)\s*(?:(-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?)\s*(%?)|([A-Za-z][\w.]*))\s*$/;

let knownPaths: Set<string> | undefined;

/** Parses one check expression. */
export function parseCheck(text: string): ParsedCheck {
  const match = PATTERN.exec(text);
  if (match === null) {
    return {
      ok: false,
      message: `cannot read check "${text}" (allowed: <metric> <op> <number or metric>, op one of ${OPERATORS.join(' ')}, e.g. "duplicateRate < 0.1%")`,
    };
  }
  const [, metric, operator, number, percent, against] = match as unknown as [
    string,
    string,
    Operator,
    string | undefined,
    string,
    string | undefined,
  ];
  knownPaths ??= new Set(metricPaths());
  for (const name of [metric, against]) {
    if (name !== undefined && !knownPaths.has(name)) {
      return { ok: false, message: `unknown metric "${name}" in check "${text.trim()}" (allowed: ${suggest(name)})` };
    }
  }
  const expr = text.trim().replace(/\s+/g, ' ');
  if (against !== undefined) return { ok: true, check: { expr, metric, operator, value: 0, against } };
  const value = Number(number) / (percent === '%' ? 100 : 1);
  return { ok: true, check: { expr, metric, operator, value } };
}

function suggest(metric: string): string {
  const paths = metricPaths();
  const prefix = metric.includes('.') ? metric.slice(0, metric.indexOf('.') + 1) : '';
  const family = prefix === '' ? paths.filter((p) => !p.includes('.')) : paths.filter((p) => p.startsWith(prefix));
  const shown = family.length > 0 ? family : paths.filter((p) => !p.includes('.'));
  const extra = prefix === '' ? ', latencyMs.p50|p95|p99|max, lossByCause.<cause>, duplicatesByCause.<cause>, faultsInjected.<fault>' : '';
  return shown.join(', ') + extra;
}

/** Evaluates a comparison. */
export function compare(actual: number, operator: Operator, expected: number): boolean {
  switch (operator) {
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
  }
}
