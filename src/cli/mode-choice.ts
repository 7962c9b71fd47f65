// The mode `trace` and `explain` work on: --mode when given, else the first mode with an anomaly the
// request is about (said in one line on stderr); and the message ids they accept.
import type { UserCode } from '../run/prepare.js';
import { UsageError } from '../errors.js';
import { firstAnomalousMode } from '../run/first-anomaly.js';
import { modeConfig } from '../run/prepare.js';
import { safeText } from '../safe-text.js';
import type { Scenario } from '../scenario/types.js';
import { checkModes, type Io } from './common.js';

/** The flags that choose a mode and a run. */
export interface ModeFlags {
  mode?: string;
  seed?: number;
  messages?: number;
  message?: number[];
}

/** Refuses message ids past the run's last message (exit 2, with the allowed range). */
function checkMessageIds(scenario: Scenario, ids: readonly number[], count: number): void {
  const outside = ids.find((m) => m >= count);
  if (outside === undefined) return;
  const allowed = count === 0 ? 'none: the run sends no message' : `0..${count - 1}`;
  throw new UsageError(
    `--message ${outside}: ${safeText(scenario.name)} sends ${count} messages (allowed: ${allowed})`,
  );
}

/**
 * The mode to show. Without --mode, the first mode (in the scenario's order) where a message of the
 * request was lost or duplicated; when none was, a usage error listing the modes.
 */
export async function chooseMode(
  scenario: Scenario,
  flags: ModeFlags,
  want: { lost: boolean; duplicated: boolean },
  io: Io,
  handler?: UserCode,
): Promise<string> {
  const modes = scenario.modes.map((m) => m.mode.name);
  const counts = modes.map((mode) => modeConfig(scenario, mode, { messages: flags.messages }).messages);
  if (flags.mode !== undefined) {
    checkModes([flags.mode], modes, `not a mode of ${scenario.name}`);
    checkMessageIds(
      scenario,
      flags.message ?? [],
      modeConfig(scenario, flags.mode, { messages: flags.messages }).messages,
    );
    return flags.mode;
  }
  checkMessageIds(scenario, flags.message ?? [], Math.max(...counts));
  const request = {
    lost: want.lost,
    duplicated: want.duplicated,
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.messages === undefined ? {} : { messages: flags.messages }),
    ...(flags.message === undefined ? {} : { messageIds: flags.message }),
    handler,
  };
  const what = [want.lost ? 'lost' : '', want.duplicated ? 'duplicated' : ''].filter((s) => s !== '').join(' or ');
  const which =
    flags.message === undefined
      ? `a ${what} message`
      : `message ${flags.message.map((m) => `#${m}`).join(', ')} ${what}`;
  const mode = await firstAnomalousMode(scenario, request);
  const seed = flags.seed ?? scenario.seed;
  if (mode === undefined)
    throw new UsageError(
      `no mode of ${safeText(scenario.name)} has ${which} (seed ${seed}); pick one with --mode (allowed: ${modes.join(', ')})`,
    );
  checkMessageIds(scenario, flags.message ?? [], modeConfig(scenario, mode, { messages: flags.messages }).messages);
  const others = modes.filter((m) => m !== mode);
  io.stderr(
    `mode: ${mode}, the first with ${which}${others.length === 0 ? '' : ` (--mode picks another: ${others.join(', ')})`}\n`,
  );
  return mode;
}
