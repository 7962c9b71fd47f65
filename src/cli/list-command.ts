// `acksim list`: the built-in scenarios and their one-line lessons.
import { Command } from 'commander';
import { BUILTIN_DIR, loadScenarios } from '../scenario/load.js';
import { paragraphs, wrap } from '../report/wrap.js';
import { formatList } from '../report/list.js';
import type { Io } from './common.js';
import { outputWidth } from './terminal.js';

/** Registers `acksim list`. */
export function listCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('list')
    .description('list the built-in scenarios with their one-line lessons')
    .option('--long', 'each with its description (the lesson in full), wrapped to the terminal')
    .addHelpText(
      'after',
      '\nExamples:\n  $ acksim list\n  $ acksim list --long\n  $ acksim show lost-acks       one of them in full\n  $ acksim run lost-acks        run one of them by name\n  $ acksim run --all            run them all\n  $ acksim init my-queue --from lost-acks   copy one to start your own',
    )
    .action((flags: { long?: boolean }) => {
      const { scenarios, issues } = loadScenarios([BUILTIN_DIR], io.cwd);
      if (flags.long === true) {
        const width = outputWidth();
        const blocks = scenarios.map((s) =>
          [s.name, ...wrap(s.summary, width, '  '), '', ...wrap(paragraphs(s.description), width, '  ')].join('\n'),
        );
        io.stdout(`${blocks.join('\n\n')}\n`);
      } else io.stdout(formatList(scenarios, outputWidth()));
      setExit(issues.length > 0 ? 2 : 0);
    });
}
