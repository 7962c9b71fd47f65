// `acksim replay <failure file>`: re-runs a shrunk failure exactly and shows its trace; exits like run.
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { FAILURE_MAX_BYTES, fromCwd, readJsonFile } from '../input-file.js';
import { formatReplay } from '../report/replay.js';
import { parseFailure } from '../run/failure.js';
import { replayExitCode, replayFailure } from '../run/replay.js';
import { type Io } from './common.js';
import { loadOne } from './scenario-input.js';
import { handlerOption, loadHandlerModule } from './handler-module.js';
import { noColorOption } from './options.js';
import { useColor } from './terminal.js';

/** Registers `acksim replay`. */
export function replayCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('replay')
    .description(
      're-run a shrunk failure file exactly, show its trace, and exit like run (1 when the check fails again)',
    )
    .argument('<file>', 'a failure file written by acksim run (in acksim-failures/)')
    .addOption(noColorOption())
    .addOption(handlerOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ acksim replay acksim-failures/lost-acks.at-least-once.seed1.json\n\nThe run uses exactly the faults in the file and no other; timing still comes from the seed.',
    )
    .action(async (path: string, flags: { color?: boolean; handler?: string }) => {
      const read = readJsonFile(fromCwd(io.cwd, path), FAILURE_MAX_BYTES);
      if (!read.ok) throw new UsageError(`${path}: cannot read a failure file (${read.message})`);
      const failure = parseFailure(read.value);
      if (typeof failure === 'string') throw new UsageError(`${path}: ${failure}`);
      const scenario = loadOne(failure.scenario, io, failure.profile);
      // A failure found with a handler replays with it (the file does not say which: --handler does).
      const handler = flags.handler === undefined ? undefined : await loadHandlerModule(flags.handler, io.cwd);
      const replay = await replayFailure(failure, scenario, handler?.code);
      if (typeof replay === 'string') throw new UsageError(`${path}: ${replay}`);
      io.stdout(formatReplay(replay, { color: useColor(flags.color) }));
      setExit(replayExitCode(replay));
    });
}
