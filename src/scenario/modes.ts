// The delivery modes: three presets, and custom modes built from a preset plus overrides.
import type { ModeKnobs } from '../model/config.js';

/** The knobs of each preset mode. */
export const PRESET_MODES: Readonly<Record<string, ModeKnobs>> = {
  'at-most-once': { ack: 'auto', publishRetry: false, idempotentPublish: false, consumerDedupe: false },
  'at-least-once': { ack: 'after-effect', publishRetry: true, idempotentPublish: false, consumerDedupe: false },
  'exactly-once': { ack: 'after-effect', publishRetry: true, idempotentPublish: true, consumerDedupe: true },
};

/** One-line explanation of each preset, for help and docs. */
export const PRESET_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'at-most-once':
    'the producer sends once and never retries; the broker forgets a message as soon as it delivers it (auto-ack)',
  'at-least-once':
    'the producer retries until confirmed; the consumer acks after the effect; unacked messages are redelivered after the visibility timeout',
  'exactly-once':
    'at-least-once plus idempotent publish (the broker drops a re-published id) and a consumer dedupe store (effectively-once)',
};

/** Name reserved in `expect:` for checks that apply to every mode. */
export const ALL_MODES = 'all';
