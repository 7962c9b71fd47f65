// The text of `acksim replay`: what was replayed, its faults, the trace of the messages they hit, and
// whether the check fails again.
import { escapeControls } from '../safe-text.js';
import { Chalk } from 'chalk';
import { faultsInWords, type Replay } from '../run/replay.js';
import { actualValue } from './format.js';
import { formatLanes } from './trace.js';

/** A replayed failure as text, coloured on a terminal. */
export function formatReplay(replay: Replay, options: { color: boolean }): string {
  const { failure, scenario, verdict } = replay;
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const lines = [
    chalk.bold(`replay ${scenario.name} · ${failure.mode} · seed ${failure.seed} · ${failure.messages} messages`),
    `faults (${failure.faults.length}, shrunk from ${failure.originalFaults}; every other choice fault-free):`,
    ...faultsInWords(replay).flatMap(({ fault, where }) => [`  ${fault}`, ...(where === '' ? [] : [`    ${where}`])]),
    '',
    formatLanes(replay.trace, { color: options.color }),
  ];
  const actual = actualValue(replay.expr, verdict.actual);
  if (verdict.status === 'fail') {
    const why = verdict.reason === undefined ? '' : `: ${escapeControls(verdict.reason)}`;
    lines.push(chalk.red(`✗ ${failure.mode}: ${failure.check} fails again (actual ${actual}${why})`));
  } else if (verdict.status === 'inconclusive') {
    const reason = verdict.reason ?? 'messages were still unresolved when the run stopped';
    lines.push(
      chalk.yellow(
        `? ${failure.mode}: ${failure.check} is inconclusive (actual ${actual}; ${reason}): the failure did not reproduce`,
      ),
    );
  } else {
    lines.push(
      chalk.green(`✓ ${failure.mode}: ${failure.check} holds (actual ${actual}): the failure did not reproduce`),
    );
  }
  return `${lines.join('\n')}\n`;
}
