// The time series of a mode's run in the JSON report (`--time-series`; model/time-series.ts): its bounds, checked
// like every part of a report acksim reads back.
import { Type } from '@sinclair/typebox';
import { LOSS_CAUSES } from '../model/causes.js';
import { INDICATOR_SERIES, LEVEL_SERIES, MAX_POINTS, RATE_SERIES } from '../model/time-series.js';

const value = () => Type.Number({ minimum: 0, maximum: 1e15 });
const points = () => Type.Array(value(), { maxItems: MAX_POINTS });
const indicator = () => Type.Array(Type.Union([value(), Type.Null()]), { maxItems: MAX_POINTS });
const named = <T>(names: readonly string[], schema: () => T) => names.map((name) => [name, schema()] as const);

/** A run's sampled series: the interval, the points' times, each series' values, and losses by cause. */
export const timeSeriesSchema = Type.Object(
  {
    sampleMs: Type.Number({ exclusiveMinimum: 0, maximum: 1e15 }),
    t: points(),
    series: Type.Object(
      Object.fromEntries([...named([...LEVEL_SERIES, ...RATE_SERIES], points), ...named(INDICATOR_SERIES, indicator)]),
      { additionalProperties: false },
    ),
    lostPerSecByCause: Type.Object(Object.fromEntries(named(LOSS_CAUSES.slice(1), () => Type.Optional(points()))), {
      additionalProperties: false,
    }),
  },
  { additionalProperties: false },
);
