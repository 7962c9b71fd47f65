// `acksim list`: the built-in scenarios and their one-line lessons.
import { Command } from 'commander';
import { BUILTIN_DIR, loadScenarios } from '../scenario/load.js';
import type { Io } from './common.js';

/** Registers `acksim list`. */
export function listCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('list')
    .description('list the built-in scenarios with their one-line lessons')
    .addHelpText('after', '\nExamples:\n  $ acksim list\n  $ acksim run lost-acks        run one of them by name\n  $ acksim run --all            run them all\n  $ acksim init my-queue --from lost-acks   copy one to start your own')
    .action(() => {
      const { scenarios, issues } = loadScenarios([BUILTIN_DIR], io.cwd);
      const width = Math.max(0, ...scenarios.map((s) => s.name.length));
      for (const s of scenarios) io.stdout(`${s.name.padEnd(width)}  ${s.summary}\n`);
      setExit(issues.length > 0 ? 2 : 0);
    });
}
