// The cost metric (M8): what a run's requests cost at the broker's list prices (broker.pricing). A per-request
// broker (SQS) bills every request, a payload in chunks (64 KB); a per-byte broker (Pub/Sub) bills the bytes
// published and delivered, at least a minimum per request. The model makes one request per publish attempt and per
// delivery (no batching, no empty receives: a lower bound where clients batch poorly, an upper one where they
// batch well), one delete per ack and one visibility change per nack or lease extension.
import type { SimulationResult } from '../model/simulation.js';

const TIB = 2 ** 40;

/** The run's cost in US dollars, and per million messages whose effect ran (0 when none did). */
export function costOf(
  result: Pick<SimulationResult, 'counters' | 'requests' | 'pricing'>,
  processed: number,
): { costUsd: number; costPerMillionDelivered: number } {
  const { counters, requests, pricing } = result;
  const carrying = counters.publishAttempts + counters.deliveries;
  const chunks = Math.ceil(pricing.messageBytes / pricing.requestChunkBytes);
  const billed = carrying * chunks + requests.deletes + requests.visibilityChanges;
  const bytes = carrying * Math.max(pricing.messageBytes, pricing.minBytesPerRequest);
  const usd = (billed * pricing.usdPerMillionRequests) / 1e6 + (bytes / TIB) * pricing.usdPerTiB;
  return {
    costUsd: round(usd),
    costPerMillionDelivered: processed > 0 ? round((usd / processed) * 1e6) : 0,
  };
}

/** To a billionth of a dollar: no float noise in reports. */
function round(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}
