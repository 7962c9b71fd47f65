// The command line: builds the commands, runs one, and is the one place that turns errors into
// messages and exit codes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { Command, CommanderError } from 'commander';
import { AcksimError, InvariantError, UsageError, formatIssue } from '../errors.js';
import { redactUrls } from '../live/broker-url.js';
import { safeText } from '../safe-text.js';
import { ExitCode } from '../run/report.js';
import type { Command as CommandType } from 'commander';
import type { Io } from './common.js';
import { displayWidth, wrapLine, wrapText } from '../report/wrap.js';
import { outputWidth } from './terminal.js';

const packageJson = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };

/** The version of acksim. */
export const VERSION = packageJson.version;

const EXAMPLES = `
Examples:
  $ acksim tour                         a few lessons, in a few lines each
  $ acksim list                         the built-in scenarios
  $ acksim show lost-acks               one of them: lesson, modes, faults, checks
  $ acksim run --all                    run them all in every delivery mode
  $ acksim run lost-acks --seed 7       one of them, another seed
  $ acksim init my-queue --from lost-acks
      your own scenario, to edit
  $ acksim validate my-scenario.yaml    check a scenario file
  $ acksim run lost-acks --runs 100     means, 95% intervals, worst seed
  $ acksim compare lost-deliveries      modes side by side, message by message
  $ acksim explore lost-acks            every schedule of at most 3 faults
  $ acksim sweep lost-acks --param network.ack.loss=0:0.1:0.01
      a curve per mode
  $ acksim trace lost-acks              the life of the first anomalies
  $ acksim explain lossy-publish --duplicated
      why, in plain words
  $ acksim audit events.jsonl --check 'lost == 0'
      the same report for a real system's event log
  $ acksim run my.yaml --check 'at-least-once:lost == 0' --format junit
      --out acksim.xml

Exit codes: 0 ok, 1 a check failed, 2 bad input or usage, 3 inconclusive,
  130 interrupted.
Docs: README.md and docs/ in the package.`;

/** Builds one command: its options, help and action. */
type MakeCommand = (io: Io, setExit: (code: number) => void) => CommandType;

/**
 * Every command, in the order help lists them, each loaded only when needed: a command's module (and what
 * its action needs) is imported when that command runs, so `acksim --version` or `acksim list` does not load
 * the whole program (issue 15: start-up time).
 */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<MakeCommand>]> = [
  ['tour', async () => (await import('./tour-command.js')).tourCommand],
  ['run', async () => (await import('./run-command.js')).runCommand],
  ['compare', async () => (await import('./compare-command.js')).compareCommand],
  ['sweep', async () => (await import('./sweep-command.js')).sweepCommand],
  ['trace', async () => (await import('./trace-command.js')).traceCommand],
  ['explain', async () => (await import('./explain-command.js')).explainCommand],
  ['explore', async () => (await import('./explore-command.js')).exploreCommand],
  ['replay', async () => (await import('./replay-command.js')).replayCommand],
  ['audit', async () => (await import('./audit-command.js')).auditCommand],
  ['live', async () => (await import('./live-command.js')).liveCommand],
  ['merge', async () => (await import('./merge-command.js')).mergeCommand],
  ['report', async () => (await import('./report-command.js')).reportCommand],
  ['validate', async () => (await import('./validate-command.js')).validateCommand],
  ['list', async () => (await import('./list-command.js')).listCommand],
  ['init', async () => (await import('./init-command.js')).initCommand],
  ['show', async () => (await import('./show-command.js')).showCommand],
  ['profiles', async () => (await import('./profiles-command.js')).profilesCommand],
  ['schema', async () => (await import('./schema-command.js')).schemaCommand],
];

/** Runs the command line; returns the exit code. */
export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  // Commander's own errors quote the command line: escaped and redacted like everything echoed.
  // Help is laid out for the terminal's width; what commander cannot wrap (examples) is wrapped here.
  const width = outputWidth();
  const output = {
    writeOut: (text: string) => io.stdout(helpText(text, width)),
    writeErr: io.stderr,
    outputError: (text: string, write: (text: string) => void) => write(echoed(text)),
  };
  const program = new Command('acksim')
    .description('Deterministic simulator of message delivery semantics: loss, duplicates and retries, and why.')
    .version(VERSION, '-V, --version')
    .configureOutput(output)
    .configureHelp({ helpWidth: width })
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText('after', EXAMPLES);
  for (const make of await commandsFor(argv)) {
    program.addCommand(make(io, setExit).exitOverride().configureOutput(output).configureHelp({ helpWidth: width }));
  }
  try {
    await program.parseAsync(argv, { from: 'node' });
    // A ctx the user's handler used after its runs had ended (a timer it left behind) fails any command.
    if (argv.some((arg) => arg === '--handler' || arg.startsWith('--handler='))) {
      const { noLateUse } = await import('../run/drive.js');
      await noLateUse();
    }
    return exitCode;
  } catch (error) {
    return report(error, io);
  }
}

