// The scenario a command works on, and the lines file it writes beside it: apart from common.ts, so that a command
// that reads no scenario (audit, merge) does not load the scenario reader (YAML, the schema's validator).
import { ScenarioError } from '../errors.js';
import { expandPaths, loadScenarios } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import type { Io } from './common.js';
import { checkTarget, type Target } from './output.js';

/** Loads the one scenario a command works on (a file or a built-in name), refusing bad input. */
export function loadOne(path: string, io: Io, profile?: string): Scenario {
  const { scenarios, issues } = loadScenarios([path], io.cwd, profile === undefined ? {} : { profile });
  if (issues.length > 0) throw new ScenarioError(issues);
  return scenarios[0]!;
}

/**
 * The lines file a command writes beside one scenario (`--out`, `--events`), checked before any work:
 * never the scenario itself, never through a link, never over a file acksim did not write unless forced.
 * Undefined when the flag was not given.
 */
export function linesTarget(
  flag: string,
  path: string | undefined,
  scenarioPath: string,
  io: Io,
  force: boolean | undefined,
): Target | undefined {
  if (path === undefined) return undefined;
  const target = { flag, path, cwd: io.cwd, inputs: expandPaths([scenarioPath], io.cwd).files, force: force === true };
  checkTarget(target, 'lines');
  return target;
}
