// `acksim run`: each scenario in each of its modes; a report on stdout (or --out); checks decide the
// exit code.
import { Command, Option } from 'commander';
import { UsageError, ScenarioError } from '../errors.js';
import { FORMATTERS, FORMAT_NAMES, type FormatName } from '../report/index.js';
import { parseCheck } from '../run/check-expression.js';
import { exitCodeOf } from '../run/report.js';
import { runScenarios, type RunOptions } from '../run/run-scenario.js';
import { loadScenarios, expandPaths } from '../scenario/load.js';
import type { Scenario, ScenarioCheck } from '../scenario/types.js';
import { writeReportFile } from './output.js';
import { progressBar, useColor } from './terminal.js';
import { integer, list, type Io } from './common.js';

interface RunFlags {
  mode?: string[];
  seed?: number;
  messages?: number;
  format: FormatName;
  out?: string;
  check?: string[];
  color?: boolean;
  quiet?: boolean;
  force?: boolean;
}

const EXAMPLES = `
Examples:
  $ acksim run scenarios/                          every built-in scenario, every mode
  $ acksim run lost-acks                           one built-in scenario by name
  $ acksim run my.yaml --seed 7 --messages 100000  another seed, more messages
  $ acksim run my.yaml --mode at-least-once --check 'lost == 0'
  $ acksim run scenarios/ --check 'exactly-once:duplicates == 0' --format junit --out acksim.xml

Checks: <metric> <op> <number>[%], op one of == != < <= > >=, optionally prefixed by <mode>:
  e.g. 'duplicateRate < 0.1%', 'latencyMs.p99 <= 500', 'lossByCause.expired == 0'.
Exit codes: 0 all checks passed, 1 a check failed, 2 bad input or usage,
  3 inconclusive (a check depends on messages still unresolved when the run stopped).`;

function cliChecks(texts: readonly string[], scenarios: readonly Scenario[]): ScenarioCheck[] {
  const modeNames = new Set(scenarios.flatMap((s) => s.modes.map((m) => m.mode.name)));
  return texts.map((text) => {
    const colon = text.indexOf(':');
    const mode = colon >= 0 ? text.slice(0, colon).trim() : undefined;
    const expr = colon >= 0 ? text.slice(colon + 1) : text;
    if (mode !== undefined && !modeNames.has(mode)) {
      throw new UsageError(`--check "${text}": unknown mode "${mode}" (allowed: ${[...modeNames].join(', ')})`);
    }
    const parsed = parseCheck(expr);
    if (!parsed.ok) throw new UsageError(`--check: ${parsed.message}`);
    return { mode, check: parsed.check, source: 'cli' as const };
  });
}

async function run(paths: string[], flags: RunFlags, io: Io): Promise<number> {
  const { scenarios, issues } = loadScenarios(paths, io.cwd);
  if (issues.length > 0) throw new ScenarioError(issues);
  const modes = flags.mode ?? [];
  const known = new Set(scenarios.flatMap((s) => s.modes.map((m) => m.mode.name)));
  for (const mode of modes) {
    if (!known.has(mode)) throw new UsageError(`--mode ${mode}: no scenario has this mode (allowed: ${[...known].join(', ')})`);
  }
  const options: RunOptions = { modes, checks: cliChecks(flags.check ?? [], scenarios) };
  if (flags.seed !== undefined) options.seed = flags.seed;
  if (flags.messages !== undefined) options.messages = flags.messages;
  const bar = progressBar(flags.quiet === true);
  let report;
  try {
    report = await runScenarios(scenarios, options, bar?.update);
  } finally {
    bar?.stop();
  }
  const color = useColor(flags.color);
  const text = FORMATTERS[flags.format](report, { color: flags.out === undefined && color });
  if (flags.out !== undefined) {
    writeReportFile(flags.out, text, expandPaths(paths, io.cwd).files, flags.force === true);
    if (flags.format !== 'table') io.stdout(FORMATTERS.table(report, { color }));
    io.stderr(`report written to ${flags.out}\n`);
  } else {
    io.stdout(text);
  }
  return exitCodeOf(report);
}

/** Registers `acksim run`. */
export function runCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('run')
    .description('run scenarios in every delivery mode and report loss, duplicates, retries and their causes')
    .argument('<scenarios...>', 'scenario files, folders of them, or built-in scenario names')
    .option('--mode <name>', 'run only this mode (repeat, or separate with commas)', list)
    .option('--seed <n>', "seed of every random choice (overrides the scenarios')", integer('--seed', 0, 2 ** 31 - 1))
    .option('--messages <n>', "messages per scenario (overrides the scenarios')", integer('--messages', 0, 50_000_000))
    .addOption(new Option('--format <format>', 'report format').choices(FORMAT_NAMES).default('table'))
    .option('--out <file>', 'write the report to a file (the table still goes to stdout)')
    .option(
      '--check <expr>',
      'a check to judge, e.g. "lost == 0" or "at-least-once:duplicateRate < 1%" (repeatable)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR is honoured too)')
    .option('--quiet', 'no progress bar')
    .option('--force', 'let --out replace a file that is not an acksim report')
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], flags: RunFlags) => setExit(await run(paths, flags, io)));
}
