// What only a real log shows, beside the metrics a simulated run also has, and the rules that read a
// log: how confirms are taken, and when a log has nothing to audit.
import type { AuditFacts } from '../run/audit-facts.js';
import { compare, type Check } from '../scenario/check-expression.js';
import { count } from '../number-text.js';

export type { AuditFacts };

/** How to read a log's confirms: `--confirms present|absent|auto`. */
export type ConfirmsSetting = 'present' | 'absent' | 'auto';
/** The allowed --confirms values. */
export const CONFIRMS_SETTINGS: readonly ConfirmsSetting[] = ['auto', 'present', 'absent'];

/** Counts the confirm rule is decided from. */
export interface ConfirmCounts {
  produced: number;
  /** Produced messages with a confirm. */
  confirmed: number;
  /** Confirm events of ids that were never published (they say nothing about the published ones). */
  strayConfirms: number;
}

/**
 * The confirm rule for a log. `auto` takes confirms as recorded only when at least half of the published
 * messages have one. A log that records confirms has one for nearly every publish (a confirm is the
 * broker's normal answer), while a few confirms among many publishes say the log does not record them
 * all, and reading them as recorded would turn every other unconfirmed publish from lost into
 * indeterminate: a false pass. Below half, an unconfirmed publish without effect is lost, which can
 * only fail a check that `--confirms present` would pass, never the other way round. Confirms of ids
 * never published do not count.
 */
export function confirmRule(
  setting: ConfirmsSetting,
  counts: ConfirmCounts,
): { confirms: 'present' | 'absent'; confirmsRule: string } {
  if (setting !== 'auto') return { confirms: setting, confirmsRule: `--confirms ${setting}` };
  const stray =
    counts.strayConfirms > 0 ? `; ${count(counts.strayConfirms)} confirm(s) of ids never published ignored` : '';
  if (counts.confirmed === 0)
    return { confirms: 'absent', confirmsRule: `auto: no published message has a confirm${stray}` };
  const some = `${count(counts.confirmed)} of ${count(counts.produced)} published messages have a confirm`;
  if (counts.confirmed * 2 >= counts.produced) {
    return { confirms: 'present', confirmsRule: `auto: ${some}, at least half${stray}` };
  }
  return {
    confirms: 'absent',
    confirmsRule: `auto: only ${some}, fewer than half${stray}; --confirms present if the log records every confirm`,
  };
}

/** What the confirm rule means, in words (for the report). */
export function confirmMeaning(confirms: 'present' | 'absent'): string {
  return confirms === 'present'
    ? 'an unconfirmed publish never delivered and without effect is indeterminate, not lost'
    : 'every publish without effect is lost unless dead-lettered';
}

/** Why a log proves nothing (no message was published), or undefined when it has something to audit. */
export function nothingToAudit(produced: number, facts: AuditFacts): string | undefined {
  if (produced > 0) return undefined;
  const events = facts.lines - facts.badLines;
  if (facts.lines === 0) return 'nothing to audit: the log has no events';
  if (events === 0) return 'nothing to audit: no line of the log is an event';
  if (facts.failedPublishes > 0) return 'nothing to audit: every publish in the log failed';
  return `nothing to audit: no publish in the log (${count(events)} line(s) of events of ids never published, or of traces without messaging spans)`;
}

/**
 * Why outOfOrder proves nothing here, if so: no key at all, no key with two processed messages to compare, or
 * published messages without a key (whose order the log does not say).
 */
function orderDoubt(facts: AuditFacts): string | undefined {
  if (facts.keyed === 0)
    return "no event of the log carries a key (the key field, or a span's messaging.kafka.message.key): outOfOrder measured nothing";
  if (facts.orderCompared === 0) return 'no key has two processed messages: outOfOrder compared nothing';
  if (facts.unkeyed > 0)
    return `${count(facts.unkeyed)} of ${count(facts.keyed + facts.unkeyed)} published messages carry no key: their order is unknown`;
  return undefined;
}