/**
 * The commands this command line needs: the one it names first (`acksim run ...`, `acksim help run`), none for
 * `--version` alone, and every one otherwise (top-level help, an option before the command, an unknown command
 * and its suggestion), so what commander prints is the same as with every command registered.
 */
async function commandsFor(argv: readonly string[]): Promise<MakeCommand[]> {
  const words = argv.slice(2);
  if (words.length > 0 && words.every((word) => word === '-V' || word === '--version')) return [];
  const named = words[0] === 'help' ? words[1] : words[0];
  const entry = COMMANDS.find(([name]) => name === named);
  return entry === undefined ? loadAll() : [await entry[1]()];
}

function loadAll(): Promise<MakeCommand[]> {
  return Promise.all(COMMANDS.map(([, load]) => load()));
}

/**
 * Help wrapped to `width`. Commander lays out its own part (usage, options) for the width; the text after
 * it (from "Examples:") is ours: an example's command continues 4 columns in, and a paragraph (hand-broken
 * lines up to a blank line, an example or the next "Section:") is joined and wrapped again.
 */
function helpText(text: string, width: number): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^Examples:/.test(line));
  if (start < 0) return wrapText(text, width);
  const out = lines.slice(0, start).flatMap((line) => wrapLine(line, width));
  const example = (line: string) => /^\s*\$ /.test(line);
  const opens = (line: string) => line.trim() === '' || example(line) || /^[A-Z][\w -]*:/.test(line);
  for (let i = start; i < lines.length; i++) {
    let line = lines[i]!;
    // An example too wide with its comment beside it gets the comment on the line below.
    const commented = /^(\s*\$ .*?\S) {2,}(\S.*)$/.exec(line);
    if (commented !== null && displayWidth(line) > width) {
      out.push(...wrapLine(commented[1]!, width, { hang: 4 }), ...wrapLine(`      ${commented[2]!}`, width));
      continue;
    }
    if (example(line) || line.trim() === '') {
      out.push(...wrapLine(line, width, { hang: 4 }));
      continue;
    }
    while (i + 1 < lines.length && !opens(lines[i + 1]!) && !line.endsWith(':')) line += ` ${lines[++i]!.trim()}`;
    out.push(...wrapLine(line, width, { hang: 2 }));
  }
  return out.join('\n');
}

/** Commander's message, each line with control characters escaped, long values cut and passwords redacted. */
function echoed(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return `${lines.map((line) => safeText(redactUrls(line), 600)).join('\n')}\n`;
}

function report(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message; help and version are not errors.
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    )
      return ExitCode.ok;
    if (error.code === 'commander.executeSubCommandAsync') return ExitCode.ok;
    return ExitCode.badInput;
  }
  if (error instanceof AcksimError) {
    if (error.issues.length > 0) for (const issue of error.issues) io.stderr(`${formatIssue(issue)}\n`);
    else io.stderr(`acksim: ${safeText(redactUrls(error.message), 600)}\n`);
    // Each line escaped on its own: the line breaks between them are ours, any inside them the input's.
    if (error instanceof UsageError)
      for (const line of error.details) io.stderr(`${safeText(redactUrls(line), 600)}\n`);
    return error.exitCode;
  }
  const message = safeText(redactUrls(error instanceof Error ? error.message : String(error)), 600);
  const kind = error instanceof InvariantError ? 'broken invariant' : 'internal error';
  io.stderr(
    `acksim: ${kind}: ${message}\n  This is a bug in acksim, not in your input. Please report it with the command line (seed included).\n`,
  );
  if (process.env.ACKSIM_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return ExitCode.internal;
}

function defaultIo(): Io {
  // A closed pipe (acksim ... | head) is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  return {
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  };
}
