// `acksim show <scenario>`: the lesson of one scenario (its description), its modes, faults and checks.
import { Command } from 'commander';
import { formatShow } from '../report/show.js';
import { type Io } from './common.js';
import { loadOne } from './scenario-input.js';
import { profileOption } from './options.js';

/** Columns to wrap to: COLUMNS, else the terminal's width, else 80 (a pipe). */
function columns(): number {
  const fromEnv = Number(process.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return process.stdout.isTTY === true ? process.stdout.columns : 80;
}

/** Registers `acksim show`. */
export function showCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('show')
    .description("print a scenario's lesson (its description), its modes, the faults it configures and its checks")
    .argument('<scenario>', 'a scenario file or built-in scenario name')
    .addOption(profileOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ acksim show lost-acks\n  $ acksim list --long        every built-in with its description',
    )
    .action((path: string, flags: { profile?: string }) => {
      io.stdout(formatShow(loadOne(path, io, flags.profile), columns()));
      setExit(0);
    });
}
