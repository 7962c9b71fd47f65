// `acksim trace`: the life of messages in one run of one mode, as lanes, Mermaid or JSON Lines.
import { handlerFits } from '../run/user-code.js';
import { handlerOption, loadHandlerModule } from './handler-module.js';
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { traceScenario, type TraceOptions, type TraceResult } from '../run/trace.js';
import { type Io } from './common.js';
import { linesTarget, loadOne } from './scenario-input.js';
import {
  integer,
  seedOption,
  messagesOption,
  profileOption,
  outOption,
  forceOption,
  noColorOption,
} from './options.js';
import { chooseMode } from './mode-choice.js';
import { writeLinesFile } from './output.js';
import { outputWidth, useColor } from './terminal.js';
import { FORMATS, formatNames } from './formatters.js';
import { safeText } from '../safe-text.js';

interface TraceFlags {
  /** The user's consumer code module (--handler). */
  handler?: string;
  profile?: string;
  mode?: string;
  seed?: number;
  messages?: number;
  message?: number[];
  anomalies?: number;
  from?: number;
  to?: number;
  limit: number;
  format: TraceFormat;
  out?: string;
  force?: boolean;
  color?: boolean;
}

type TraceFormat = 'lanes' | 'mermaid' | 'mermaid-md' | 'jsonl';

/** The trace as text; a Mermaid diagram for a .md file goes in a fenced block, which GitHub draws. */
function render(result: TraceResult, flags: TraceFlags): string {
  const fenced =
    flags.format === 'mermaid-md' || (flags.format === 'mermaid' && flags.out?.toLowerCase().endsWith('.md') === true);
  return FORMATS.trace[fenced ? 'mermaid-md' : flags.format](result, {
    color: flags.out === undefined && useColor(flags.color),
    width: outputWidth(),
  });
}

const EXAMPLES = `
Examples:
  $ acksim trace lost-acks                                      the first mode with an anomaly
  $ acksim trace lost-acks --mode at-least-once --message 174   one message's life
  $ acksim trace lost-deliveries --anomalies 1 --format mermaid-md > story.md
  $ acksim trace lost-deliveries --anomalies 1 --format mermaid --out story.md   (fenced too)
  $ acksim trace ack-partition --mode at-least-once --from 19000 --to 21000 --format jsonl

Without --mode, the first mode (in the scenario's order) where a message was lost or duplicated
(with --message, one of those). Without --message, --anomalies or --from/--to, the trace shows the
first two messages that were lost or duplicated (or message 0 when there is none). Every trace ends
with how each message ended and why. Events: docs/trace.md.`;

function number(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new UsageError(`${flag} ${value}: not a number of ms >= 0`);
    return n;
  };
}

/** Registers `acksim trace`. */
export function traceCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('trace')
    .description('show the life of messages in one run of one mode: lanes, Mermaid sequence diagram or JSON Lines')
    .argument('<scenario>', 'a scenario file or built-in scenario name')
    .option('--mode <name>', 'the delivery mode to trace (default: the first with a lost or duplicated message)')
    .addOption(profileOption())
    .addOption(seedOption())
    .addOption(messagesOption(50_000_000))
    .option('--message <id>', 'trace this message id (repeatable)', (v: string, prev: number[] | undefined) => [
      ...(prev ?? []),
      integer('--message', 0, 50_000_000)(v),
    ])
    .option(
      '--anomalies <n>',
      'trace the first n messages that were lost or duplicated',
      integer('--anomalies', 1, 1000),
    )
    .option('--from <ms>', 'only events at or after this virtual time', number('--from'))
    .option('--to <ms>', 'only events at or before this virtual time', number('--to'))
    .option('--limit <n>', 'most events shown', integer('--limit', 1, 1_000_000), 200)
    .addOption(
      new Option('--format <format>', 'output format (mermaid-md: in a ```mermaid block)')
        .choices(formatNames('trace'))
        .default('lanes'),
    )
    .addOption(outOption('write the trace to a file (mermaid to a .md file: a fenced block)'))
    .addOption(forceOption('let --out replace an existing file'))
    .addOption(noColorOption())
    .addHelpText('after', EXAMPLES)
    .addOption(handlerOption())
    .action(async (path: string, flags: TraceFlags) => {
      const scenario = loadOne(path, io, flags.profile);
      const target = linesTarget('--out', flags.out, path, io, flags.force);
      const handler = flags.handler === undefined ? undefined : await loadHandlerModule(flags.handler, io.cwd);
      if (handler !== undefined) handlerFits(scenario, flags.mode === undefined ? [] : [flags.mode], 1, '--handler: ');
      const mode = await chooseMode(scenario, flags, { lost: true, duplicated: true }, io, handler?.code);
      const options: TraceOptions = { mode, limit: flags.limit, handler: handler?.code };
      if (flags.seed !== undefined) options.seed = flags.seed;
      if (flags.messages !== undefined) options.messages = flags.messages;
      if (flags.message !== undefined) options.messageIds = flags.message;
      if (flags.anomalies !== undefined) options.anomalies = flags.anomalies;
      if (flags.from !== undefined) options.fromMs = flags.from;
      if (flags.to !== undefined) options.toMs = flags.to;
      const cut =
        flags.message !== undefined ||
        flags.anomalies !== undefined ||
        flags.from !== undefined ||
        flags.to !== undefined;
      let result = await traceScenario(scenario, cut ? options : { ...options, anomalies: 2 });
      if (!cut && result.messageIds?.length === 0)
        result = await traceScenario(scenario, { ...options, messageIds: [0] });
      const text = render(result, flags);
      if (target === undefined) io.stdout(text);
      else {
        await writeLinesFile(target, (write) => text.replace(/\n$/, '').split('\n').forEach(write));
        io.stderr(`written to ${safeText(flags.out!)}\n`);
      }
      setExit(0);
    });
}
