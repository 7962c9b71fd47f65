// The JSON reports of `acksim explore` and `acksim live`: part of the published report schema
// (schema/report.schema.json), told apart from the others by `kind`.
import { Type } from '@sinclair/typebox';
import { FORMAT_VERSION } from './report.js';

const text = (maxLength = 4096) => Type.String({ maxLength });
const count = () => Type.Integer({ minimum: 0 });
const fraction = () => Type.Number({ minimum: 0, maximum: 1 });

/** One fault of a schedule: a decision point (site and its keys) and the outcome chosen there. */
const faultChoice = Type.Object(
  { site: count(), a: Type.Integer(), b: Type.Integer(), c: Type.Integer(), outcome: count() },
  { additionalProperties: false },
);

const guarantee = Type.Object(
  {
    name: text(),
    holds: Type.Boolean(),
    violations: count(),
    counterexample: Type.Optional(
      Type.Object({ faults: Type.Array(faultChoice), events: count() }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

const modeExploration = Type.Object(
  {
    mode: text(256),
    schedules: count(),
    complete: Type.Boolean(),
    coveredFaults: Type.Integer({ minimum: -1 }),
    pruned: count(),
    limit: Type.Optional(Type.Union([Type.Literal('schedules'), Type.Literal('time'), Type.Literal('events')])),
    unfinished: Type.Optional(
      Type.Object(
        { faults: Type.Array(faultChoice), events: count(), endedBy: text(64) },
        { additionalProperties: false },
      ),
    ),
    statesFull: Type.Optional(Type.Boolean()),
    noFaultExplored: Type.Optional(Type.Union([Type.Literal('maxFaults'), Type.Literal('none')])),
    guarantees: Type.Array(guarantee),
  },
  { additionalProperties: false },
);

/** `acksim explore --format json`. */
export const exploreReportSchema = Type.Object(
  {
    formatVersion: Type.Literal(FORMAT_VERSION),
    kind: Type.Literal('explore'),
    scenario: text(256),
    file: text(),
    seed: count(),
    messages: count(),
    maxFaults: count(),
    faultSpace: Type.Union([Type.Literal('all'), Type.Literal('scenario')]),
    modes: Type.Array(modeExploration),
  },
  { additionalProperties: false, description: 'acksim explore: every fault schedule within a bound, per mode' },
);

const interval = () => Type.Object({ lower: fraction(), upper: fraction() }, { additionalProperties: false });
const rateFidelity = Type.Object(
  {
    live: fraction(),
    interval: interval(),
    predicted: fraction(),
    modelSpread: Type.Number({ minimum: 0 }),
    tolerance: interval(),
    inside: Type.Boolean(),
  },
  { additionalProperties: false },
);
const verdict = () => Type.Union([Type.Literal('agree'), Type.Literal('disagree'), Type.Literal('inconclusive')]);

/** `acksim live --format json`. */
export const liveReportSchema = Type.Object(
  {
    formatVersion: Type.Literal(FORMAT_VERSION),
    kind: Type.Literal('live'),
    scenario: text(256),
    broker: text(),
    seed: count(),
    // Absent in live reports written before --confidence (always 0.95 then).
    confidence: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
    verdict: verdict(),
    modes: Type.Array(
      Type.Object(
        {
          mode: text(256),
          produced: count(),
          lossRate: rateFidelity,
          duplicateRate: rateFidelity,
          verdict: verdict(),
          reason: Type.Optional(text()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'acksim live: a real broker beside the model, per mode' },
);
