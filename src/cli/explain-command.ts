// `acksim explain`: the story of one message (or of the first of each anomaly) in plain words.
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { explain, storyText, type ExplainOptions } from '../run/explain.js';
import { wrapText } from '../report/wrap.js';
import { outputWidth } from './terminal.js';
import { checkModes, integer, type Io, loadOne, profileOption } from './common.js';

interface ExplainFlags {
  profile?: string;
  mode: string;
  message?: number[];
  lost?: boolean;
  duplicated?: boolean;
  count: number;
  seed?: number;
  messages?: number;
}

const EXAMPLES = `
Examples:
  $ acksim explain lost-acks --mode at-least-once --message 174
  $ acksim explain lossy-publish --mode at-least-once --duplicated
  $ acksim explain crash-before-effect --mode at-most-once --lost --count 2

--lost and --duplicated explain the first --count (default 1) messages of each cause.`;

/** Registers `acksim explain`. */
export function explainCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('explain')
    .description('tell the story of a message in plain words, with the cause of its loss or duplicate')
    .argument('<scenario>', 'a scenario file or built-in scenario name')
    .requiredOption('--mode <name>', 'the delivery mode')
    .option('--message <id>', 'explain this message id (repeatable)', (v: string, prev: number[] | undefined) => [
      ...(prev ?? []),
      integer('--message', 0, 50_000_000)(v),
    ])
    .option('--lost', 'explain the first lost messages of each cause')
    .option('--duplicated', 'explain the first duplicated messages of each cause')
    .option('--count <n>', 'how many messages of each cause with --lost or --duplicated', integer('--count', 1, 100), 1)
    .addOption(profileOption())
    .option('--seed <n>', 'seed (overrides the scenario)', integer('--seed', 0, 2 ** 31 - 1))
    .option('--messages <n>', 'messages (overrides the scenario)', integer('--messages', 0, 50_000_000))
    .addHelpText('after', EXAMPLES)
    .action((path: string, flags: ExplainFlags) => {
      const scenario = loadOne(path, io, flags.profile);
      checkModes(
        [flags.mode],
        scenario.modes.map((m) => m.mode.name),
        `not a mode of ${scenario.name}`,
      );
      if (flags.message === undefined && flags.lost !== true && flags.duplicated !== true) {
        throw new UsageError('explain needs --message <id>, --lost or --duplicated');
      }
      const options: ExplainOptions = { mode: flags.mode, count: flags.count };
      if (flags.message !== undefined) options.messageIds = flags.message;
      if (flags.lost === true) options.lost = true;
      if (flags.duplicated === true) options.duplicated = true;
      if (flags.seed !== undefined) options.seed = flags.seed;
      if (flags.messages !== undefined) options.messages = flags.messages;
      const stories = explain(scenario, options);
      if (stories.length === 0)
        io.stdout(
          `no ${[flags.lost === true ? 'lost' : '', flags.duplicated === true ? 'duplicated' : ''].filter((s) => s !== '').join(' or ')} message under ${flags.mode}\n`,
        );
      const width = outputWidth();
      // A blank line between stories: each is several lines now.
      io.stdout(stories.map((story) => `${wrapText(storyText(story), width, { hang: 4 })}\n`).join('\n'));
      setExit(0);
    });
}
