// `acksim live`: the scenario against a real broker, audited, beside the simulator's prediction.
import { Command, Option } from 'commander';
import { Chalk } from 'chalk';
import { DEFAULT_FIELDS, toEvent, type AuditEvent } from '../audit/event.js';
import { AuditTally } from '../audit/tally.js';
import { UsageError } from '../errors.js';
import { parseBrokerUrl, redactUrls, type BrokerAddress } from '../live/broker-url.js';
import {
  batchOf,
  fidelityOf,
  LIVE_BATCHES,
  LIVE_PROFILE,
  unsupportedLive,
  type FidelityRow,
  type RateFidelity,
} from '../live/fidelity.js';
import type { LiveResult } from '../live/clients.js';
import { runRabbit } from '../live/rabbitmq-harness.js';
import { runRedis } from '../live/redis-harness.js';
import { timeKeepingProblem, timingSensitivity } from '../live/time-keeping.js';
import {
  LIVE_EXIT_CODE,
  MIN_LIVE_MESSAGES,
  overallVerdict,
  unjudgeable,
  verdictOf,
  type Judged,
} from '../live/verdict.js';
import type { SimulationConfig } from '../model/config.js';
import { simulate } from '../model/simulation.js';
import { count, percent } from '../report/format.js';
import { fitTable } from '../report/layout.js';
import { wrapLine } from '../report/wrap.js';
import { measure } from '../run/metrics.js';
import { SeededChoiceSource } from '../sim/choice.js';
import { FORMAT_VERSION } from '../run/report.js';
import { expandPaths } from '../scenario/load.js';
import { checkModes, integer, list, loadOne, profileOption, type Io } from './common.js';
import { checkTarget, writeLinesFile, type Target } from './output.js';
import { outputWidth } from './terminal.js';

interface LiveFlags {
  broker: string;
  mode?: string[];
  profile?: string;
  seed?: number;
  messages?: number;
  timeScale: number;
  timeoutS: number;
  events?: string;
  allowRemote?: boolean;
  format: 'table' | 'json';
  force?: boolean;
}

const EXAMPLES = `
Examples:
  $ acksim live lost-acks --broker redis://127.0.0.1:6379 --messages 2000
  $ acksim live lost-acks --broker rabbitmq://guest:guest@127.0.0.1:5672 --messages 2000
  $ acksim live crash-after-effect --broker redis://127.0.0.1:6379 --mode at-least-once --events live.jsonl

Runs the scenario's producer and consumers as real clients, with the scenario's client-side faults
drawn from its seed (dropped publishes, confirms, deliveries and acks; consumer crashes), times scaled
by --time-scale, audits what happened and shows it beside the simulator's prediction: the prediction
should lie inside the live run's 95 % interval. The prediction uses the broker's profile
(redis-streams, rabbitmq-quorum) unless --profile names another. Only a loopback broker unless
--allow-remote; it creates and deletes its own keys (acksim:<run id>:*) or queues (acksim.<run id>,
acksim.<run id>.dlq) and nothing else.

Exit codes: 0 every mode agrees: its prediction lies inside the live interval, and that interval is
narrow enough to mean it (at most twice the smaller of the predicted rate and 100 % minus it, and at
least 10 points wide); 1 a mode disagrees (its prediction lies outside); 2 bad input, a scenario whose
broker fields contradict the real broker, a broker that cannot be reached, or clients that could not
keep the scenario's time; 3 inconclusive, one line on stderr a mode: the run published no message,
fewer than ${MIN_LIVE_MESSAGES} (too few for an interval that allows for clustered outcomes), was stopped by
--timeout with messages still in play, or its interval is wider than the bound above. A disagreement
in one mode wins over an inconclusive other.`;

function cell(r: RateFidelity): string {
  const bare = (rate: number) => percent(rate).replace(/%$/, '');
  return `${percent(r.live)} (${bare(r.interval.lower)}–${bare(r.interval.upper)})`;
}

