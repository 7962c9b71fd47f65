// Small pieces the commands share: where output goes, and flag parsers.
import { setMaxListeners } from 'node:events';
import { UsageError } from '../errors.js';
import { availableParallelism } from 'node:os';
import type { Progress, RunOptions } from '../run/run-scenario.js';
import { writeReportFile } from './output.js';
import { progressBar } from './terminal.js';

/** Where a command writes; the real process streams in production, buffers in tests. */
export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** An abort signal raised by Ctrl-C (SIGINT) until `release` is called. */
export function interruptSignal(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  // Every pending task of the worker pool listens to it.
  setMaxListeners(0, controller.signal);
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  return { signal: controller.signal, release: () => void process.off('SIGINT', onInterrupt) };
}

/** Refuses modes that are not among the known ones. */
export function checkModes(requested: readonly string[] | undefined, known: readonly string[], where: string): void {
  for (const mode of requested ?? []) {
    if (!known.includes(mode))
      throw new UsageError(`--mode ${mode}: ${where} (allowed: ${[...new Set(known)].join(', ')})`);
  }
}

/** The flags that shape runs, as several commands take them. */
export interface RunFlagsCommon {
  profile?: string;
  mode?: string[];
  seed?: number;
  messages?: number;
  runs: number;
  workers?: number;
  shard?: [number, number];
}

/** Refuses seeds past the largest one --seed accepts (seed + runs - 1 must be a valid seed too). */
export function checkSeedRange(firstSeeds: readonly number[], runs: number): void {
  const last = Math.max(...firstSeeds) + runs - 1;
  if (last > 2 ** 31 - 1)
    throw new UsageError(
      `--runs ${runs}: the last seed would be ${last} (allowed: seeds up to 2147483647; pick a smaller --seed)`,
    );
}

/**
 * Below this many simulated messages in all (messages × runs, over every mode), the work stays in this thread
 * unless --workers asks otherwise: about a second of one core, which is about what starting a pool of threads
 * (each loading the simulator) costs. lost-acks (10,000 messages, 3 modes) on 2 cores, 2026-12-01: 10 runs took
 * 2.1 s in this thread and 2.2 s on 2 workers, with 2.8 and 3.8 s of CPU; 40 runs 4.2 s and 3.5 s.
 */
export const SMALL_JOB_MESSAGES = 300_000;

/**
 * Worker threads for `runs` runs of `messages` simulated messages in all: the number of cores by default (one
 * for a job under SMALL_JOB_MESSAGES), and never more than the cores or the runs (each thread holds its own
 * copy of the simulator: 256 threads for 4 runs took 2 GB). An explicit --workers above either is lowered,
 * with one line on stderr.
 */
export function workerCount(requested: number | undefined, runs: number, messages: number, io: Io): number {
  // The machine's cores, as run/execute.ts's defaultWorkers says (not imported: it loads the model and the pool).
  const cores = availableParallelism();
  if (requested === undefined && messages < SMALL_JOB_MESSAGES) return 1;
  const workers = Math.max(1, Math.min(requested ?? cores, cores, runs));
  if (requested !== undefined && workers < requested) {
    const why = workers === runs ? `one per run: ${runs} run(s)` : `one per core: this machine has ${cores}`;
    io.stderr(`acksim: --workers ${requested}: using ${workers} (at most ${why})\n`);
  }
  return workers;
}

/** Run options from the common flags; `workers` from `workerCount`. */
export function runOptionsFrom(flags: RunFlagsCommon, workers: number): RunOptions {
  const options: RunOptions = { runs: flags.runs, workers };
  if (flags.mode !== undefined) options.modes = flags.mode;
  if (flags.seed !== undefined) options.seed = flags.seed;
  if (flags.messages !== undefined) options.messages = flags.messages;
  if (flags.shard !== undefined) options.shard = flags.shard;
  return options;
}

/** What long work gets: Ctrl-C as a signal, a pause that lets the handler run, and a progress bar (on a TTY). */
export interface LongWork {
  signal: AbortSignal;
  pause: () => Promise<void>;
  progress?: (p: Progress) => Promise<void>;
}

/** The flags that say how progress is shown, as each long command declares them. */
export interface ProgressFlags {
  quiet?: boolean;
  progress?: boolean;
}

/** Runs long work with progress on stderr (a bar on a TTY, lines with --progress; none with --quiet) and Ctrl-C
 * handling. */
export async function longWork<T>(flags: ProgressFlags, work: (tools: LongWork) => Promise<T>): Promise<T> {
  const bar = progressBar({ quiet: flags.quiet, always: flags.progress });
  const { signal, release } = interruptSignal();
  try {
    const tools: LongWork = { signal, pause: () => new Promise((done) => setImmediate(done)) };
    if (bar !== undefined) tools.progress = bar.update;
    return await work(tools);
  } finally {
    bar?.stop();
    release();
  }
}

/** What a command emits: its output flags, the text in its format, and the table shown when that goes to --out. */
export interface Emission {
  output: { out?: string | undefined; force?: boolean | undefined; format: string };
  /** The output in the chosen format. */
  text: string;
  /** The table printed on stdout when `text` goes to --out in another format. */
  table: string;
  /** The files read, which --out may never replace. */
  inputs: readonly string[];
}

/** Where output goes: a file with --out (the table still printed), or stdout. */
export function emit(io: Io, { output, text, table, inputs }: Emission): void {
  if (output.out === undefined) {
    io.stdout(text);
    return;
  }
  writeReportFile({ flag: '--out', path: output.out, cwd: io.cwd, inputs, force: output.force === true }, text);
  if (output.format !== 'table') io.stdout(table);
  io.stderr(`written to ${output.out}\n`);
}
