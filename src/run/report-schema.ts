// What acksim reads back from its own output is checked like any other input: the schemas of a shard's JSON
// report (`merge`) and of a failure file (`replay`), compiled ahead of time by the build (report-validators.ts).
// A file may be edited, truncated or hostile, so types, ranges, known names and sizes are checked before use.
import { Type, type TSchema } from '@sinclair/typebox';
import { PROFILE_NAMES } from '../scenario/profiles.js';
import {
  AUDIT_DUPLICATE_CAUSES,
  AUDIT_FIELDS,
  AUDIT_LOSS_CAUSES,
  DUPLICATE_CAUSE_NAMES,
  FAULT_NAMES,
  LATENCY_FIELDS,
  LOSS_CAUSE_NAMES,
  METRICS,
  STATE_ERROR_CAUSES,
} from '../scenario/metric-catalog.js';
import { ORDER_CAUSES } from '../model/order-book.js';
import { timeSeriesSchema } from './time-series-schema.js';
import { summarisedPaths } from './aggregate.js';
import { FORMAT_VERSION } from './report.js';
import { exploreReportSchema, liveReportSchema } from './explore-live-schema.js';

const MAX_COUNT = Number.MAX_SAFE_INTEGER; // The largest count a report may hold (JSON integers are exact to 2^53).
export const MAX_SEED = 2 ** 31 - 1; // The largest seed `--seed` accepts.
/** The most messages `--messages` accepts. */
export const MAX_MESSAGES = 50_000_000;
/** The longest encoded latency histogram a report may carry (19 KiB for a million latencies over 10 decades). */
const MAX_HISTOGRAM_CHARS = 1 << 17;

/** A string of bounded length. */
export const text = (maxLength = 4096) => Type.String({ maxLength });
/** A whole count. */
export const count = () => Type.Integer({ minimum: 0, maximum: MAX_COUNT });
const optionalRuns = Type.Optional(count());
const finite = (minimum: number) => Type.Number({ minimum, maximum: 1e15 });

/** A metric's schema: counts are whole, rates fractions (retries may exceed 1), the state error signed. */
function metricSchema(name: string, rate: boolean): TSchema {
  if (name === 'lossRate' || name === 'duplicateRate') return Type.Number({ minimum: 0, maximum: 1 });
  if (rate) return finite(0);
  if (name === 'stateError') return finite(-1e15);
  if (name === 'stateErrorAbs' || name.endsWith('Ms') || name.startsWith('cost')) return finite(0);
  return count();
}

/** An object with exactly these keys, each of this schema. */
function table(names: readonly string[], value: () => TSchema, required = true): TSchema {
  const properties = Object.fromEntries(names.map((name) => [name, required ? value() : Type.Optional(value())]));
  return Type.Object(properties, { additionalProperties: false });
}

const metrics = Type.Object(
  {
    ...Object.fromEntries(METRICS.map((m) => [m.name, metricSchema(m.name, m.rate === true)])),
    latencyMs: table(LATENCY_FIELDS, () => finite(0)),
  },
  { additionalProperties: false },
);

const runRecord = Type.Object(
  {
    seed: Type.Integer({ minimum: 0, maximum: MAX_SEED }),
    fingerprint: Type.String({ pattern: '^[0-9a-f]{1,64}$' }),
    deterministic: Type.Optional(Type.Boolean()),
    divergence: Type.Optional(text()),
    stateCheck: Type.Optional(text(300)),
    latencyHistogram: Type.String({ maxLength: MAX_HISTOGRAM_CHARS, pattern: '^[A-Za-z0-9+/=]*$' }),
    endedBy: Type.Union(['resolved', 'horizon', 'maxEvents', 'maxPending', 'idle'].map((r) => Type.Literal(r))),
    metrics,
    // The JSON report leaves out the zeros of these tables.
    lossByCause: table(LOSS_CAUSE_NAMES, count, false),
    duplicatesByCause: table(DUPLICATE_CAUSE_NAMES, count, false),
    stateErrorByCause: table(STATE_ERROR_CAUSES, () => finite(-1e15), false),
    faultsInjected: table(FAULT_NAMES, count, false),
    orderViolationsByCause: Type.Optional(table(ORDER_CAUSES, count, false)),
  },
  { additionalProperties: false },
);

const checkResult = Type.Object(
  {
    expr: text(),
    mode: text(),
    status: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('inconclusive')]),
    ok: Type.Boolean(),
    actual: Type.Number(),
    source: Type.Union([Type.Literal('scenario'), Type.Literal('cli')]),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_SEED })),
    reason: Type.Optional(text()),
  },
  { additionalProperties: false },
);
const checks = () => Type.Array(checkResult, { maxItems: 10_000 });
const faultName = () => Type.Union(FAULT_NAMES.map((f) => Type.Literal(f)));
const profile = () => Type.Optional(Type.Union(PROFILE_NAMES.map((p) => Type.Literal(p))));
const seed = () => Type.Integer({ minimum: 0, maximum: MAX_SEED });
const messages = () => Type.Integer({ minimum: 0, maximum: MAX_MESSAGES });
const shard = () => Type.Optional(Type.String({ pattern: '^[0-9]{1,6}/[0-9]{1,6}$' }));
const batch = () => Type.String({ pattern: '^[0-9a-f-]{1,64}$' });
const latency = () => table(LATENCY_FIELDS, () => finite(0));