/** The model's rate, with the scatter timing alone gives one run where there is one. */
function predicted(r: RateFidelity): string {
  return r.modelSpread >= 0.0005 ? `${percent(r.predicted)} ±${percent(r.modelSpread)}` : percent(r.predicted);
}

/** One mode's comparison and its verdict. */
type JudgedRow = FidelityRow & Judged;

const MARK = { agree: '✓', disagree: '✗', inconclusive: '?' } as const;

/** The live run beside the model, one row per mode, fitting `width` columns (stacked when it cannot). */
export function liveTable(scenario: string, broker: string, rows: readonly JudgedRow[], width: number): string {
  const spec = {
    head: ['mode', 'messages', 'loss live (95%)', 'model', 'dup live (95%)', 'model', 'agree'],
    rows: rows.map((r) => [
      r.mode,
      count(r.produced),
      cell(r.lossRate),
      predicted(r.lossRate),
      cell(r.duplicateRate),
      predicted(r.duplicateRate),
      MARK[r.verdict],
    ]),
    aligns: ['left', 'right', 'right', 'right', 'right', 'right', 'left'] as const,
  };
  return `${wrapLine(`${scenario} on ${broker}: live run vs model`, width).join('\n')}\n${fitTable(spec, new Chalk({ level: 0 }), width)}\n`;
}

/**
 * Runs one mode against the broker, writes each event to `log` as well, and judges the comparison;
 * throws where the clients could not keep the scenario's time.
 */
