// `acksim live`: the scenario against a real broker, audited, beside the simulator's prediction.
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseBrokerUrl } from '../live/broker-url.js';
import { LIVE_PROFILE } from '../live/fidelity.js';
import { liveProblems, runLive } from '../live/run-live.js';
import { LIVE_EXIT_CODE, MIN_LIVE_MESSAGES } from '../live/verdict.js';
import { checkModes, type Io } from './common.js';
import { linesTarget, loadOne } from './scenario-input.js';
import {
  integer,
  seedOption,
  messagesOption,
  modeOption,
  profileOption,
  formatOption,
  forceOption,
} from './options.js';
import { writeLinesFile } from './output.js';
import { outputWidth } from './terminal.js';
import { FORMATS, formatNames } from './formatters.js';
import { causeGlosses } from '../run/cause-glossary.js';

interface LiveFlags {
  broker: string;
  mode?: string[];
  profile?: string;
  seed?: number;
  messages?: number;
  timeScale: number;
  timeoutS: number;
  confidence: number;
  events?: string;
  allowRemote?: boolean;
  format: 'table' | 'json' | 'html';
  force?: boolean;
}

const EXAMPLES = `
Examples:
  $ acksim live lost-acks --broker redis://127.0.0.1:6379 --messages 2000
  $ acksim live lost-acks --broker rabbitmq://guest:guest@127.0.0.1:5672 --messages 2000
  $ acksim live lost-acks --broker nats://127.0.0.1:4222 --messages 2000
  $ acksim live crash-after-effect --broker redis://127.0.0.1:6379 --mode at-least-once --events live.jsonl

Runs the scenario's producer and consumers as real clients, with the scenario's client-side faults
drawn from its seed (dropped publishes, confirms, deliveries and acks; consumer crashes), times scaled
by --time-scale, audits what happened and shows it beside the simulator's prediction: the prediction
should lie inside the live run's 95 % interval (--confidence asks for another level: each mode's two
rates are two comparisons, so a suite of n of them that wants a 5 % chance of a false alarm in all
asks for 1 - 0.05/n). The prediction uses the broker's profile
(redis-streams, rabbitmq-quorum, nats-jetstream) unless --profile names another. Only a loopback
broker unless --allow-remote; it creates and deletes its own keys (acksim:<run id>:*), queues
(acksim.<run id>, acksim.<run id>.dlq) or stream (acksim-<run id>) and nothing else.

Exit codes: 0 every mode agrees: its prediction lies inside the live interval, and that interval is
narrow enough to mean it (at most twice the smaller of the predicted rate and 100 % minus it, and at
least 10 points wide); 1 a mode disagrees (its prediction lies outside); 2 bad input, a scenario whose
broker fields contradict the real broker, a broker that cannot be reached, or clients that could not
keep the scenario's time; 3 inconclusive, one line on stderr a mode: the run published no message,
fewer than ${MIN_LIVE_MESSAGES} (too few for an interval that allows for clustered outcomes), was stopped by
--timeout with messages still in play, or its interval is wider than the bound above. A disagreement
in one mode wins over an inconclusive other.`;

/** The live run beside the model (kept here for the tests that import it from the command). */
export { liveTable } from './formatters.js';

async function live(path: string, flags: LiveFlags, io: Io): Promise<number> {
  const address = parseBrokerUrl(flags.broker, flags.allowRemote === true);
  if (typeof address === 'string') throw new UsageError(address);
  const scenario = loadOne(path, io, flags.profile ?? LIVE_PROFILE[address.kind]);
  checkModes(
    flags.mode,
    scenario.modes.map((m) => m.mode.name),
    `no such mode in ${scenario.name}`,
  );
  const problems = liveProblems(scenario, { address, modes: flags.mode });
  if (problems.length > 0) throw new UsageError('cannot run live:', problems);
  const events = linesTarget('--events', flags.events, path, io, flags.force);
  const lines: string[] = [];
  const result = await runLive(scenario, {
    ...flags,
    address,
    modes: flags.mode,
    warn: (line) => io.stderr(line),
    log: (line) => lines.push(line),
    runTag: process.pid,
  });
  if (events !== undefined) await writeLinesFile(events, (write) => lines.forEach(write));
  io.stdout(
    FORMATS.live[flags.format](result, { color: false, width: outputWidth(), page: { glossary: causeGlosses() } }),
  );
  for (const r of result.modes) if (r.reason !== undefined) io.stderr(`acksim: ${r.mode}: inconclusive: ${r.reason}\n`);
  return LIVE_EXIT_CODE[result.verdict];
}

/** Registers `acksim live`. */
export function liveCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('live')
    .description(
      "run a scenario against a real broker (Redis Streams, RabbitMQ, NATS JetStream) and compare what happened with the model's prediction",
    )
    .argument('<scenario>', 'a scenario file or built-in scenario name')
    .requiredOption(
      '--broker <url>',
      'the broker: redis://127.0.0.1:6379, rabbitmq://guest:guest@127.0.0.1:5672 or nats://127.0.0.1:4222 (loopback only, unless --allow-remote)',
    )
    .addOption(modeOption())
    .addOption(profileOption())
    .addOption(seedOption('seed of the injected faults (overrides the scenario)'))
    .addOption(messagesOption(10_000_000))
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
    .option(
      '--confidence <p>',
      'confidence of every interval (a suite judging n rows at once asks for 1 - 0.05/n)',
      (v: string) => {
        const p = Number(v);
        if (!(p >= 0.5 && p < 1))
          throw new UsageError(`--confidence ${v}: allowed: a number from 0.5 to below 1 (0.95 is 95 %)`);
        return p;
      },
      0.95,
    )
    .option('--events <file>', 'write the live event log (the JSON Lines acksim audit reads)')
    .option('--allow-remote', 'let --broker name a host that is not loopback')
    .addOption(formatOption(formatNames('live')))
    .addOption(forceOption('let --events replace an existing file'))
    .addHelpText('after', EXAMPLES)
    .action(async (path: string, flags: LiveFlags & { timeout: number }) =>
      setExit(await live(path, { ...flags, timeoutS: flags.timeout }, io)),
    );
}
