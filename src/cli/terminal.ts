// What the terminal can do: colour, progress bars.
import cliProgress from 'cli-progress';
import type { Progress } from '../run/run-scenario.js';

/** True when stdout should get colour: a TTY, NO_COLOR unset, and not turned off by --no-color. */
export function useColor(flag: boolean | undefined, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined) return process.env.FORCE_COLOR !== '0';
  return stream.isTTY === true;
}

/** A progress bar on stderr, shown only on a TTY; call `update` between slices and `stop` at the end. */
export function progressBar(quiet: boolean): { update: (p: Progress) => Promise<void>; stop: () => void } | undefined {
  if (quiet || process.stderr.isTTY !== true) return undefined;
  let bar: cliProgress.SingleBar | undefined;
  return {
    update: async (p) => {
      if (bar === undefined) {
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