async function liveMode(
  { config, seed, scenario }: { config: SimulationConfig; seed: number; scenario: string },
  address: BrokerAddress,
  flags: LiveFlags,
  io: Io,
  log: (line: string) => void,
): Promise<JudgedRow> {
  const mode = config.mode.name;
  const tally = new AuditTally();
  // Tallied again by batch of ids, for an interval that allows for clustered outcomes.
  const batches = Array.from(
    { length: config.messages >= LIVE_BATCHES * 10 ? LIVE_BATCHES : 0 },
    () => new AuditTally(),
  );
  let result: LiveResult;
  try {
    const run = address.kind === 'rabbitmq' ? runRabbit : runRedis;
    result = await run(config, {
      address,
      seed,
      timeScale: flags.timeScale,
      runId: `${scenario}-${mode}-${seed}-${process.pid}`,
      limitMs: flags.timeoutS * 1000,
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
    io.stderr(
      `acksim: ${mode}: the producer fell ${Math.round(result.producerLagMs)} ms of the scenario behind its schedule; a larger --time-scale (now ${flags.timeScale}) keeps the clients on time\n`,
    );
  const measured = tally.measure();
  const byBatch = batches.map((b) => b.measure());
  const prediction = measure(simulate(config, new SeededChoiceSource(seed)));
  // A run that tested nothing or was cut short is compared with nothing, and its time-keeping is not checked.
  const cut = unjudgeable({ produced: measured.metrics.produced, timedOut: result.timedOut, timeoutS: flags.timeoutS });
  if (cut !== undefined)
    return { ...fidelityOf(mode, measured, byBatch, prediction), verdict: 'inconclusive', reason: cut };
  // How the model answers to the clients' late timers, round trips and reconnects: a comparison they
  // could decide is refused; the scatter timing alone causes is allowed for in the verdict.
  const costs = { processingMs: result.overheadMs, restartMs: result.restartOverheadMs };
  const sensitivity = timingSensitivity(config, seed, costs);
  const row = fidelityOf(mode, measured, byBatch, prediction, sensitivity.spread);
  const late = timeKeepingProblem(row, sensitivity, costs, flags.timeScale);
  if (late !== undefined) throw new UsageError(late);
  return { ...row, ...verdictOf(row) };
}

async function live(path: string, flags: LiveFlags, io: Io): Promise<number> {
  const address = parseBrokerUrl(flags.broker, flags.allowRemote === true);
  if (typeof address === 'string') throw new UsageError(address);
  const scenario = loadOne(path, io, flags.profile ?? LIVE_PROFILE[address.kind]);
  checkModes(
    flags.mode,
    scenario.modes.map((m) => m.mode.name),
    `no such mode in ${scenario.name}`,
  );
  const modes = scenario.modes.filter((m) => flags.mode === undefined || flags.mode.includes(m.mode.name));
  const seed = flags.seed ?? scenario.seed;
  const problems = modes.flatMap((m) =>
    unsupportedLive({ ...m.config, mode: m.mode }, address.kind).map((p) => `${scenario.file}  ${m.mode.name}: ${p}`),
  );
  if (problems.length > 0) throw new UsageError('cannot run live:', [...new Set(problems)]);
  const events: Target | undefined =
    flags.events === undefined
      ? undefined
      : {
          flag: '--events',
          path: flags.events,
          cwd: io.cwd,
          inputs: expandPaths([path], io.cwd).files,
          force: flags.force === true,
        };
  if (events !== undefined) checkTarget(events, 'lines');
  const rows: JudgedRow[] = [];
  const lines: string[] = [];
  for (const { mode, config } of modes) {
    const run = {
      config: { ...config, messages: flags.messages ?? config.messages, mode },
      seed,
      scenario: scenario.name,
    };
    rows.push(
      await liveMode(run, address, flags, io, (line) =>
        lines.push(line.replace('{', `{"mode":${JSON.stringify(mode.name)},`)),
      ),
    );
  }
  if (events !== undefined) writeLinesFile(events, (write) => lines.forEach(write));
  const verdict = overallVerdict(rows.map((r) => r.verdict));
  io.stdout(
    flags.format === 'json'
      ? `${JSON.stringify({ formatVersion: FORMAT_VERSION, kind: 'live', scenario: scenario.name, broker: address.shown, seed, verdict, modes: rows }, null, 2)}\n`
      : liveTable(scenario.name, address.shown, rows, outputWidth()),
  );
  for (const r of rows) if (r.reason !== undefined) io.stderr(`acksim: ${r.mode}: inconclusive: ${r.reason}\n`);
  return LIVE_EXIT_CODE[verdict];
}

/** Registers `acksim live`. */
export function liveCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('live')
    .description(
      "run a scenario against a real broker (Redis Streams, RabbitMQ) and compare what happened with the model's prediction",
    )
    .argument('<scenario>', 'a scenario file or built-in scenario name')
    .requiredOption(
      '--broker <url>',
      'the broker: redis://127.0.0.1:6379 or rabbitmq://guest:guest@127.0.0.1:5672 (loopback only, unless --allow-remote)',
    )
    .option('--mode <name>', 'only these modes (repeat, or separate with commas)', list)
    .addOption(profileOption())
    .option('--seed <n>', 'seed of the injected faults (overrides the scenario)', integer('--seed', 0, 2 ** 31 - 1))
    .option('--messages <n>', 'messages (overrides the scenario)', integer('--messages', 0, 10_000_000))
    .option(
      '--time-scale <x>',
      'real ms per simulated ms (0.05: a 30 s timeout lasts 1.5 s)',
      (v: string) => {
        const x = Number(v);
        if (!(x > 0 && x <= 1)) throw new UsageError(`--time-scale ${v}: allowed: a number in (0, 1]`);
        return x;
      },
      0.05,
    )
    .option('--timeout <s>', 'stop a mode after this many real seconds', integer('--timeout', 1, 86_400), 120)
    .option('--events <file>', 'write the live event log (the JSON Lines acksim audit reads)')
    .option('--allow-remote', 'let --broker name a host that is not loopback')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--force', 'let --events replace an existing file')
    .addHelpText('after', EXAMPLES)
    .action(async (path: string, flags: LiveFlags & { timeout: number }) =>
      setExit(await live(path, { ...flags, timeoutS: flags.timeout }, io)),
    );
}
