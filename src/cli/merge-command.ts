// `acksim merge`: joins shard reports into the report one machine would have written.
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { fromCwd, readJsonFile, REPORT_MAX_BYTES } from '../input-file.js';
import { FORMAT_NAMES, type FormatName } from '../report/index.js';
import { areSweeps, mergeReports, mergeSweepReports, MergeError } from '../run/merge.js';
import { exitCodeOf } from '../run/report.js';
import { emit, type Io } from './common.js';
import { outOption, forceOption, noColorOption } from './options.js';
import { checkTarget } from './output.js';
import { outputWidth, useColor } from './terminal.js';
import { FORMATS } from './formatters.js';
import { sweepExit } from './sweep-command.js';
import type { SweepReport } from '../run/sweep.js';

interface MergeFlags {
  format: FormatName | 'csv';
  out?: string;
  color?: boolean;
  force?: boolean;
}

const EXAMPLES = `
Examples:
  $ acksim run lost-acks --runs 1000 --shard 1/2 --format json --out shard-1.json
  $ acksim run lost-acks --runs 1000 --shard 2/2 --format json --out shard-2.json
  $ acksim merge shard-1.json shard-2.json --format json --out report.json

The merged report is byte for byte the one a single "acksim run ... --runs 1000 --format json" writes;
its checks are judged again over all runs, and the exit code is run's. Shards of a sweep
(acksim sweep ... --shard i/n --format json) merge the same way, into the sweep of the whole grid.`;

/** Registers `acksim merge`. */
export function mergeCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('merge')
    .description('join JSON reports of shards (--shard i/n) of a run or a sweep into the full report')
    .argument('<reports...>', 'JSON reports written by acksim run --runs N --shard i/n --format json')
    .addOption(
      new Option('--format <format>', 'report format (csv: sweeps only)')
        .choices([...FORMAT_NAMES, 'csv'])
        .default('table'),
    )
    .addOption(outOption())
    .addOption(noColorOption())
    .addOption(forceOption())
    .addHelpText('after', EXAMPLES)
    .action((paths: string[], flags: MergeFlags) => {
      if (flags.out !== undefined)
        checkTarget(
          { flag: '--out', path: flags.out, cwd: io.cwd, inputs: paths, force: flags.force === true },
          'report',
        );
      const reports = paths.map((path) => {
        const read = readJsonFile(fromCwd(io.cwd, path), REPORT_MAX_BYTES);
        if (!read.ok) throw new UsageError(`${path}: cannot read a JSON report (${read.message})`);
        return read.value;
      });
      const color = useColor(flags.color);
      let text: string;
      let table: string;
      let exitCode: number;
      let sweep: SweepReport | undefined;
      try {
        if (areSweeps(reports)) {
          sweep = mergeSweepReports(reports, paths);
          if (flags.format === 'markdown' || flags.format === 'junit')
            throw new UsageError(`--format ${flags.format}: sweeps merge to table, csv or json`);
          const tty = flags.out === undefined && color;
          // The merged sweep's own text keeps the default width; the table beside --out fits the terminal.
          text = FORMATS.sweep[flags.format](sweep, { color: tty });
          table = FORMATS.sweep.table(sweep, { color, width: outputWidth() });
          exitCode = 0;
        } else {
          if (flags.format === 'csv')
            throw new UsageError('--format csv: only sweeps have a CSV form (allowed: table, json, markdown, junit)');
          const report = mergeReports(reports, paths);
          text = FORMATS.run[flags.format](report, { color: flags.out === undefined && color, width: outputWidth() });
          table = FORMATS.run.table(report, { color, width: outputWidth() });
          exitCode = exitCodeOf(report);
        }
      } catch (error) {
        if (error instanceof MergeError) throw new UsageError(error.message);
        throw error;
      }
      emit(io, { output: flags, text, table, inputs: paths });
      if (sweep !== undefined) exitCode = sweepExit(io, sweep);
      setExit(exitCode);
    });
}
