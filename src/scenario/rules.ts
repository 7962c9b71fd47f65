// Rules the schema cannot say: relations between fields, references to other fields, and the check
// expressions of `expect:`.
import type { ScenarioConfig } from './types.js';
import type { Duration } from '../sim/distribution.js';
import { parseCheck } from './check-expression.js';
import { ALL_MODES, PRESET_MODES } from './modes.js';
import type { FieldPath, RuleProblem } from './positions.js';
import { hasControlCharacters } from '../safe-text.js';

export type { RuleProblem } from './positions.js';

function durationProblems(duration: Duration, path: FieldPath): RuleProblem[] {
  if (typeof duration === 'object' && duration.dist === 'uniform' && duration.min > duration.max) {
    return [
      {
        path: [...path, 'min'],
        message: `min (${duration.min}) is greater than max (${duration.max}) (allowed: min <= max)`,
      },
    ];
  }
  return [];
}

/** Delayed messages are a queue's (a log has no delivery to hold back). */
function delayProblems(config: ScenarioConfig, prefix: FieldPath): RuleProblem[] {
  if (config.broker.kind !== 'log' || config.producer.delayMs === 0) return [];
  const path = [...prefix, 'producer', 'delayMs'];
  return [{ path, message: 'a log broker has no delayed messages (allowed: 0 with broker.kind: log)' }];
}

/** Message groups are a queue's, over the messages' keys, handed out as they come (pushed). */
function groupProblems(config: ScenarioConfig, prefix: FieldPath): RuleProblem[] {
  if (!config.broker.messageGroups) return [];
  const path = [...prefix, 'broker', 'messageGroups'];
  const need =
    config.broker.kind === 'log'
      ? 'a queue broker (a log keeps order per partition: give producer.keys instead)'
      : config.producer.keys.count === 0
        ? "producer.keys.count > 0 (a message's key is its group)"
        : config.broker.delivery === 'pull'
          ? 'broker.delivery: push'
          : undefined;
  return need === undefined ? [] : [{ path, message: `message groups need ${need} (allowed: false)` }];
}

/** A lease extension needs a lease that can be extended: a queue broker's, timed per delivery. */
function leaseProblems(config: ScenarioConfig, prefix: FieldPath): RuleProblem[] {
  if (config.consumers.leaseExtension.intervalMs === 0) return [];
  const path = [...prefix, 'consumers', 'leaseExtension', 'intervalMs'];
  if (config.broker.kind === 'log')
    return [{ path, message: 'a log broker has no lease to extend (allowed: 0 with broker.kind: log)' }];
  if (config.broker.visibilityTimeoutScope === 'channel')
    return [
      {
        path,
        message:
          "RabbitMQ's consumer_timeout cannot be extended (allowed: 0 with broker.visibilityTimeoutScope: channel)",
      },
    ];
  return [];
}

/**
 * Checks one configuration (the scenario's, or a custom mode's after its overrides). `prefix` is where
 * the overriding fields live in the file, so a problem points at what the user wrote.
 */
export function configProblems(config: ScenarioConfig, prefix: FieldPath = []): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const { retry } = config.producer;
  if (retry.maxMs < retry.baseMs) {
    problems.push({
      path: [...prefix, 'producer', 'retry', 'maxMs'],
      message: `maxMs (${retry.maxMs}) is less than baseMs (${retry.baseMs}) (allowed: maxMs >= baseMs)`,
    });
  }
  const backoff = config.broker.redeliveryBackoff;
  if (backoff.maxMs < backoff.minMs) {
    problems.push({
      path: [...prefix, 'broker', 'redeliveryBackoff', 'maxMs'],
      message: `maxMs (${backoff.maxMs}) is less than minMs (${backoff.minMs}) (allowed: maxMs >= minMs)`,
    });
  }
  for (const link of ['publish', 'confirm', 'deliver', 'ack'] as const) {
    problems.push(...durationProblems(config.network[link].latencyMs, [...prefix, 'network', link, 'latencyMs']));
  }
  problems.push(...durationProblems(config.consumers.processingMs, [...prefix, 'consumers', 'processingMs']));
  if (config.consumers.failure.probability > 0 && config.broker.kind === 'log') {
    problems.push({
      path: [...prefix, 'consumers', 'failure', 'probability'],
      message:
        'a log broker has no nack to redeliver a failed attempt (allowed: 0 with broker.kind: log; a queue broker)',
    });
  }
  problems.push(...leaseProblems(config, prefix), ...groupProblems(config, prefix), ...delayProblems(config, prefix));
  if (config.consumers.transactional && config.broker.kind !== 'log') {
    problems.push({
      path: [...prefix, 'consumers', 'transactional'],
      message: 'transactions need a log broker (allowed: false, or true with broker.kind: log)',
    });
  }
  if (config.consumers.transactional && config.consumers.pollLoop === 'async') {
    problems.push({
      path: [...prefix, 'consumers', 'pollLoop'],
      message:
        "a transaction spans one poll's batch, processed before the next poll (allowed: sync, with consumers.transactional: true)",
    });
  }
  if (config.broker.kind === 'queue' && config.broker.delivery === 'pull') {
    // Both are RabbitMQ's, whose consumers are pushed to; a pulling consumer holds only what it asked for.
    if (config.broker.visibilityTimeoutScope === 'channel')
      problems.push({
        path: [...prefix, 'broker', 'visibilityTimeoutScope'],
        message: 'a channel-wide timeout needs pushed deliveries (allowed: delivery, with broker.delivery: pull)',
      });
    if (config.broker.prefetchCountsUnacked)
      problems.push({
        path: [...prefix, 'broker', 'prefetchCountsUnacked'],
        message:
          'a prefetch of unacked deliveries needs pushed deliveries (allowed: false, with broker.delivery: pull)',
      });
  }
  if (config.broker.kind === 'queue' && config.consumers.concurrency > config.consumers.prefetch) {
    problems.push({
      path: [...prefix, 'consumers', 'concurrency'],
      message: `concurrency (${config.consumers.concurrency}) is greater than prefetch (${config.consumers.prefetch}) (allowed: concurrency <= prefetch)`,
    });
  }
  return problems;
}

