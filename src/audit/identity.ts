// What each message of a log came to, counted: by id (a repeated publish of an id is a retry of one message), or
// by value as Jepsen's total-queue counts multisets (every publish of a value is a message of its own; issue 19 §2).
import { CONFIRMED, DEAD_LETTERED, type Columns } from './columns.js';
import { noOutcomes, type Outcomes } from './outcomes.js';

/** What a log says a message is: never published, a publish that failed, or produced. */
export const Kind = { Unexpected: 0, Failed: 1, Produced: 2 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** The outcomes by id, with the latencies of the processed messages. */
export function idOutcomes(
  r: Columns,
  kinds: Uint8Array,
  attempts: Uint32Array,
  confirmsPresent: boolean,
): { outcomes: Outcomes; latencies: Float64Array } {
  const o = noOutcomes();
  const latencies = new Float64Array(r.size);
  let timed = 0;
  for (let i = 0; i < r.size; i++) {
    const effects = r.effects[i]!;
    if (kinds[i] === Kind.Unexpected) {
      o.unexpected++;
      if (effects > 0) o.unexpectedProcessed++;
      continue;
    }
    if (kinds[i] === Kind.Failed) {
      o.failed++;
      if (effects > 0) o.failedButProcessed++;
      continue;
    }
    const publishes = attempts[i]!;
    const deliveries = r.deliveries[i]!;
    const confirmed = (r.flags[i]! & CONFIRMED) !== 0;
    o.produced++;
    o.attempts += publishes;
    o.repeatedPublishes += r.publishes[i]! - publishes;
    o.deliveries += deliveries;
    if (deliveries > 1) o.redeliveries += deliveries - 1;
    // In the dead-letter queue, whether or not its effect ran (then it is processed too).
    const deadLettered = (r.flags[i]! & DEAD_LETTERED) !== 0;
    if (deadLettered) o.deadLettered++;
    if (effects > 0) {
      o.processed++;
      if (deadLettered) o.deadLetteredProcessed++;
      // An effect before its publish is clock skew between hosts (or a reused id): no latency to report.
      const latency = r.firstEffectTs[i]! - r.firstPublishTs[i]!;
      if (latency < 0) o.effectBeforePublish++;
      else latencies[timed++] = latency;
      if (confirmsPresent && !confirmed) o.recovered++;
      if (effects > 1) {
        o.duplicates++;
        o.duplicateEffects += effects - 1;
        // More deliveries than stored copies could explain: a copy was delivered again.
        if (deliveries > publishes) o.dup.redelivered++;
        else if (publishes > 1) o.dup.republished++;
        else o.dup.sameDelivery++;
      }
    } else if (deadLettered) {
      // Counted above: neither lost nor indeterminate.
    } else if (confirmsPresent && !confirmed && deliveries === 0) {
      // Never confirmed and never delivered: the producer cannot know whether the broker has it.
      o.indeterminate++;
    } else {
      o.lost++;
      if (deliveries === 0) o.loss.neverDelivered++;
      else o.loss.deliveredNotProcessed++;
    }
  }
  return { outcomes: o, latencies: latencies.subarray(0, timed) };
}

/**
 * The outcomes by value: a value published n times (n attempts, less its known failures) is n messages, and its
 * effects and confirms count against them as a multiset's do (Jepsen's total-queue). Of its effects, as many as it
 * has messages are processed, the rest duplicate effects (a value with any is one duplicate, as by id); its confirmed
 * messages without an effect are lost; with confirms
 * present its unconfirmed ones are recovered where an effect is left for them, else indeterminate.
 */
export function valueOutcomes(
  r: Columns,
  kinds: Uint8Array,
  attempts: Uint32Array,
  confirmsPresent: boolean,
): { outcomes: Outcomes; latencies: Float64Array } {
  const o = noOutcomes();
  const latencies = new Float64Array(r.size);
  let timed = 0;
  for (let i = 0; i < r.size; i++) {
    const effects = r.effects[i]!;
    const tried = attempts[i]!;
    if (kinds[i] === Kind.Unexpected) {
      // Dequeued, never attempted: every one of them (Jepsen's unexpected).
      o.unexpected += effects > 0 ? effects : 1;
      o.unexpectedProcessed += effects;
      continue;
    }
    if (kinds[i] === Kind.Failed) {
      o.failed += Math.max(1, r.failedPublishes[i]!);
      o.failedButProcessed += effects;
      continue;
    }
    const messages = Math.max(1, tried - Math.min(r.failedPublishes[i]!, tried - 1));
    const processed = Math.min(effects, messages);
    const extra = effects - processed;
    const deliveries = r.deliveries[i]!;
    o.produced += messages;
    o.attempts += tried;
    o.repeatedPublishes += r.publishes[i]! - tried;
    o.deliveries += deliveries;
    o.redeliveries += Math.max(0, deliveries - messages);
    o.processed += processed;
    if (processed > 0) {
      const latency = r.firstEffectTs[i]! - r.firstPublishTs[i]!;
      if (latency < 0) o.effectBeforePublish++;
      else latencies[timed++] = latency;
    }
    if (extra > 0) {
      // A value processed more often than it was published: one duplicated value, `extra` effects too many.
      o.duplicates++;
      o.duplicateEffects += extra;
      if (deliveries > messages) o.dup.redelivered++;
      else o.dup.sameDelivery++;
    }
    // Each dead-letter line takes one message of the value to the dead-letter queue: an unprocessed one first.
    const deadLetters = Math.min(r.deadLetters[i]!, messages);
    const unprocessed = messages - processed;
    o.deadLettered += deadLetters;
    o.deadLetteredProcessed += Math.max(0, deadLetters - unprocessed);
    const left = unprocessed - Math.min(deadLetters, unprocessed);
    unprocessedOf(o, {
      messages: left + processed,
      processed,
      deliveries,
      confirms: r.confirms[i]!,
      confirmsPresent,
    });
  }
  return { outcomes: o, latencies: latencies.subarray(0, timed) };
}

/**
 * A value's messages without an effect: lost, or (confirms present, unconfirmed, never delivered) indeterminate.
 * Effects go to confirmed messages first; those left over went to unconfirmed ones (recovered).
 */
function unprocessedOf(
  o: Outcomes,
  v: { messages: number; processed: number; deliveries: number; confirms: number; confirmsPresent: boolean },
): void {
  const confirmed = Math.min(v.confirms, v.messages);
  const recovered = v.confirmsPresent ? Math.max(0, v.processed - confirmed) : 0;
  const unconfirmedLeft = v.confirmsPresent ? v.messages - confirmed - recovered : 0;
  const lost = v.confirmsPresent ? Math.max(0, confirmed - v.processed) : v.messages - v.processed;
  o.recovered += recovered;
  // An unconfirmed message never delivered cannot be known lost; one delivered and not processed is lost.
  const undelivered = Math.max(0, v.messages - v.deliveries);
  const indeterminate = Math.min(unconfirmedLeft, undelivered);
  o.indeterminate += indeterminate;
  const lostAll = lost + (unconfirmedLeft - indeterminate);
  o.lost += lostAll;
  const neverDelivered = Math.min(lostAll, Math.max(0, undelivered - indeterminate));
  o.loss.neverDelivered += neverDelivered;
  o.loss.deliveredNotProcessed += lostAll - neverDelivered;
}