/** The facts a check on offsets names, and what each needs: events with offsets, or reads compared. */
const OFFSET_CHECKS: Record<string, 'offsetEvents' | 'offsetPairs' | 'offsetWrites'> = {
  'audit.nonmonotonic': 'offsetPairs',
  'audit.skipped': 'offsetPairs',
  'audit.loggedTwice': 'offsetEvents',
  'audit.offsetConflicts': 'offsetEvents',
  'audit.lostWrites': 'offsetWrites',
  'audit.unseen': 'offsetWrites',
};

/** Why a check on offsets proves nothing here, if so: no event carries an offset, or no read has one and a consumer. */
function offsetDoubtOf(metrics: readonly string[], facts: AuditFacts): string | undefined {
  for (const metric of metrics) {
    const needs = OFFSET_CHECKS[metric];
    if (needs === 'offsetEvents' && facts.offsetEvents === 0)
      return `no event of the log carries an offset (the offset field, or a span's messaging.kafka.offset): ${metric} measured nothing`;
    if (needs === 'offsetPairs' && facts.offsetPairs === 0)
      return `no consumer read one partition twice with offsets (the offset and consumer fields): ${metric} compared nothing`;
    if (needs === 'offsetWrites' && (facts.offsetWrites === 0 || facts.offsetReads === 0))
      return facts.offsetWrites === 0
        ? `no confirmed message has the offset it was written at (an offset on its publish or confirm): ${metric} measured nothing`
        : `no delivery carries an offset: ${metric} measured nothing`;
  }
  return undefined;
}

/**
 * Why a check that passes on this audit proves nothing, if so: a log with nothing to audit, or a
 * latency check when clock skew left messages out of latencyMs (the skew shifts the others too).
 */
export function doubtOf(metrics: readonly string[], produced: number, facts: AuditFacts): string | undefined {
  const empty = nothingToAudit(produced, facts);
  if (empty !== undefined) return empty;
  if (metrics.includes('outOfOrder')) {
    const doubt = orderDoubt(facts);
    if (doubt !== undefined) return doubt;
  }
  const offsetDoubt = offsetDoubtOf(metrics, facts);
  if (offsetDoubt !== undefined) return offsetDoubt;
  if (facts.effectBeforePublish > 0 && metrics.some((metric) => metric.startsWith('latencyMs.'))) {
    return `${count(facts.effectBeforePublish)} message(s) with an effect timed before their publish (clock skew) are left out of latencyMs`;
  }
  return undefined;
}

/** The loss metrics an indeterminate message could move: each could be lost (neverDelivered) or not. */
const LOSS_METRICS = /^(lost|lossRate|lossByCause\..+)$/;

/**
 * Why a check's verdict is not settled by this log, if so: each indeterminate message could still be
 * lost or not, so `lost` lies anywhere in [lost, lost + indeterminate] (lossRate likewise), and a
 * check of lost or lossRate against a number is settled only when every value of that range gives it
 * the same verdict (pass or fail); any other check naming a loss metric (a cause, or a metric on the
 * right) is not settled while a message is indeterminate. Duplicates and the other metrics do not
 * depend on them (an indeterminate message has no effect).
 */
export function indeterminateDoubt(
  check: Check,
  lost: number,
  produced: number,
  facts: AuditFacts,
): string | undefined {
  const open = facts.indeterminate;
  if (open === 0 || ![check.metric, check.against ?? ''].some((m) => LOSS_METRICS.test(m))) return undefined;
  const reason = `${count(open)} message(s) indeterminate (published, never confirmed nor delivered) could each be lost or not`;
  if (check.against !== undefined || (check.metric !== 'lost' && check.metric !== 'lossRate')) return reason;
  // The metric with n messages lost, computed as the report computes it.
  const at = (n: number) => (check.metric === 'lossRate' ? n / produced : n);
  let settled: boolean;
  if (check.operator === '==' || check.operator === '!=') {
    // Equality can flip only if some number of them lost reaches the value exactly.
    const k = Math.round(check.metric === 'lossRate' ? check.value * produced : check.value) - lost;
    settled = !(k >= 0 && k <= open && at(lost + k) === check.value);
  } else {
    settled = compare(at(lost), check.operator, check.value) === compare(at(lost + open), check.operator, check.value);
  }
  return settled ? undefined : reason;
}
