// What one simulation returns: raw counters and per-message outcomes, which the run layer turns into metrics.
import type { BrokerPricing, SinkConfig } from './config.js';
import type { TimeSeriesData } from './time-series.js';
import type { Counters, FaultCounters, RequestCounts } from './world.js';

/** Why a simulation ended. */
export type EndReason = 'resolved' | 'horizon' | 'maxEvents' | 'maxPending' | 'idle';

/** Raw result of one simulation. */
export interface SimulationResult {
  endedBy: EndReason;
  simulatedMs: number;
  events: number;
  counters: Counters;
  faults: FaultCounters;
  /** Per message id: effects (how many times the side effect ran). */
  effects: Uint16Array;
  /** Per message id: Outcome code. */
  outcome: Uint8Array;
  /** Per message id: loss cause code (lost) or duplicate cause code (duplicated). */
  cause: Uint8Array;
  /** Latency from first send to first effect, one per processed message, in effect order. */
  latencies: Float32Array;
  /** What one effect does to the sink (to measure the state error). */
  sink: SinkConfig;
  /** A `set` sink with shared keys: per key, the message that wrote it last (-1: none). */
  lastWriter?: Int32Array;
  /** With the user's `check`: '' when it held over the final store, else what is wrong. */
  stateCheck?: string;
  /** With producer.keys: messages out of order, by cause (ORDER_CAUSES). */
  orderByCause?: Int32Array;
  /** With config.sampleMs: the run's time series. */
  timeSeries?: TimeSeriesData;
  /** The consumers' deletes and visibility changes, and the broker's prices (the cost metric). */
  requests: RequestCounts;
  pricing: BrokerPricing;
}
