// The options several commands share, each declared once: a command opts in with `.addOption(xOption())`,
// passing its own wording or limit where it differs. A new shared option is one builder here.
import { Option } from 'commander';
import { UsageError } from '../errors.js';
import { PROFILE_NAMES } from '../scenario/profiles.js';

/** The largest seed: seeds are 31-bit. */
export const MAX_SEED = 2 ** 31 - 1;

/** A commander parser for an integer flag within [min, max]. */
export function integer(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new UsageError(`${flag} ${value}: not an integer in ${min}..${max}`);
    }
    return n;
  };
}

/** A commander collector for repeatable, comma-separated values. */
export function list(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  ];
}

/** A commander parser for --shard i/n (1 <= i <= n). */
export function parseShard(value: string): [number, number] {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count || count > 100000) {
    throw new UsageError(`--shard ${value}: not i/n with 1 <= i <= n (e.g. 2/4)`);
  }
  return [index, count];
}

/** `--seed <n>`: the seed of every random choice. */
export function seedOption(description = 'seed (overrides the scenario)'): Option {
  return new Option('--seed <n>', description).argParser(integer('--seed', 0, MAX_SEED));
}

/** `--messages <n>`: messages to run, within the command's own limit (`max`, and `min` 0 unless given). */
export function messagesOption(
  max: number,
  description = 'messages (overrides the scenario)',
  limits: { min?: number; default?: number } = {},
): Option {
  const option = new Option('--messages <n>', description).argParser(integer('--messages', limits.min ?? 0, max));
  return limits.default === undefined ? option : option.default(limits.default);
}

/** `--mode <name>`: repeatable, comma-separated delivery modes. */
export function modeOption(description = 'only these modes (repeat, or separate with commas)'): Option {
  return new Option('--mode <name>', description).argParser(list);
}

/** `--profile <name>`: swap a broker profile into the scenario. */
export function profileOption(): Option {
  return new Option(
    '--profile <name>',
    "swap in a broker profile (see acksim profiles); the scenario's own fields still win",
  ).choices(PROFILE_NAMES);
}

/** `--format <format>`: one of the command's output formats, `table` by default. */
export function formatOption(names: readonly string[], description = 'output format'): Option {
  return new Option('--format <format>', description).choices(names).default('table');
}

/** `--out <file>`: write the output to a file. */
export function outOption(description = 'write the report to a file (the table still goes to stdout)'): Option {
  return new Option('--out <file>', description);
}

/** `--force`: let an output flag replace a file it would otherwise refuse. */
export function forceOption(description = 'let --out replace a file that is not an acksim report'): Option {
  return new Option('--force', description);
}

/** `--no-color`: no colour even on a terminal. */
export function noColorOption(description = 'no colour, even on a terminal'): Option {
  return new Option('--no-color', description);
}

/** `--runs <n>`: runs per case, seeds seed, seed+1, ... */
export function runsOption(description: string, max: number): Option {
  return new Option('--runs <n>', description).argParser(integer('--runs', 1, max)).default(1);
}

/** `--workers <n>`: worker threads for many runs. */
export function workersOption(
  description = 'worker threads (default: the number of cores; none for a small job)',
): Option {
  return new Option('--workers <n>', description).argParser(integer('--workers', 1, 256));
}

/** `--shard <i/n>`: run only the i-th of n slices. */
export function shardOption(description: string): Option {
  return new Option('--shard <i/n>', description).argParser(parseShard);
}

/** `--quiet`: no progress at all. */
export function quietOption(): Option {
  return new Option('--quiet', 'no progress bar');
}

/** `--progress`: progress lines on stderr even when it is not a terminal (a CI log, a pipe). */
export function progressOption(): Option {
  return new Option('--progress', 'show progress on stderr even when it is not a terminal (a line every few seconds)');
}