const metricSummary = Type.Object(
  {
    mean: Type.Number(),
    lower: Type.Number(),
    upper: Type.Number(),
    interval: Type.Union([Type.Literal('wilson'), Type.Literal('normal')]),
    min: Type.Number(),
    max: Type.Number(),
    worstSeed: seed(),
  },
  { additionalProperties: false },
);

const aggregate = Type.Object(
  {
    runs: count(),
    complete: count(),
    metrics: table(summarisedPaths(), () => metricSummary),
    lossByCause: table(LOSS_CAUSE_NAMES, count),
    duplicatesByCause: table(DUPLICATE_CAUSE_NAMES, count),
    stateErrorByCause: table(STATE_ERROR_CAUSES, () => finite(-1e15), false),
    faultsInjected: table(FAULT_NAMES, count),
    orderViolationsByCause: Type.Optional(table(ORDER_CAUSES, count)),
    configuredFaults: Type.Array(faultName(), { maxItems: 64 }),
    coverage: table(FAULT_NAMES, count),
    pooledLatencyMs: latency(),
  },
  { additionalProperties: false },
);

const modeRuns = Type.Object(
  {
    mode: text(256),
    aggregate,
    checks: checks(),
    worstRun: text(),
    runs: Type.Array(runRecord, { maxItems: 1_000_000 }),
    inconclusive: Type.Optional(text()),
  },
  { additionalProperties: false },
);

const scenarioRuns = Type.Object(
  {
    name: text(256),
    file: text(),
    summary: text(),
    profile: profile(),
    seed: seed(),
    runs: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    shard: shard(),
    batch: batch(),
    messages: messages(),
    reproduce: text(),
    results: Type.Array(modeRuns, { minItems: 1, maxItems: 256 }),
  },
  { additionalProperties: false },
);

const auditFacts = Type.Object(
  {
    ...Object.fromEntries(
      Object.keys(AUDIT_FIELDS).map((f) => [f, f.endsWith('DedupeWindow') ? Type.Optional(count()) : count()]),
    ),
    confirms: Type.Union([Type.Literal('present'), Type.Literal('absent')]),
    confirmsRule: text(),
    dedupeWindowMs: Type.Optional(finite(0)),
    firstTs: finite(-1e15),
    lastTs: finite(-1e15),
  },
  { additionalProperties: false },
);

const modeResult = (audit: boolean) =>
  Type.Object(
    {
      mode: text(256),
      fingerprint: Type.String({ pattern: audit ? '^$' : '^[0-9a-f]{1,64}$' }),
      endedBy: runRecord.properties.endedBy,
      metrics,
      // An audit puts losses and duplicates down to what a log can show, not to the model's causes.
      lossByCause: table(audit ? AUDIT_LOSS_CAUSES : LOSS_CAUSE_NAMES, count),
      duplicatesByCause: table(audit ? AUDIT_DUPLICATE_CAUSES : DUPLICATE_CAUSE_NAMES, count),
      stateErrorByCause: table(STATE_ERROR_CAUSES, () => finite(-1e15), false),
      faultsInjected: table(FAULT_NAMES, count),
      orderViolationsByCause: Type.Optional(table(ORDER_CAUSES, count)),
      timeSeries: Type.Optional(timeSeriesSchema),
      stateCheck: runRecord.properties.stateCheck,
      checks: checks(),
      // Why the result supports no verdict: an audit with nothing in it, a run that produced no message.
      inconclusive: Type.Optional(text()),
      ...(audit ? { audit: auditFacts } : {}),
    },
    { additionalProperties: false },
  );

const scenarioResult = (audit: boolean) =>
  Type.Object(
    {
      name: text(256),
      file: text(),
      summary: text(),
      profile: profile(),
      seed: seed(),
      messages: messages(),
      reproduce: text(),
      results: Type.Array(modeResult(audit), { minItems: 1, maxItems: 256 }),
    },
    { additionalProperties: false },
  );

const reportOf = <K extends string>(kind: K, scenario: TSchema, description: string) =>
  Type.Object(
    {
      formatVersion: Type.Literal(FORMAT_VERSION),
      kind: Type.Literal(kind),
      ok: Type.Boolean(),
      interrupted: Type.Optional(Type.Boolean()),
      scenarios: Type.Array(scenario, { maxItems: 10_000 }),
    },
    { additionalProperties: false, description },
  );

