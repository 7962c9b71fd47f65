// The check language: `<metric> <op> <number>[%]`, `<metric> <op> <metric>`, or over many runs
// `<aggregate>(<metric>) <op> <number>[%]`; on the command line optionally prefixed by `<mode>:`.
// Examples: `lost == 0`, `duplicateRate < 0.1%`, `latencyMs.p99 <= 500`,
// `duplicatesByCause.ackLost == duplicates`, `max(lossRate) == 0`, `upper(duplicateRate) < 2%`.
// It lives in scenario/, which validates `expect:` with it; run/ and audit/ judge checks with it from here.
import { isRate, metricPaths, metricRange, rateNames, type MetricSource } from './metric-catalog.js';

/** Comparison operators of a check. */
export const OPERATORS = ['==', '!=', '<=', '>=', '<', '>'] as const;
/** A comparison operator. */
export type Operator = (typeof OPERATORS)[number];

/** Aggregates a check may apply over the runs of a `--runs` batch. */
export const AGGREGATES = ['mean', 'min', 'max', 'p50', 'p90', 'p95', 'p99', 'upper', 'lower'] as const;
/** An aggregate over runs. */
export type Aggregate = (typeof AGGREGATES)[number];

/** A parsed check. */
export interface Check {
  /** The text as written (trimmed). */
  expr: string;
  /** Over many runs: the aggregate compared; without one, the check must hold in every run. */
  aggregate?: Aggregate;
  metric: string;
  operator: Operator;
  /** The number to compare with, when the right-hand side is a number. */
  value: number;
  /** The metric to compare with, when the right-hand side names one. */
  against?: string;
}

/** Result of parsing a check: the check, or what is wrong with it. */
export type ParsedCheck = { ok: true; check: Check } | { ok: false; message: string };

const PATTERN =
  /^\s*(?:([a-z]\w*)\(\s*([A-Za-z][\w.]*)\s*\)|([A-Za-z][\w.]*))\s*(==|!=|<=|>=|<|>)\s*(?:(-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?)\s*(%?)|([A-Za-z][\w.]*))\s*$/;

const knownPaths = new Map<MetricSource, Set<string>>();

/** The paths a check may name for a source, computed once. */
function known(source: MetricSource): Set<string> {
  let paths = knownPaths.get(source);
  if (paths === undefined) {
    paths = new Set(metricPaths(source));
    knownPaths.set(source, paths);
  }
  return paths;
}

/** Why a metric another source has cannot be checked here. */
function elsewhere(name: string, source: MetricSource): string | undefined {
  if (!known(source === 'run' ? 'audit' : 'run').has(name)) return undefined;
  return source === 'audit'
    ? `a log does not show "${name}" (an audit would report 0, so the check could never fail)`
    : `"${name}" is measured only by acksim audit, from a real log`;
}

/**
 * Parses one check expression, for what `source` measures (a simulated run by default, or an audit):
 * a metric the source does not measure is refused, since its 0 would make the check pass on nothing.
 */
export function parseCheck(text: string, source: MetricSource = 'run'): ParsedCheck {
  const match = PATTERN.exec(text);
  if (match === null) {
    return {
      ok: false,
      message: `cannot read check "${text}" (allowed: [<aggregate>(]<metric>[)] <op> <number or metric>, op one of ${OPERATORS.join(' ')}, e.g. "duplicateRate < 0.1%" or "max(lossRate) == 0")`,
    };
  }
  const [, aggregate, aggregated, bare, operator, number, percent, against] = match as unknown as [
    string,
    string | undefined,
    string | undefined,
    string | undefined,
    Operator,
    string | undefined,
    string,
    string | undefined,
  ];
  const metric = (aggregated ?? bare)!;
  if (aggregate !== undefined && !(AGGREGATES as readonly string[]).includes(aggregate)) {
    return {
      ok: false,
      message: `unknown aggregate "${aggregate}" in check "${text.trim()}" (allowed: ${AGGREGATES.join(', ')})`,
    };
  }
  if (aggregate !== undefined && against !== undefined) {
    return {
      ok: false,
      message: `check "${text.trim()}" compares an aggregate with a metric (allowed: ${aggregate}(${metric}) <op> <number>)`,
    };
  }
  for (const name of [metric, against]) {
    if (name === undefined || known(source).has(name)) continue;
    const why = elsewhere(name, source);
    if (why !== undefined)
      return { ok: false, message: `check "${text.trim()}": ${why} (allowed: ${suggest(name, source)})` };
    return {
      ok: false,
      message: `unknown metric "${name}" in check "${text.trim()}" (allowed: ${suggest(name, source)})`,
    };
  }
  const expr = text.trim().replace(/\s+/g, ' ');
  const base = aggregate === undefined ? {} : { aggregate: aggregate as Aggregate };
  if (against !== undefined && isRate(metric) !== isRate(against)) {
    return {
      ok: false,
      message: `check "${text.trim()}" compares a rate with a count (allowed: a rate with a rate, e.g. "lossRate <= duplicateRate", or a count with a count)`,
    };
  }
  if (against !== undefined) {
    const known = decidedByOrder(metric, operator, against);
    if (known !== undefined) return { ok: false, message: `check "${expr}" can never ${known}` };
    return { ok: true, check: { expr, ...base, metric, operator, value: 0, against } };
  }
  const value = Number(number) / (percent === '%' ? 100 : 1);
  const problem = thresholdProblem(text.trim(), metric, number!, percent, value);
  if (problem !== undefined) return { ok: false, message: problem };
  const decided = decidedByRange(metric, aggregate !== undefined, operator, value);
  if (decided !== undefined) {
    return {
      ok: false,
      message: `check "${expr}" can never ${decided}: ${metric} is ${metricRange(metric, aggregate !== undefined).words}`,
    };
  }
  return { ok: true, check: { expr, ...base, metric, operator, value } };
}

