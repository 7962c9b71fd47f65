// A live run of a scenario: each mode against the real broker, tallied as `acksim audit` would, beside
// the simulator's prediction, and judged; the command around it only parses flags and prints.
import { DEFAULT_FIELDS, toEvent, type AuditEvent } from '../audit/event.js';
import { AuditTally } from '../audit/tally.js';
import { UsageError } from '../errors.js';
import type { SimulationConfig } from '../model/config.js';
import { measure } from '../run/metrics.js';
import { runConfig, seededSimulation } from '../run/prepare.js';
import { CONFIDENCE } from '../run/stats.js';
import type { Scenario } from '../scenario/types.js';
import { redactUrls, type BrokerAddress } from './broker-url.js';
import type { LiveResult } from './clients.js';
import { batchOf, fidelityOf, LIVE_BATCHES, unsupportedLive, type FidelityRow } from './fidelity.js';
import { timeKeepingProblem, timingSensitivity } from './time-keeping.js';
import { overallVerdict, unjudgeable, verdictOf, type Judged, type Verdict } from './verdict.js';

/** One mode's comparison and its verdict. */
export type JudgedRow = FidelityRow & Judged;

/** How a live run is driven. */
export interface LiveOptions {
  address: BrokerAddress;
  /** Modes to run; every mode of the scenario when absent. */
  modes?: readonly string[] | undefined;
  seed?: number | undefined;
  messages?: number | undefined;
  timeScale: number;
  timeoutS: number;
  /** Confidence of every row's intervals (0.95 unless asked). */
  confidence?: number | undefined;
  /** Receives every warning line (a producer that fell behind its schedule). */
  warn: (line: string) => void;
  /** Receives every event line of the live run, its mode first. */
  log: (line: string) => void;
  /** Tells each mode's run apart from another process's (the process id). */
  runTag: number;
}

/** What a live run found. */
export interface LiveRun {
  scenario: string;
  broker: string;
  seed: number;
  /** The confidence of every interval of the rows. */
  confidence: number;
  verdict: Verdict;
  modes: JudgedRow[];
}

/** The problems that keep a scenario's selected modes from running against this kind of broker. */
export function liveProblems(scenario: Scenario, options: Pick<LiveOptions, 'address' | 'modes'>): string[] {
  const problems = selectedModes(scenario, options.modes).flatMap((m) =>
    unsupportedLive(runConfig(m.config, m.mode), options.address.kind).map(
      (p) => `${scenario.file}  ${m.mode.name}: ${p}`,
    ),
  );
  return [...new Set(problems)];
}

function selectedModes(scenario: Scenario, modes: readonly string[] | undefined): Scenario['modes'] {
  return scenario.modes.filter((m) => modes === undefined || modes.includes(m.mode.name));
}

/** Runs each selected mode against the broker, one after the other, and judges them together. */
export async function runLive(scenario: Scenario, options: LiveOptions): Promise<LiveRun> {
  const seed = options.seed ?? scenario.seed;
  const rows: JudgedRow[] = [];
  for (const { mode, config } of selectedModes(scenario, options.modes)) {
    const run = { config: runConfig(config, mode, options), seed, scenario: scenario.name };
    const log = (line: string) => options.log(line.replace('{', `{"mode":${JSON.stringify(mode.name)},`));
    rows.push(await liveMode(run, options, log));
  }
  const verdict = overallVerdict(rows.map((r) => r.verdict));
  const confidence = options.confidence ?? CONFIDENCE;
  return { scenario: scenario.name, broker: options.address.shown, seed, confidence, verdict, modes: rows };
}

/**
 * Runs one mode against the broker, writes each event to `log` as well, and judges the comparison;
 * throws where the clients could not keep the scenario's time.
 */
async function liveMode(
  { config, seed, scenario }: { config: SimulationConfig; seed: number; scenario: string },
  options: LiveOptions,
  log: (line: string) => void,
): Promise<JudgedRow> {
  const { address, timeScale, timeoutS } = options;
  const mode = config.mode.name;
  const tally = new AuditTally();
  // Tallied again by batch of ids, for an interval that allows for clustered outcomes.
  const batches = Array.from(
    { length: config.messages >= LIVE_BATCHES * 10 ? LIVE_BATCHES : 0 },
    () => new AuditTally(),
  );
  let result: LiveResult;
  // Only the broker's own client loads (amqplib, ioredis or the NATS client), and only when a live run starts.
  const run =
    address.kind === 'rabbitmq'
      ? (await import('./rabbitmq-harness.js')).runRabbit
      : address.kind === 'nats'
        ? (await import('./nats-harness.js')).runNats
        : (await import('./redis-harness.js')).runRedis;
  try {
    result = await run(config, {
      address,
      seed,
      timeScale: timeScale,
      runId: `${scenario}-${mode}-${seed}-${options.runTag}`,
      limitMs: timeoutS * 1000,
      write: (line) => {
        log(line);
        const event: AuditEvent | string = toEvent(JSON.parse(line), DEFAULT_FIELDS);
        if (typeof event === 'string') throw new Error(`the live harness wrote a bad event (${event}): ${line}`);
        tally.add(event);
        batches[batchOf(Number(event.id), config.messages)]?.add(event);
      },
    });
  } catch (error) {
    throw new UsageError(`--broker ${address.shown}: ${redactUrls((error as Error).message)}`);
  }
  // A producer that cannot keep the schedule bends the scenario's clock: the comparison means less.
  const lagLimitMs = Math.max(2000, 0.05 * ((config.messages * 1000) / config.producer.ratePerSec));
  if (result.producerLagMs > lagLimitMs)
    options.warn(
      `acksim: ${mode}: the producer fell ${Math.round(result.producerLagMs)} ms of the scenario behind its schedule; a larger --time-scale (now ${timeScale}) keeps the clients on time\n`,
    );
  const measured = tally.measure();
  const byBatch = batches.map((b) => b.measure());
  const prediction = measure(seededSimulation(config, seed).run());
  // A run that tested nothing or was cut short is compared with nothing, and its time-keeping is not checked.
  const cut = unjudgeable({ produced: measured.metrics.produced, timedOut: result.timedOut, timeoutS: timeoutS });
  if (cut !== undefined)
    return {
      ...fidelityOf(mode, measured, byBatch, prediction, undefined, options.confidence),
      verdict: 'inconclusive',
      reason: cut,
    };
  // How the model answers to the clients' late timers, round trips and reconnects: a comparison they
  // could decide is refused; the scatter timing alone causes is allowed for in the verdict.
  const costs = { processingMs: result.overheadMs, restartMs: result.restartOverheadMs };
  const sensitivity = timingSensitivity(config, seed, costs);
  const row = fidelityOf(mode, measured, byBatch, prediction, sensitivity.spread, options.confidence);
  const late = timeKeepingProblem(row, sensitivity, costs, timeScale);
  if (late !== undefined) throw new UsageError(late);
  return { ...row, ...verdictOf(row) };
}
