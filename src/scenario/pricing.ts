// List prices of the brokers that publish them per request or per byte (the cost metric, M8), as profile
// settings with their sources: a profile that has prices sets broker.pricing. Prices are US dollars in the
// cheapest tier after the free tier, in us-east-1 (SQS) and every region (Pub/Sub), read on 2026-12-02.
import type { BrokerPricing } from '../model/config.js';
import { parseCheck } from './check-expression.js';
import { ALL_MODES } from './modes.js';

const SQS_PRICING = 'https://aws.amazon.com/sqs/pricing/';
const PUBSUB_PRICING = 'https://cloud.google.com/pubsub/pricing';

/** Each priced profile's prices: the fields of broker.pricing it sets, each with the published knob and its source. */
const PRICES: Readonly<Record<string, { field: keyof BrokerPricing; value: number; knob: string; source: string }[]>> =
  {
    'sqs-standard': [
      {
        field: 'usdPerMillionRequests',
        value: 0.4,
        knob: 'standard queue requests = 0.4 USD per million (first 100 billion a month, after 1 million free); 64 KB of a payload is one request',
        source: SQS_PRICING,
      },
    ],
    'sqs-fifo': [
      {
        field: 'usdPerMillionRequests',
        value: 0.5,
        knob: 'FIFO queue requests = 0.5 USD per million (after 1 million free); 64 KB of a payload is one request',
        source: SQS_PRICING,
      },
    ],
    pubsub: [
      {
        field: 'usdPerTiB',
        value: 40,
        knob: 'throughput = 40 USD per TiB published and delivered (after 10 GiB free)',
        source: PUBSUB_PRICING,
      },
      {
        field: 'minBytesPerRequest',
        value: 1000,
        knob: 'billed per publish, pull or push request at least = 1,000 bytes',
        source: PUBSUB_PRICING,
      },
    ],
  };

/** The profiles, each with its prices added where the broker publishes them. */
export function withPricing<T extends { name: string; settings: readonly object[] }>(profiles: readonly T[]): T[] {
  return profiles.map((profile) => {
    const prices = PRICES[profile.name] ?? [];
    const settings = prices.map(({ field, ...rest }) => ({ path: `broker.pricing.${field}`, ...rest }));
    return settings.length === 0 ? profile : { ...profile, settings: [...profile.settings, ...settings] };
  });
}

/** True when the pricing charges anything: a cost metric of a run priced at 0 would pass any bound on nothing. */
export function isPriced(pricing: BrokerPricing): boolean {
  return pricing.usdPerMillionRequests > 0 || pricing.usdPerTiB > 0;
}

/** The metrics that read the prices. */
export const COST_METRICS = ['costUsd', 'costPerMillionDelivered'] as const;

/** Why a check on a cost metric cannot be judged in a mode that sets no price; undefined when it can. */
export function unpricedCheck(metrics: readonly string[], mode: string, pricing: BrokerPricing): string | undefined {
  const cost = metrics.find((m) => (COST_METRICS as readonly string[]).includes(m));
  if (cost === undefined || isPriced(pricing)) return undefined;
  return `${cost} needs prices, and mode ${mode} sets none (allowed: broker.pricing, or a profile with prices: ${Object.keys(PRICES).join(', ')})`;
}

/** The problems of `expect:` checks on a cost metric in modes that set no price (path: expect.<mode>.<index>). */
export function unpricedExpectations(
  expect: Record<string, string[]>,
  modes: ReadonlyArray<{ mode: { name: string }; config: { broker: { pricing: BrokerPricing } } }>,
): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  for (const [mode, texts] of Object.entries(expect)) {
    texts.forEach((text, index) => {
      const parsed = parseCheck(text);
      if (!parsed.ok) return;
      const metrics = [parsed.check.metric, parsed.check.against ?? ''];
      for (const m of modes.filter((m) => mode === ALL_MODES || m.mode.name === mode)) {
        const why = unpricedCheck(metrics, m.mode.name, m.config.broker.pricing);
        if (why !== undefined) problems.push({ path: ['expect', mode, index], message: why });
      }
    });
  }
  return problems;
}
