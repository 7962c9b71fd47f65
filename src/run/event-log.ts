// A simulated run written as a real system's event log (the schema `acksim audit` reads): what the
// producer, broker and sink of the run did, one event per line, in virtual ms. Auditing it gives the
// run's own counts back, which checks the audit against the simulator.
import type { SimulationConfig } from '../model/config.js';
import { type SimulationResult } from '../model/simulation.js';
import type { TraceEvent } from '../model/trace.js';
import { MessageKeys } from '../model/keys.js';
import { SeededChoiceSource } from '../sim/choice.js';
import { finished } from './drive.js';
import { seededSimulation } from './prepare.js';

/** The audit event type a trace event stands for, if any. */
function auditType(event: TraceEvent): string | undefined {
  // The outbox relay's republish after its crash (its first publish of a row is traced as a publish).
  if (event.actor === 'producer' && event.event === 'relay' && event.attempt !== 0) return 'publish';
  switch (`${event.actor} ${event.event}`) {
    case 'producer publish':
    case 'producer retry':
      return 'publish';
    case 'producer confirmed':
      return 'confirm';
    case 'broker deliver':
    case 'broker redeliver':
      return 'deliver';
    case 'sink effect':
      return 'effect';
    case 'broker acked':
      return 'ack';
    case 'broker dead-letter':
      return 'dead-letter';
    default:
      return undefined;
  }
}

/** Runs one simulation and hands each line of its event log (JSON, no newline) to `write`. */
export function writeEventLog(
  config: SimulationConfig,
  seed: number,
  write: (line: string) => void,
): Promise<SimulationResult> {
  // A keyed run's messages carry their keys (drawn from the seed by message, as the run draws them).
  const keys = config.producer.keys.count > 0 ? new MessageKeys(config, new SeededChoiceSource(seed)) : undefined;
  const tracer = (event: TraceEvent): void => {
    const type = auditType(event);
    if (type === undefined || event.message === undefined) return;
    const key = keys === undefined ? '' : `,"key":${keys.keyOf(event.message)}`;
    const extra = `${key}${event.consumer === undefined ? '' : `,"consumer":${event.consumer}`}`;
    write(`{"type":"${type}","id":${event.message},"ts":${Math.round(event.t * 1000) / 1000}${extra}}`);
  };
  return finished(seededSimulation(config, seed, { trace: tracer }));
}
