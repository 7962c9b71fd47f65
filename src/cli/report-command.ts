// `acksim report`: turns a JSON report acksim wrote (any kind: run, runs, audit, compare, sweep, explore, live) into
// another format; today the self-contained HTML page (issue 18 §2). The report is checked against its schema first,
// like every file acksim reads back.
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { fromCwd, readJsonFile, REPORT_MAX_BYTES } from '../input-file.js';
import { causeGlosses } from '../run/cause-glossary.js';
import { reportProblems } from '../run/document-problems.js';
import { emit, type Io } from './common.js';
import { forceOption, outOption } from './options.js';
import { checkTarget } from './output.js';
import { RUN_FORMATS } from './run-formats.js';

interface ReportFlags {
  format: 'html';
  out?: string;
  force?: boolean;
}

const EXAMPLES = `
Examples:
  $ acksim run scenarios/ --time-series --format json --out report.json
  $ acksim report report.json --format html --out report.html

The page shows what the report holds: time series charts need a report written with --time-series
(acksim run --format html samples them itself, and adds the scenarios' faults and message timelines).`;

/** Registers `acksim report`. */
export function reportCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('report')
    .description('turn a JSON report acksim wrote into a self-contained HTML page')
    .argument('<report>', 'a JSON report written by acksim (run, audit, compare, sweep, explore or live)')
    .addOption(new Option('--format <format>', 'output format').choices(['html']).default('html'))
    .addOption(outOption())
    .addOption(forceOption())
    .addHelpText('after', EXAMPLES)
    .action((path: string, flags: ReportFlags) => {
      if (flags.out !== undefined)
        checkTarget(
          { flag: '--out', path: flags.out, cwd: io.cwd, inputs: [path], force: flags.force === true },
          'report',
        );
      const read = readJsonFile(fromCwd(io.cwd, path), REPORT_MAX_BYTES);
      if (!read.ok) throw new UsageError(`${path}: cannot read a JSON report (${read.message})`);
      const problems = reportProblems(read.value);
      if (problems.length > 0) throw new UsageError(`${path}: not a JSON report acksim wrote`, problems);
      const text = RUN_FORMATS.html(read.value as object, { page: { glossary: causeGlosses() } });
      emit(io, { output: { ...flags, format: 'html' }, text, table: '', inputs: [path] });
      setExit(0);
    });
}
