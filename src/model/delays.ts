// Delayed messages (producer.delayMs): when each message is due, drawn once per message from the seed. Who holds it
// until then (producer.delayHeldBy) decides what a delay does: the broker keeps a stored copy out of line until due
// (queue-broker.ts: SQS DelaySeconds, Service Bus scheduled messages), or the consumer receives it at once and holds
// the delivery unacked until due (held-deliveries.ts: Celery's eta and countdown on the Redis and SQS transports).
import { Site, type ChoiceSource } from '../sim/choice.js';
import { sampler, type Sampler } from '../sim/distribution.js';
import type { SimulationConfig } from './config.js';

/** Each message's delay. */
export class MessageDelays {
  private readonly delay: Sampler;

  constructor(
    config: SimulationConfig,
    private readonly choices: ChoiceSource,
  ) {
    this.delay = sampler(config.producer.delayMs);
  }

  /** How long after it is sent message `m` is due, ms. */
  delayOf(m: number): number {
    return this.delay.constant ? this.delay.mean : this.delay.sample(this.choices, Site.delay, m, 0, 0);
  }
}

/** The delays of a configuration whose messages have one; undefined when every delay is 0. */
export function delaysOf(config: SimulationConfig, choices: ChoiceSource): MessageDelays | undefined {
  const delay = config.producer.delayMs;
  return delay === 0 || (typeof delay === 'object' && delay.dist === 'constant' && delay.value === 0)
    ? undefined
    : new MessageDelays(config, choices);
}