/** A JSON report of one run per mode: `acksim run` without `--runs`. */
const runReportSchema = reportOf('run', scenarioResult(false), 'acksim run: one run per mode');

/** A JSON report of many runs per mode (`--runs N`, `--shard`, `merge`): what `acksim merge` accepts. */
export const shardReportSchema = reportOf('runs', scenarioRuns, 'acksim run --runs N, --shard, merge: N runs a mode');

/** An audit's JSON report. */
const auditReportSchema = reportOf('audit', scenarioResult(true), "acksim audit: what a real system's log shows");

const paramValue = Type.Union([Type.Number({ minimum: -1e15, maximum: 1e15 }), text(256), Type.Boolean()]);
const means = () =>
  Type.Record(Type.String({ maxLength: 128 }), Type.Number({ minimum: -1e15, maximum: 1e15 }), { maxProperties: 512 });
/** A sweep's cell: `untested` and `unfinished` count its runs that produced no message or stopped early. */
const sweepCell = Type.Object(
  { mode: text(256), mean: means(), lower: means(), upper: means(), untested: optionalRuns, unfinished: optionalRuns },
  { additionalProperties: false },
);

/** A sweep shard's JSON report: what `acksim merge` accepts for sweeps. */
export const sweepReportSchema = Type.Object(
  {
    formatVersion: Type.Literal(FORMAT_VERSION),
    kind: Type.Literal('sweep'),
    name: text(256),
    file: text(),
    seed: seed(),
    runs: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    messages: messages(),
    params: Type.Array(
      Type.Object(
        { path: text(256), spec: text(), values: Type.Array(paramValue, { maxItems: 10_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 2 },
    ),
    metric: text(256),
    reproduce: text(),
    batch: batch(),
    points: Type.Array(
      Type.Object(
        {
          values: Type.Array(paramValue, { maxItems: 2 }),
          results: Type.Array(sweepCell, { maxItems: 256 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100_000 },
    ),
    shard: shard(),
    /** Set when the parameter is one a mode sets itself: the mode's value wins there, and those columns are equal. */
    overridden: Type.Optional(
      Type.Array(
        Type.Object(
          { path: text(256), modes: Type.Array(text(256), { maxItems: 256 }) },
          { additionalProperties: false },
        ),
        {
          maxItems: 2,
        },
      ),
    ),
    interrupted: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, description: 'acksim sweep: a metric over a grid of parameter values' },
);

const transition = Type.Object(
  {
    count: count(),
    example: Type.Optional(Type.Object({ id: count(), cause: text(256) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const meanMetrics = Type.Object(
  { ...Object.fromEntries(METRICS.map((m) => [m.name, Type.Number()])), latencyMs: latency() },
  { additionalProperties: false },
);

/** A comparison's JSON report (`acksim compare --format json`). */
const compareReportSchema = Type.Object(
  {
    formatVersion: Type.Literal(FORMAT_VERSION),
    kind: Type.Literal('compare'),
    name: text(256),
    file: text(),
    summary: text(),
    seed: seed(),
    runs: count(),
    messages: messages(),
    reproduce: text(),
    modes: Type.Array(text(256), { maxItems: 256 }),
    metrics: Type.Record(Type.String({ maxLength: 256 }), meanMetrics),
    pairs: Type.Array(
      Type.Object(
        {
          from: text(256),
          to: text(256),
          lostThenDelivered: transition,
          deliveredThenLost: transition,
          duplicatedThenSingle: transition,
          singleThenDuplicated: transition,
          lostInBoth: count(),
          duplicatedInBoth: count(),
          differences: Type.Record(
            Type.String({ maxLength: 128 }),
            Type.Object(
              { mean: Type.Number(), lower: Type.Number(), upper: Type.Number() },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100_000 },
    ),
    interrupted: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, description: 'acksim compare: how the same messages fared in two or more modes' },
);

/** The schema of each kind of JSON report. */
export const REPORT_SCHEMAS: Readonly<Record<string, TSchema>> = {
  run: runReportSchema,
  runs: shardReportSchema,
  audit: auditReportSchema,
  sweep: sweepReportSchema,
  compare: compareReportSchema,
  explore: exploreReportSchema,
  live: liveReportSchema,
};

/** Every JSON report acksim writes, told apart by `kind`: the published schema/report.schema.json. */
export const reportSchema = Type.Union(Object.values(REPORT_SCHEMAS));

/** The report schema as a JSON Schema document, for schema/report.schema.json and `acksim schema report`. */
export function reportSchemaJson(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/acksim/acksim/schema/report.schema.json',
    title: `acksim JSON report (formatVersion ${FORMAT_VERSION})`,
    description:
      'What acksim run, audit, merge, sweep, compare, explore and live write with --format json; `kind` tells the shapes apart.',
    ...(JSON.parse(JSON.stringify(reportSchema)) as Record<string, unknown>),
  };
}
