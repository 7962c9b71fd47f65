// `acksim explain`: the story of one message (or of the first of each anomaly) in plain words.
import { handlerFits } from '../run/user-code.js';
import { handlerOption, loadHandlerModule } from './handler-module.js';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { CAUSE_NAMES, causeEntry } from '../run/cause-glossary.js';
import { explain, storyText, type ExplainOptions } from '../run/explain.js';
import { safeText } from '../safe-text.js';
import { wrap, wrapText } from '../report/wrap.js';
import { outputWidth } from './terminal.js';
import { type Io } from './common.js';
import { loadOne } from './scenario-input.js';
import { integer, seedOption, messagesOption, profileOption } from './options.js';
import { chooseMode } from './mode-choice.js';

interface ExplainFlags {
  /** The user's consumer code module (--handler). */
  handler?: string;
  profile?: string;
  mode?: string;
  cause?: string;
  message?: number[];
  lost?: boolean;
  duplicated?: boolean;
  count: number;
  seed?: number;
  messages?: number;
}

const EXAMPLES = `
Examples:
  $ acksim explain lost-acks --duplicated                       the first mode with a duplicate
  $ acksim explain lost-acks --mode at-least-once --message 174
  $ acksim explain lossy-publish --mode at-least-once --duplicated
  $ acksim explain crash-before-effect --mode at-most-once --lost --count 2
  $ acksim explain --cause deliverLostAfterAutoAck              what a cause means

--lost and --duplicated explain the first --count (default 1) messages of each cause. Without
--mode, the first mode (in the scenario's order) where such a message was lost or duplicated.`;

/** What a cause means, in a few lines of at most 80 columns. */
function causeText(name: string): string {
  const entry = causeEntry(name);
  if (entry === undefined) {
    throw new UsageError(
      `--cause ${safeText(name, 100)}: not a cause acksim reports (allowed:`,
      wrap(`${CAUSE_NAMES.join(', ')})`, outputWidth(), '  '),
    );
  }
  const what: Record<typeof entry.kind, string> = {
    loss: 'a cause of loss',
    duplicate: 'a cause of duplicates',
    'loss or duplicate': 'a cause of loss or of duplicates',
    'state error': 'a part of the sink state error',
    'audit loss': 'a cause of loss in an audited log',
    'audit duplicate': 'a cause of duplicates in an audited log',
    'order violation': 'a reason a message ran after a later one of its key',
  };
  const lines = [`${entry.name}: ${what[entry.kind]}`, ...wrap(entry.meaning, outputWidth(), '  ')];
  if (entry.timing) lines.push('  It needs no injected fault: a timer or a retention ran out (timing).');
  return `${lines.join('\n')}\n`;
}

/** Registers `acksim explain`. */
export function explainCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('explain')
    .description('tell the story of a message in plain words, with the cause of its loss or duplicate')
    .argument('[scenario]', 'a scenario file or built-in scenario name')
    .option(
      '--mode <name>',
      'the delivery mode (default: the first with a message the request is about lost or duplicated)',
    )
    .option('--cause <name>', 'say what a cause of loss or duplicates means (no scenario needed)')
    .option('--message <id>', 'explain this message id (repeatable)', (v: string, prev: number[] | undefined) => [
      ...(prev ?? []),
      integer('--message', 0, 50_000_000)(v),
    ])
    .option('--lost', 'explain the first lost messages of each cause')
    .option('--duplicated', 'explain the first duplicated messages of each cause')
    .option('--count <n>', 'how many messages of each cause with --lost or --duplicated', integer('--count', 1, 100), 1)
    .addOption(profileOption())
    .addOption(seedOption())
    .addOption(messagesOption(50_000_000))
    .addHelpText('after', EXAMPLES)
    .addOption(handlerOption())
    .action(async (path: string | undefined, flags: ExplainFlags) => {
      if (flags.cause !== undefined) {
        if (path !== undefined)
          throw new UsageError('--cause explains a cause, not a scenario (allowed: acksim explain --cause <name>)');
        io.stdout(causeText(flags.cause));
        setExit(0);
        return;
      }
      if (path === undefined) throw new UsageError('explain needs a scenario, or --cause <name>');
      if (flags.message === undefined && flags.lost !== true && flags.duplicated !== true) {
        throw new UsageError('explain needs --message <id>, --lost or --duplicated');
      }
      const scenario = loadOne(path, io, flags.profile);
      const handler = flags.handler === undefined ? undefined : await loadHandlerModule(flags.handler, io.cwd);
      if (handler !== undefined) handlerFits(scenario, flags.mode === undefined ? [] : [flags.mode], 1, '--handler: ');
      // --message alone is about any anomaly of those messages.
      const any = flags.lost !== true && flags.duplicated !== true;
      const mode = await chooseMode(
        scenario,
        flags,
        { lost: any || flags.lost === true, duplicated: any || flags.duplicated === true },
        io,
        handler?.code,
      );
      const options: ExplainOptions = { mode, count: flags.count, handler: handler?.code };
      if (flags.message !== undefined) options.messageIds = flags.message;
      if (flags.lost === true) options.lost = true;
      if (flags.duplicated === true) options.duplicated = true;
      if (flags.seed !== undefined) options.seed = flags.seed;
      if (flags.messages !== undefined) options.messages = flags.messages;
      const stories = await explain(scenario, options);
      if (stories.length === 0)
        io.stdout(
          `no ${[flags.lost === true ? 'lost' : '', flags.duplicated === true ? 'duplicated' : ''].filter((s) => s !== '').join(' or ')} message under ${mode}\n`,
        );
      const width = outputWidth();
      // A blank line between stories: each is several lines now.
      io.stdout(stories.map((story) => `${wrapText(storyText(story), width, { hang: 4 })}\n`).join('\n'));
      setExit(0);
    });
}