/** What is wrong with a check's number, if any: not finite, a % on a count, or a rate's bare number of 1 or more. */
function thresholdProblem(
  text: string,
  metric: string,
  number: string,
  percent: string,
  value: number,
): string | undefined {
  if (!Number.isFinite(value)) return `check "${text}": ${number} is not a finite number`;
  // "processed >= 99%" would read as "processed >= 0.99": a percentage is a share, and only rates are shares.
  if (percent === '%' && !isRate(metric))
    return `check "${text}": ${metric} is not a rate, so ${number}% has no meaning here (allowed: a % only on a rate, ${rateNames()}; for a share of messages, e.g. "lossRate <= 1%")`;
  // "duplicateRate < 1" reads as "below 1 %" and means "below 100 %": a rate's bare number must be a fraction.
  if (isRate(metric) && percent !== '%' && Math.abs(value) >= 1)
    return `check "${text}": ${metric} is a fraction, so ${number} means ${Number(number) * 100}% (allowed: a percentage like ${number}%, or a fraction below 1 like 0.01)`;
  return undefined;
}

/** Pairs of metrics whose order holds in every run and every audit by definition: [smaller, larger]. */
const ORDERED: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(lost|processed|unresolved)$/, 'produced'],
  [/^duplicates$/, 'processed'],
  [/^lossByCause\./, 'lost'],
  [/^duplicatesByCause\./, 'duplicates'],
  [/^redeliveries$/, 'deliveries'],
  [/^publishRetries$/, 'publishAttempts'],
];

/** The operator that says the same with its sides swapped: b >= a is a <= b. */
const MIRRORED = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' } as const;

/**
 * Whether a check of one metric against another is decided before any run ("fail": it can never fail; "pass":
 * it can never pass), with why: the same metric on both sides, or a pair whose order holds by definition.
 */
function decidedByOrder(metric: string, operator: Operator, against: string): string | undefined {
  const never = (holds: boolean, why: string) => `${holds ? 'fail' : 'pass'}: ${why}`;
  if (metric === against) return never(compare(0, operator, 0), `both sides are ${metric}`);
  for (const [smaller, larger] of ORDERED) {
    const forward = smaller.test(metric) && against === larger;
    if (!forward && !(smaller.test(against) && metric === larger)) continue;
    // With a <= b always, a <= b always holds and a > b never does; the rest can go either way.
    const [a, b, op] = forward ? [metric, against, operator] : [against, metric, MIRRORED[operator]];
    if (op === '<=') return never(true, `${a} is at most ${b} by definition`);
    if (op === '>') return never(false, `${a} is at most ${b} by definition`);
  }
  return undefined;
}

/**
 * Whether a check's verdict is known before any run: "fail" when it holds for every value the metric
 * can take (it can never fail), "pass" when for none (it can never pass), else undefined.
 */
function decidedByRange(
  metric: string,
  aggregated: boolean,
  operator: Operator,
  value: number,
): 'fail' | 'pass' | undefined {
  const { min, max, integer } = metricRange(metric, aggregated);
  // A whole metric never equals a fractional number.
  const unreachable = value < min || value > max || (integer && !Number.isInteger(value));
  const holdsEverywhere: Record<Operator, boolean> = {
    '<': max < value,
    '<=': max <= value,
    '>': min > value,
    '>=': min >= value,
    '!=': unreachable,
    '==': min === max && min === value,
  };
  const holdsNowhere: Record<Operator, boolean> = {
    '<': min >= value,
    '<=': min > value,
    '>': max <= value,
    '>=': max < value,
    '==': unreachable,
    '!=': min === max && min === value,
  };
  if (holdsEverywhere[operator]) return 'fail';
  if (holdsNowhere[operator]) return 'pass';
  return undefined;
}

function suggest(metric: string, source: MetricSource): string {
  const paths = metricPaths(source);
  const prefix = metric.includes('.') ? metric.slice(0, metric.indexOf('.') + 1) : '';
  const family = prefix === '' ? paths.filter((p) => !p.includes('.')) : paths.filter((p) => p.startsWith(prefix));
  const shown = family.length > 0 ? family : paths.filter((p) => !p.includes('.'));
  const families =
    source === 'run'
      ? 'lossByCause.<cause>, duplicatesByCause.<cause>, faultsInjected.<fault>'
      : 'lossByCause.<cause>, duplicatesByCause.<cause>, audit.<fact>';
  const extra = prefix === '' ? `, latencyMs.p50|p95|p99|max, ${families}` : '';
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
