// What acksim reads back from its own output is checked like any other input: a shard's JSON report
// (`merge`) here, a failure file (`replay`) in failure.ts. A file may be edited, truncated or hostile,
// so types, ranges, known names and sizes are checked before anything is computed from it.
import { Ajv, type ValidateFunction } from 'ajv';
import { Type, type TSchema } from '@sinclair/typebox';
import { PROFILE_NAMES } from '../scenario/profiles.js';
import { schemaProblems } from '../scenario/schema-issues.js';
import { formatPath } from '../scenario/positions.js';
import { DUPLICATE_CAUSE_NAMES, FAULT_NAMES, LATENCY_FIELDS, LOSS_CAUSE_NAMES, METRICS, STATE_ERROR_CAUSES } from './metric-catalog.js';
import { FORMAT_VERSION } from './report.js';

/** The largest count a report may hold (JSON integers are exact up to 2^53). */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;
/** The largest seed `--seed` accepts. */
export const MAX_SEED = 2 ** 31 - 1;
/** The most messages `--messages` accepts. */
export const MAX_MESSAGES = 50_000_000;
/**
 * The longest encoded latency histogram a report may carry: a run's is a few KiB (19 KiB for a
 * million latencies spread over 10 decades), and the bound caps what decoding it may inflate to.
 */
const MAX_HISTOGRAM_CHARS = 1 << 17;

/** A string of bounded length. */
export const text = (maxLength = 4096) => Type.String({ maxLength });
/** A whole count. */
export const count = () => Type.Integer({ minimum: 0, maximum: MAX_COUNT });
const finite = (minimum: number) => Type.Number({ minimum, maximum: 1e15 });

/** A metric's schema: counts are whole, rates fractions (retries may exceed 1), the state error signed. */
function metricSchema(name: string, rate: boolean): TSchema {
  if (name === 'lossRate' || name === 'duplicateRate') return Type.Number({ minimum: 0, maximum: 1 });
  if (rate) return finite(0);
  if (name === 'stateError') return finite(-1e15);
  if (name === 'stateErrorAbs' || name === 'simulatedMs') return finite(0);
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
    latencyHistogram: Type.String({ maxLength: MAX_HISTOGRAM_CHARS, pattern: '^[A-Za-z0-9+/=]*$' }),
    endedBy: Type.Union(['resolved', 'horizon', 'maxEvents', 'maxPending', 'idle'].map((r) => Type.Literal(r))),
    metrics,
    // The JSON report leaves out the zeros of these tables.
    lossByCause: table(LOSS_CAUSE_NAMES, count, false),
    duplicatesByCause: table(DUPLICATE_CAUSE_NAMES, count, false),
    stateErrorByCause: table(STATE_ERROR_CAUSES, () => finite(-1e15), false),
    faultsInjected: table(FAULT_NAMES, count, false),
  },
  { additionalProperties: false },
);

/** What merge computes again from the records: read only for its shape, never trusted. */
const derived = () => Type.Optional(Type.Unknown());

const checkResult = Type.Object(
  {
    expr: text(),
    mode: text(),
    source: Type.Union([Type.Literal('scenario'), Type.Literal('cli')]),
    ...Object.fromEntries(['status', 'ok', 'actual', 'seed', 'reason'].map((k) => [k, derived()])),
  },
  { additionalProperties: false },
);

const modeRuns = Type.Object(
  {
    mode: text(256),
    aggregate: Type.Object(
      {
        configuredFaults: Type.Array(Type.Union(FAULT_NAMES.map((f) => Type.Literal(f))), { maxItems: 64 }),
        ...Object.fromEntries(
          [
            'runs',
            'complete',
            'metrics',
            'lossByCause',
            'duplicatesByCause',
            'stateErrorByCause',
            'faultsInjected',
            'coverage',
            'pooledLatencyMs',
          ].map((k) => [k, derived()]),
        ),
      },
      { additionalProperties: false },
    ),
    checks: Type.Array(checkResult, { maxItems: 10_000 }),
    worstRun: text(),
    runs: Type.Array(runRecord, { maxItems: 1_000_000 }),
    inconclusive: derived(),
  },
  { additionalProperties: false },
);

const scenarioRuns = Type.Object(
  {
    name: text(256),
    file: text(),
    summary: text(),
    profile: Type.Optional(Type.Union(PROFILE_NAMES.map((p) => Type.Literal(p)))),
    seed: Type.Integer({ minimum: 0, maximum: MAX_SEED }),
    runs: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    shard: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}/[0-9]{1,6}$' })),
    batch: Type.String({ pattern: '^[0-9a-f-]{1,64}$' }),
    messages: Type.Integer({ minimum: 0, maximum: MAX_MESSAGES }),
    reproduce: text(),
    results: Type.Array(modeRuns, { minItems: 1, maxItems: 256 }),
  },
  { additionalProperties: false },
);

/** A shard's JSON report: what `acksim merge` accepts. Unknown fields are refused at every level. */
export const shardReportSchema = Type.Object(
  {
    formatVersion: Type.Literal(FORMAT_VERSION),
    ok: Type.Boolean(),
    interrupted: Type.Optional(Type.Boolean()),
    scenarios: Type.Array(scenarioRuns, { maxItems: 10_000 }),
  },
  { additionalProperties: false },
);

const paramValue = Type.Union([Type.Number({ minimum: -1e15, maximum: 1e15 }), text(256), Type.Boolean()]);
const means = () => Type.Record(Type.String({ maxLength: 128 }), Type.Number({ minimum: -1e15, maximum: 1e15 }), { maxProperties: 512 });

/** A sweep shard's JSON report: what `acksim merge` accepts for sweeps. */
export const sweepReportSchema = Type.Object({
  formatVersion: Type.Literal(FORMAT_VERSION),
  kind: Type.Literal('sweep'),
  name: text(256),
  file: text(),
  seed: Type.Integer({ minimum: 0, maximum: MAX_SEED }),
  runs: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  messages: Type.Integer({ minimum: 0, maximum: MAX_MESSAGES }),
  params: Type.Array(Type.Object({ path: text(256), spec: text(), values: Type.Array(paramValue, { maxItems: 10_000 }) }), {
    minItems: 1,
    maxItems: 2,
  }),
  metric: text(256),
  reproduce: text(),
  batch: Type.String({ pattern: '^[0-9a-f-]{1,64}$' }),
  points: Type.Array(
    Type.Object({
      values: Type.Array(paramValue, { maxItems: 2 }),
      results: Type.Array(Type.Object({ mode: text(256), mean: means(), lower: means(), upper: means() }), { maxItems: 256 }),
    }),
    { maxItems: 100_000 },
  ),
  shard: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}/[0-9]{1,6}$' })),
  interrupted: Type.Optional(Type.Boolean()),
});

const validators = new Map<TSchema, ValidateFunction>();

/**
 * Checks a parsed document against one of these schemas; returns the problems, one line each
 * (`scenarios[0].results[1].runs[5].metrics.lost  must be an integer, got null`), at most `limit`.
 */
export function documentProblems(schema: TSchema, value: unknown, limit = 5): string[] {
  let validate = validators.get(schema);
  if (validate === undefined) {
    validate = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
    validators.set(schema, validate);
  }
  if (validate(value)) return [];
  const problems = schemaProblems(validate.errors ?? []).map((p) =>
    p.path.length === 0 ? p.message : `${formatPath(p.path)}  ${p.message}`,
  );
  return problems.slice(0, limit);
}
