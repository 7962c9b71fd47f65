// `acksim compare`: the classroom view of one scenario, mode against mode on the same faults.
import { Command, Option } from 'commander';
import { ScenarioError, UsageError } from '../errors.js';
import { formatCompare } from '../report/compare.js';
import { compareScenario } from '../run/compare.js';
import type { RunOptions } from '../run/run-scenario.js';
import { loadScenarios } from '../scenario/load.js';
import { checkModes, checkSeedRange, integer, list, runOptionsFrom, type Io, type RunFlagsCommon } from './common.js';
import { useColor } from './terminal.js';

interface CompareFlags extends RunFlagsCommon {
  format: 'table' | 'json';
  color?: boolean;
}

const EXAMPLES = `
Examples:
  $ acksim compare lost-acks
  $ acksim compare lost-deliveries --mode at-most-once,at-least-once
  $ acksim compare crash-after-effect --runs 50          paired differences with 95% intervals

Modes are compared in order, each with the next: the messages one lost or duplicated and the next did
not, with the first example and its cause. Every mode meets the same faults (same seed, same choices).`;

/** Registers `acksim compare`. */
export function compareCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('compare')
    .description('compare delivery modes side by side on identical faults, message by message')
    .argument('<scenario>', 'a scenario file or built-in scenario name')
    .option('--mode <name>', 'compare these modes, in this order (repeat, or separate with commas)', list)
    .option('--seed <n>', 'seed (the first one with --runs)', integer('--seed', 0, 2 ** 31 - 1))
    .option('--messages <n>', 'messages (overrides the scenario)', integer('--messages', 0, 50_000_000))
    .option(
      '--runs <n>',
      'runs with seeds seed, seed+1, ...: means and paired differences with 95% intervals',
      integer('--runs', 1, 100_000),
      1,
    )
    .addOption(new Option('--format <format>', 'report format').choices(['table', 'json']).default('table'))
    .option('--no-color', 'no colour, even on a terminal')
    .addHelpText('after', EXAMPLES)
    .action((path: string, flags: CompareFlags) => {
      const { scenarios, issues } = loadScenarios([path], io.cwd);
      if (issues.length > 0) throw new ScenarioError(issues);
      const scenario = scenarios[0]!;
      const known = scenario.modes.map((m) => m.mode.name);
      checkModes(flags.mode, known, `not a mode of ${scenario.name}`);
      checkSeedRange([flags.seed ?? scenario.seed], flags.runs);
      const options: RunOptions = runOptionsFrom({ ...flags, workers: 1 });
      if ((options.modes ?? known).length < 2) throw new UsageError('compare needs at least two modes');
      // Keep the order the user asked for.
      if (options.modes !== undefined)
        scenario.modes.sort((a, b) => options.modes!.indexOf(a.mode.name) - options.modes!.indexOf(b.mode.name));
      const report = compareScenario(scenario, options);
      io.stdout(flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatCompare(report, { color: useColor(flags.color) }));
      setExit(0);
    });
}
