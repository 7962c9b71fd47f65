// A live consumer's lease extensions (consumers.leaseExtension) while it processes a delivery: the n-th every
// intervalMs from the start of processing, up to maxMs, each dropped as the model drops it (the ack link's n-th
// transmission of that delivery: the same keyed choice). The harness says what an extension is (Redis: XCLAIM to
// itself with JUSTID, which resets the entry's idle time: a full visibility timeout from now).
import type { SimulationConfig } from '../model/config.js';
import { Site } from '../sim/choice.js';
import type { LiveClock } from './clock.js';
import type { LiveFaults } from './faults.js';

/** Starts delivery `k` of `m`'s heartbeat; `stop` ends it (processing is over). */
export function leaseHeartbeat(
  config: SimulationConfig,
  faults: LiveFaults,
  clock: LiveClock,
  m: number,
  k: number,
  /** What an extension is (the harness's); and whether the consumer still runs. */
  calls: { extend?: () => unknown; alive?: () => boolean },
): { stop: () => void } {
  const { intervalMs, maxMs } = config.consumers.leaseExtension;
  const extend = calls.extend;
  if (intervalMs === 0 || extend === undefined || config.mode.ack !== 'after-effect') return { stop: () => undefined };
  const loss = config.network.ack.loss;
  let n = 0;
  const timer = setInterval(() => {
    n++;
    if (n * intervalMs > maxMs || calls.alive?.() === false) return clearInterval(timer);
    if (faults.chance(Site.ackFate, m, k, loss, 2 * n) || faults.cut('ack')) return;
    // A failed extension (the connection closing) is a lost one: the lease runs out, as in the model.
    Promise.resolve(extend()).catch(() => undefined);
  }, clock.real(intervalMs));
  // The timer must not keep a finished run's process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
