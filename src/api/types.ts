// The library's option and result types (index.ts has the functions). What the results hold is the JSON
// report's (docs/report-format.md); what the options mean is docs/api.md's.
import type { Exploration } from '../run/explore.js';
import type { FailureFile } from '../run/failure.js';
import type { Report, ScenarioResult, ScenarioRunsResult } from '../run/report.js';
import type { Handler, PayloadGenerator } from '../run/prepare.js';

/** A report's verdict in a word: what its exit code means. */
export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'interrupted';

/** What `simulate` runs. */
export interface SimulateOptions {
  /** The delivery modes to run, by name: every mode of the scenario by default. */
  mode?: string | readonly string[];
  /** The seed of every random choice (the scenario's by default); with `runs`, the first of seed, seed + 1, ... */
  seed?: number;
  /** Messages to send (the scenario's by default). */
  messages?: number;
  /** Runs per mode (1 by default): more give means, intervals and the worst seed, as `--runs` does. */
  runs?: number;
  /** Worker threads for many runs (1 by default: this thread). */
  workers?: number;
  /**
   * Whether the scenario's own checks are judged: by default yes, but not with a handler (they were written for
   * the built-in consumer); a handler's run judges `checks`, and without them `lost == 0` and `duplicates == 0`.
   */
  scenarioChecks?: boolean;
  /** Checks beside the scenario's own, as `--check` takes them: "lost == 0", "at-least-once:duplicateRate < 1%". */
  checks?: readonly string[];
  /** Shrink each mode's first failed check to its fewest faults (true by default). */
  shrink?: boolean;
  /**
   * Run every seed twice and fail on any difference (`--check-determinism`): a handler that reads the wall clock or
   * chance, or keeps state outside ctx.store, fails it, with the message where the two runs first parted.
   */
  checkDeterminism?: boolean;
  /**
   * Sample each mode's run on virtual time into `timeSeries` in its result (`--time-series`): true for the default
   * interval, or `{ sampleMs }`. One run per mode (not with `runs` above 1); the run itself is unchanged.
   */
  timeSeries?: boolean | { sampleMs: number };
  /** Time allowed to shrink each failure, in ms (30,000 by default; cut short, a shrink is smaller, maybe not
   * minimal). */
  shrinkBudgetMs?: number;
  /** Stops the runs; the result then holds what finished (`interrupted`). */
  signal?: AbortSignal;
  /** The folder a relative scenario path is read from. */
  cwd?: string;
  /** Your consumer code, run where the consumer's effect is, under every fault of the scenario (docs/api.md). */
  handler?: Handler;
  /** Makes each message's payload for the handler. */
  payload?: PayloadGenerator;
  /**
   * How the handler's effects count: 'auto' (the default), one per call that returns while it has never called
   * ctx.effect(), and only ctx.effect() calls from its first one on; 'counted', only ctx.effect() calls.
   */
  effects?: 'auto' | 'counted';
  /**
   * Your invariant over the final store (a plain object of its keys): true when it holds, false or a text saying
   * what is wrong when not. Judged as the check `check(state)` in every run (and by explore, shrink and replay).
   */
  check?: (state: Record<string, unknown>) => unknown;
}

/** A failed check shrunk to its fewest faults: replay it with `replay(failure)` or `acksim replay <file>`. */
export interface ShrunkFailure {
  scenario: string;
  mode: string;
  check: string;
  seed: number;
  /** Each fault in words: "ack of #0 (delivery 0): dropped". */
  faults: string[];
  /** For each fault, where in the handler a crash fell ("after set('balance'), before set('charged:7')"), or ''. */
  crashes: string[];
  /**
   * With a handler, what went wrong in it, one line per anomalous message of the replay: "your handler ran the
   * effect of #107 twice: the consumer crashed after set('balance') and before set('charged:107')".
   */
  story: string[];
  /** What a failure file holds (`acksim replay` reads it once written as JSON). */
  failure: FailureFile;
  /** The name `acksim run` would write it under, in acksim-failures/. */
  fileName: string;
  /** True when the shrink budget ran out first. */
  budgetHit: boolean;
}

/** What `simulate` found. */
export interface SimulateResult {
  /** True when every check passed and something was tested (exit code 0). */
  ok: boolean;
  verdict: Verdict;
  /** The exit code `acksim run` gives for the same run. */
  exitCode: number;
  /** The scenario's results, as the JSON report holds them (per mode: metrics, causes, checks, fingerprint). */
  result: ScenarioResult | ScenarioRunsResult | undefined;
  /** The whole report, byte for byte what `acksim run --format json` prints for the same run. */
  report: Report;
  /** Each mode's first failed check, shrunk (with `shrink`). */
  failures: ShrunkFailure[];
  /** Failed checks not shrunk, and why. */
  notShrunk: string[];
  /** What the handler threw, by message (each failed delivery is nacked, as a failed processing is). */
  handlerErrors: HandlerError[];
}

/** A message whose handler threw, what it threw first, and how many of its deliveries did. */
export interface HandlerError {
  id: number;
  delivery: number;
  error: string;
  count: number;
}

/** What replaying a failure found. */
export interface ReplayResult {
  /** The failure's check on the replayed run: 'fail' when it fails again. */
  status: 'pass' | 'fail' | 'inconclusive';
  /** The metric's value in the replayed run, as the check reads it. */
  actual: number | undefined;
  /** The exit code `acksim replay` gives. */
  exitCode: number;
}

/** What `explore` runs: every fault schedule within the bounds, as `acksim explore` does. */
export interface ExploreOptions {
  /** The delivery modes to explore, by name: every mode of the scenario by default. */
  mode?: string | readonly string[];
  /** The seed of the timings (the scenario's by default). */
  seed?: number;
  /** Messages in each schedule (2 by default: the space grows fast). */
  messages?: number;
  /** Most faults in one schedule (3 by default). */
  maxFaults?: number;
  /** Stop a mode after this many schedules (200,000 by default) and say what was covered. */
  maxSchedules?: number;
  /** Stop a mode after this many seconds (60 by default) and say what was covered. */
  maxSeconds?: number;
  /** 'all': every fault kind everywhere (the default); 'scenario': only faults the scenario gives a chance. */
  faultSpace?: 'all' | 'scenario';
  handler?: Handler;
  payload?: PayloadGenerator;
  effects?: 'auto' | 'counted';
  /** Your invariant over the final store (see SimulateOptions.check): a guarantee like no loss. */
  check?: (state: Record<string, unknown>) => unknown;
  /** The folder a relative scenario path is read from. */
  cwd?: string;
}

/** What `explore` found. */
export interface ExploreResult {
  /**
   * 'pass': no loss and no duplicate (and the scenario's checks, without a handler) in any schedule, every bound
   * covered; 'fail': some schedule broke one; 'inconclusive': a limit stopped the search short, or no fault was
   * explored.
   */
  verdict: 'pass' | 'fail' | 'inconclusive';
  /** What `acksim explore --format json` prints: per mode, the schedules, what was pruned, each guarantee and its
   * smallest counterexample. */
  exploration: Exploration;
}
