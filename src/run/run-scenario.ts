// Runs each scenario in each of its modes with one seed, measures, and judges the checks.
import { SeededChoiceSource } from '../sim/choice.js';
import { InvariantError } from '../model/ledger.js';
import { Simulation } from '../model/simulation.js';
import type { Scenario, ScenarioCheck } from '../scenario/types.js';
import { judge, type CheckResult } from './checks.js';
import { measure } from './metrics.js';
import { FORMAT_VERSION, type ModeResult, type Report, type ScenarioResult } from './report.js';

/** Options of a run, as the command line gives them. */
export interface RunOptions {
  /** Overrides every scenario's seed. */
  seed?: number;
  /** Overrides every scenario's message count. */
  messages?: number;
  /** Runs only these modes (names). */
  modes?: readonly string[];
  /** Extra checks (from --check). */
  checks?: readonly ScenarioCheck[];
}

/** Progress of a long run, for a progress bar. */
export interface Progress {
  scenario: string;
  mode: string;
  /** Messages resolved, over all modes of all scenarios so far. */
  done: number;
  total: number;
}

/** Called between slices of work; may wait (to let a progress bar draw). */
export type ProgressHook = (progress: Progress) => void | Promise<void>;

const SLICE_EVENTS = 1 << 18;

function quote(arg: string): string {
  return /^[\w./:@=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/** The command that reproduces a scenario's run. */
export function reproduceCommand(scenario: Scenario, seed: number, options: RunOptions): string {
  const parts = ['acksim', 'run', quote(scenario.file), '--seed', String(seed)];
  if (options.messages !== undefined) parts.push('--messages', String(options.messages));
  for (const mode of options.modes ?? []) parts.push('--mode', quote(mode));
  return parts.join(' ');
}

/** The modes of a scenario that a run includes. */
export function selectedModes(scenario: Scenario, options: RunOptions): Scenario['modes'] {
  const wanted = options.modes;
  return wanted === undefined || wanted.length === 0 ? scenario.modes : scenario.modes.filter((m) => wanted.includes(m.mode.name));
}

/** Runs scenarios and returns the report. */
export async function runScenarios(scenarios: readonly Scenario[], options: RunOptions, onProgress?: ProgressHook): Promise<Report> {
  const total = scenarios.reduce((sum, s) => sum + selectedModes(s, options).length * (options.messages ?? s.config.messages), 0);
  let done = 0;
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const seed = options.seed ?? scenario.seed;
    const modes = selectedModes(scenario, options);
    if (modes.length === 0) continue;
    const modeResults: ModeResult[] = [];
    for (const { mode, config } of modes) {
      const messages = options.messages ?? config.messages;
      const simulation = new Simulation({ ...config, messages, mode }, new SeededChoiceSource(seed));
      let measured;
      try {
        if (onProgress === undefined) {
          simulation.step();
        } else {
          while (!simulation.step(SLICE_EVENTS)) {
            await onProgress({ scenario: scenario.name, mode: mode.name, done: done + simulation.resolved, total });
          }
        }
        measured = measure(simulation.result());
      } catch (error) {
        // Name the run that broke the model so it can be replayed.
        if (error instanceof InvariantError) {
          throw new InvariantError(`${error.message} (scenario ${scenario.name}, mode ${mode.name}, seed ${seed}, ${messages} messages)`);
        }
        throw error;
      }
      done += messages;
      const checks: CheckResult[] = [...scenario.checks, ...(options.checks ?? [])]
        .filter((c) => c.mode === undefined || c.mode === mode.name)
        .map((c) => ({ expr: c.check.expr, mode: mode.name, source: c.source, ...okStatus(judge(c.check, measured)) }));
      modeResults.push({ mode: mode.name, ...measured, checks });
    }
    results.push({
      name: scenario.name,
      file: scenario.file,
      summary: scenario.summary,
      seed,
      messages: options.messages ?? scenario.config.messages,
      reproduce: reproduceCommand(scenario, seed, options),
      results: modeResults,
    });
  }
  const report: Report = { formatVersion: FORMAT_VERSION, ok: true, scenarios: results };
  report.ok = results.every((s) => s.results.every((r) => r.checks.every((c) => c.status === 'pass')));
  return report;
}

function okStatus(judged: ReturnType<typeof judge>): Pick<CheckResult, 'status' | 'ok' | 'actual'> {
  return { status: judged.status, ok: judged.status === 'pass', actual: judged.actual };
}
