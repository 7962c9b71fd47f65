// What the terminal can do: colour, progress bars.
import type { SingleBar } from 'cli-progress';
import type { Progress } from '../run/run-scenario.js';
import { DEFAULT_WIDTH, MIN_WIDTH } from '../report/wrap.js';

/**
 * The columns to print at: the terminal's width on a TTY, else COLUMNS when set (a CI log, `COLUMNS=80`),
 * else 80. Never below MIN_WIDTH, where no layout has room for its text.
 */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  const fromTerminal = stream.isTTY === true ? stream.columns : undefined;
  const fromEnv = Number(process.env.COLUMNS);
  const width =
    fromTerminal !== undefined && fromTerminal > 0
      ? fromTerminal
      : Number.isInteger(fromEnv) && fromEnv > 0
        ? fromEnv
        : DEFAULT_WIDTH;
  return Math.max(MIN_WIDTH, width);
}

/** True when stdout should get colour: a TTY, NO_COLOR unset, and not turned off by --no-color. */
export function useColor(flag: boolean | undefined, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined) return process.env.FORCE_COLOR !== '0';
  return stream.isTTY === true;
}

/** How progress is shown: not at all (--quiet), as a bar on a terminal, or as lines anywhere (--progress). */
export interface ProgressChoice {
  quiet?: boolean | undefined;
  /** Show progress even when stderr is not a terminal: a line when work starts, then every few seconds. */
  always?: boolean | undefined;
}

/** A progress display on stderr: a bar on a TTY, lines with --progress; call `update` between slices and `stop` at the
 * end. */
export function progressBar(
  choice: ProgressChoice,
): { update: (p: Progress) => Promise<void>; stop: () => void } | undefined {
  if (choice.quiet === true) return undefined;
  if (process.stderr.isTTY !== true) return choice.always === true ? progressLines() : undefined;
  let bar: SingleBar | undefined;
  return {
    update: async (p) => {
      if (bar === undefined) {
        // Loaded with the first bar, not with every command.
        const { default: cliProgress } = await import('cli-progress');
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: ' {bar} {percentage}% | ETA {eta_formatted} | {scenario} · {mode}',
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total, p.done, { scenario: p.scenario, mode: p.mode });
      }
      bar.update(p.done, { scenario: p.scenario, mode: p.mode });
      await new Promise((done) => setImmediate(done));
    },
    stop: () => bar?.stop(),
  };
}

/** The seconds between two progress lines. */
const LINE_EVERY_MS = 5000;

/** Progress as plain lines (a log, a pipe): the first update at once, then one every few seconds. */
function progressLines(): { update: (p: Progress) => Promise<void>; stop: () => void } {
  let last = -Infinity;
  return {
    update: async (p) => {
      const now = performance.now();
      if (now - last >= LINE_EVERY_MS) {
        last = now;
        const percent = p.total === 0 ? 100 : Math.floor((100 * p.done) / p.total);
        process.stderr.write(`progress: ${percent}% (${p.done} of ${p.total}) · ${p.scenario} · ${p.mode}\n`);
      }
      await new Promise((done) => setImmediate(done));
    },
    stop: () => undefined,
  };
}
