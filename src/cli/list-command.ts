// `acksim list`: the built-in scenarios and their one-line lessons.
import { Command } from 'commander';
import { BUILTIN_DIR, loadScenarios } from '../scenario/load.js';
import { formatList } from '../report/list.js';
import type { Io } from './common.js';
import { outputWidth } from './terminal.js';

/** Registers `acksim list`. */
export function listCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('list')
    .description('list the built-in scenarios with their one-line lessons')
    .addHelpText('after', '\nExamples:\n  $ acksim list\n  $ acksim run lost-acks        run one of them by name')
    .action(() => {
      const { scenarios, issues } = loadScenarios([BUILTIN_DIR], io.cwd);
      io.stdout(formatList(scenarios, outputWidth()));
      setExit(issues.length > 0 ? 2 : 0);
    });
}
