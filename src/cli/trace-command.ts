// `acksim trace`: the life of messages in one run of one mode, as lanes, Mermaid or JSON Lines.
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { formatJsonl, formatLanes, formatMermaid } from '../report/trace.js';
import { traceScenario, type TraceOptions } from '../run/trace.js';
import { checkModes, integer, type Io, loadOne, profileOption } from './common.js';
import { useColor } from './terminal.js';

interface TraceFlags {
  profile?: string;
  mode: string;
  seed?: number;
  messages?: number;
  message?: number[];
  anomalies?: number;
  from?: number;
  to?: number;
  limit: number;
  format: 'lanes' | 'mermaid' | 'jsonl';
  color?: boolean;
}

const EXAMPLES = `
Examples:
  $ acksim trace lost-acks --mode at-least-once                 the first anomalies (default: 2)
  $ acksim trace lost-acks --mode at-least-once --message 174   one message's life
  $ acksim trace lost-deliveries --mode at-most-once --anomalies 1 --format mermaid > story.md
  $ acksim trace ack-partition --mode at-least-once --from 19000 --to 21000 --format jsonl

Without --message, --anomalies or --from/--to, the trace shows the first two messages that were lost
or duplicated (or message 0 when there is none). Events: docs/trace.md.`;

function number(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${flag} ${value}: not a number of ms >= 0`);
    return n;
  };
}

/** Registers `acksim trace`. */
export function traceCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('trace')
    .description('show the life of messages in one run of one mode: lanes, Mermaid sequence diagram or JSON Lines')
    .argument('<scenario>', 'a scenario file or built-in scenario name')
    .requiredOption('--mode <name>', 'the delivery mode to trace')
    .addOption(profileOption())
    .option('--seed <n>', 'seed (overrides the scenario)', integer('--seed', 0, 2 ** 31 - 1))
    .option('--messages <n>', 'messages (overrides the scenario)', integer('--messages', 0, 50_000_000))
    .option('--message <id>', 'trace this message id (repeatable)', (v: string, prev: number[] | undefined) => [
      ...(prev ?? []),
      integer('--message', 0, 50_000_000)(v),
    ])
    .option('--anomalies <n>', 'trace the first n messages that were lost or duplicated', integer('--anomalies', 1, 1000))
    .option('--from <ms>', 'only events at or after this virtual time', number('--from'))
    .option('--to <ms>', 'only events at or before this virtual time', number('--to'))
    .option('--limit <n>', 'most events shown', integer('--limit', 1, 1_000_000), 200)
    .addOption(new Option('--format <format>', 'output format').choices(['lanes', 'mermaid', 'jsonl']).default('lanes'))
    .option('--no-color', 'no colour, even on a terminal')
    .addHelpText('after', EXAMPLES)
    .action((path: string, flags: TraceFlags) => {
      const scenario = loadOne(path, io, flags.profile);
      checkModes(
        [flags.mode],
        scenario.modes.map((m) => m.mode.name),
        `not a mode of ${scenario.name}`,
      );
      const options: TraceOptions = { mode: flags.mode, limit: flags.limit };
      if (flags.seed !== undefined) options.seed = flags.seed;
      if (flags.messages !== undefined) options.messages = flags.messages;
      if (flags.message !== undefined) options.messageIds = flags.message;
      if (flags.anomalies !== undefined) options.anomalies = flags.anomalies;
      if (flags.from !== undefined) options.fromMs = flags.from;
      if (flags.to !== undefined) options.toMs = flags.to;
      const cut = flags.message !== undefined || flags.anomalies !== undefined || flags.from !== undefined || flags.to !== undefined;
      let result = traceScenario(scenario, cut ? options : { ...options, anomalies: 2 });
      if (!cut && result.messageIds?.length === 0) result = traceScenario(scenario, { ...options, messageIds: [0] });
      const text =
        flags.format === 'jsonl'
          ? formatJsonl(result)
          : flags.format === 'mermaid'
            ? formatMermaid(result)
            : formatLanes(result, { color: useColor(flags.color) });
      io.stdout(text);
      setExit(0);
    });
}
