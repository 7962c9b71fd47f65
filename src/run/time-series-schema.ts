// The time series of a mode's run in the JSON report (`--time-series`; model/time-series.ts): its bounds, checked
// like every part of a report acksim reads back.
import { Type } from '@sinclair/typebox';
import { LEVEL_SERIES, MAX_POINTS, RATE_SERIES } from '../model/time-series.js';

const value = () => Type.Number({ minimum: 0, maximum: 1e15 });
const points = () => Type.Array(value(), { maxItems: MAX_POINTS });

/** A run's sampled series: the interval, the points' times, and each series' values. */
export const timeSeriesSchema = Type.Object(
  {
    sampleMs: Type.Number({ exclusiveMinimum: 0, maximum: 1e15 }),
    t: points(),
    series: Type.Object(Object.fromEntries([...LEVEL_SERIES, ...RATE_SERIES].map((name) => [name, points()])), {
      additionalProperties: false,
    }),
  },
  { additionalProperties: false },
);