/** Checks the scheduled faults against the consumer count. */
export function faultProblems(config: ScenarioConfig): RuleProblem[] {
  const problems: RuleProblem[] = [];
  config.faults.forEach((fault, index) => {
    if (fault.type === 'leader-failover' && config.broker.kind !== 'log') {
      problems.push({
        path: ['faults', index, 'type'],
        message: 'leader-failover needs a log broker (allowed with broker.kind: log)',
      });
    }
    if (fault.type === 'dlq-redrive' && (config.broker.kind === 'log' || !config.broker.deadLetter)) {
      problems.push({
        path: ['faults', index, 'type'],
        message:
          config.broker.kind === 'log'
            ? 'a log broker has no dead-letter queue (allowed with broker.kind: queue)'
            : 'there is no dead-letter queue to redrive (allowed with broker.deadLetter: true)',
      });
    }
    if (fault.type === 'consumer-crash' && fault.consumer >= config.consumers.count) {
      problems.push({
        path: ['faults', index, 'consumer'],
        message: `no consumer ${fault.consumer} (allowed: 0..${config.consumers.count - 1}, from consumers.count)`,
      });
    }
  });
  return problems;
}

/** Checks mode names: unique, and custom names distinct from presets and from "all". */
export function modeNameProblems(modes: ReadonlyArray<string | { name: string }>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const seen = new Set<string>();
  modes.forEach((mode, index) => {
    const name = typeof mode === 'string' ? mode : mode.name;
    const path = typeof mode === 'string' ? ['modes', index] : ['modes', index, 'name'];
    if (typeof mode !== 'string' && (name in PRESET_MODES || name === ALL_MODES)) {
      problems.push({
        path,
        message: `"${name}" is reserved (allowed: a name other than ${Object.keys(PRESET_MODES).join(', ')}, ${ALL_MODES})`,
      });
    } else if (seen.has(name)) {
      problems.push({ path, message: `mode "${name}" is listed twice` });
    }
    seen.add(name);
  });
  return problems;
}

/** Checks `expect:` keys and check expressions. */
export function expectProblems(expect: Record<string, string[]>, modeNames: readonly string[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const [mode, checks] of Object.entries(expect)) {
    if (mode !== ALL_MODES && !modeNames.includes(mode)) {
      problems.push({
        path: ['expect', mode],
        atKey: true,
        message: `unknown mode "${mode}" (allowed: ${[...new Set(modeNames), ALL_MODES].join(', ')})`,
      });
      continue;
    }
    checks.forEach((text, index) => {
      const parsed = parseCheck(text);
      if (!parsed.ok) problems.push({ path: ['expect', mode, index], message: parsed.message });
    });
  }
  return problems;
}

/** The longest text each free-text field may hold. */
const TEXT_LIMITS = { name: 128, summary: 300, description: 20_000 } as const;

/**
 * Free text is printed on terminals and in reports: no control characters (terminal escapes), and
 * bounded. A description may hold newlines and tabs.
 */
export function textProblems(texts: {
  name?: string | undefined;
  summary?: string | undefined;
  description?: string | undefined;
}): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const field of ['name', 'summary', 'description'] as const) {
    const value = texts[field];
    if (value === undefined) continue;
    const checked = field === 'description' ? value.replace(/[\n\t]/g, ' ') : value;
    if (hasControlCharacters(checked)) {
      const allowed = field === 'description' ? 'printable text, newlines and tabs' : 'one line of printable text';
      problems.push({
        path: [field],
        message: `holds a control character such as a terminal escape (allowed: ${allowed})`,
      });
    } else if (value.length > TEXT_LIMITS[field]) {
      problems.push({
        path: [field],
        message: `is ${value.length} characters long (allowed: at most ${TEXT_LIMITS[field]})`,
      });
    }
  }
  return problems;
}
