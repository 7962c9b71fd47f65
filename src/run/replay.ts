// Replaying a failure file: the scenario's mode re-run with exactly the file's faults, judged by the
// file's check, and the trace of the messages those faults hit.
import type { UserCode } from '../model/handler.js';
import type { Scenario, ScenarioMode } from '../scenario/types.js';
import { configuredFaults } from './aggregate.js';
import { judgeRuns, type RunsVerdict } from './checks.js';
import { describeFault, type FailureFile } from './failure-file.js';
import { finished } from './drive.js';
import { measure } from './metrics.js';
import { modeConfig, seededSimulation } from './prepare.js';
import { ExitCode } from './report.js';
import { checkOf, STATE_CHECK } from './user-code.js';
import { traceScenario, type TraceResult } from './trace.js';

/** A replayed failure: what ran, how its check came out, and the trace of the faults' messages. */
export interface Replay {
  failure: FailureFile;
  scenario: Scenario;
  mode: ScenarioMode;
  /** The check's expression, as the verdict's actual value is shown for it. */
  expr: string;
  verdict: RunsVerdict;
  trace: TraceResult;
}

/** Re-runs `failure` in `scenario`; a string says why it cannot be (a mode gone, a check that no longer parses). */
export async function replayFailure(
  failure: FailureFile,
  scenario: Scenario,
  handler?: UserCode,
): Promise<Replay | string> {
  const mode = scenario.modes.find((m) => m.mode.name === failure.mode);
  if (mode === undefined) return `scenario ${scenario.name} has no mode "${failure.mode}" any more`;
  const check = checkOf(failure.check);
  if (!check.ok) return check.message;
  if (check.check === STATE_CHECK && handler?.check === undefined)
    return "its check is the handler's check(state): give the handler that exports check (or the check option)";
  const config = modeConfig(scenario, failure.mode, { messages: failure.messages, handler });
  const result = await finished(seededSimulation(config, failure.seed, { faults: failure.faults }));
  // The rule of run for one run: no message produced, or a configured fault that never fired, and a
  // pass proves nothing (inconclusive); a failure is a failure whatever the faults.
  const record = { seed: failure.seed, fingerprint: '', latencyHistogram: '', ...measure(result) };
  const verdict = judgeRuns(check.check, [record], undefined, configuredFaults(mode.config, mode.mode));
  if (verdict.status === 'fail' && (record.stateCheck ?? '') !== '' && check.check === STATE_CHECK)
    verdict.reason = record.stateCheck;
  const ids = [...new Set(failure.faults.map((f) => f.a))].slice(0, 5);
  const trace = await traceScenario(scenario, {
    mode: failure.mode,
    seed: failure.seed,
    messages: failure.messages,
    faults: failure.faults,
    limit: 200,
    handler,
    ...(ids.length > 0 ? { messageIds: ids } : { anomalies: 1 }),
  });
  return { failure, scenario, mode, expr: check.check.expr, verdict, trace };
}

/** How a replay exits: like run, 1 when the check fails again. */
export function replayExitCode(replay: Replay): number {
  const status = replay.verdict.status;
  return status === 'fail' ? ExitCode.checkFailed : status === 'inconclusive' ? ExitCode.inconclusive : ExitCode.ok;
}

/**
 * The replayed faults in words, each with where a crash inside the handler fell, from the trace ("after
 * set('balance'), before set('charged:107')"; empty for any other fault).
 */
export function faultsInWords(replay: Replay): FaultInWords[] {
  const crashPoint = replay.mode.config.consumers.crash.point;
  return replay.failure.faults.map((fault) => {
    const crash = replay.trace.events.find(
      (e) => e.event === 'crash' && e.message === fault.a && e.detail?.startsWith(IN_HANDLER) === true,
    );
    const where = crash === undefined ? '' : crash.detail!.slice(IN_HANDLER.length);
    return { fault: describeFault(fault, crashPoint), where };
  });
}

/**
 * With a handler, what went wrong in it, one line per anomalous message of the replay: "your handler ran the
 * effect of #107 twice: the consumer crashed after set('balance') and before set('charged:107')".
 */
export function handlerStory(replay: Replay): string[] {
  return replay.trace.verdicts.flatMap(({ message: m, outcome, effects, cause }) => {
    if (outcome !== 'duplicated' && outcome !== 'lost') return [];
    const what =
      outcome === 'lost'
        ? `your handler's effect of #${m} never happened`
        : `your handler ran the effect of #${m} ${effects === 2 ? 'twice' : `${effects} times`}`;
    const crash = replay.trace.events.find(
      (e) => e.event === 'crash' && e.message === m && e.detail?.startsWith(IN_HANDLER) === true,
    );
    const why =
      crash === undefined
        ? cause === undefined
          ? ''
          : ` (cause ${cause})`
        : `: the consumer crashed ${crash.detail!.slice(IN_HANDLER.length).replace(/, before /, ' and before ')}`;
    return [`${what}${why}`];
  });
}

/** A fault in words, and where in the handler it fell (a crash inside it) or ''. */
export interface FaultInWords {
  fault: string;
  where: string;
}

/** How the trace's detail of a crash inside the handler starts (processing.ts). */
const IN_HANDLER = 'in the handler, ';
