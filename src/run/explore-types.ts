// What `explore` takes and returns: its bounds, the fault space, each mode's exploration with its
// guarantees and smallest counterexamples, and the default limits.
import type { UserCode } from '../model/handler.js';
import type { FaultChoice } from '../sim/choice.js';

/** A guarantee checked in every schedule. */
export interface GuaranteeResult {
  name: string;
  holds: boolean;
  /** Schedules in which it failed. */
  violations: number;
  /** The smallest schedule that breaks it. */
  counterexample?: { faults: FaultChoice[]; events: number };
}

/** Exploration of one mode. */
export interface ModeExploration {
  mode: string;
  schedules: number;
  /** True when the schedule limit stopped the search before the bound was covered. */
  complete: boolean;
  /** Most faults covered completely. */
  coveredFaults: number;
  /** Fault positions not tried because the run had reached a state explored before. */
  pruned: number;
  /** The bound that stopped the search before it covered `maxFaults` (absent when complete). */
  limit?: 'schedules' | 'time' | 'events';
  /**
   * With limit `events`: the schedule that stopped before every message was resolved, and how (`endedBy`:
   * maxEvents, its event limit; maxPending, a full event queue; horizon, the scenario's horizonMs).
   */
  unfinished?: { faults: FaultChoice[]; events: number; endedBy: string };
  /** True when the store of explored states was full, so later states were not remembered (less pruning, same
   * verdicts). */
  statesFull?: boolean;
  /**
   * Set when no fault position was explored at all, only the schedule without faults: `maxFaults`
   * (--max-faults 0) or `none` (the fault space has no decision point in this mode). A guarantee that
   * holds then holds without faults, which proves nothing about faults: the verdict is inconclusive.
   */
  noFaultExplored?: 'maxFaults' | 'none';
  guarantees: GuaranteeResult[];
}

/** The exploration of a scenario. */
export interface Exploration {
  scenario: string;
  file: string;
  seed: number;
  messages: number;
  maxFaults: number;
  faultSpace: FaultSpace;
  modes: ModeExploration[];
}

/**
 * Which faults are decision points: `all` every kind on every link and consumer (drop, duplicate,
 * crash before or after the effect, a stall past the visibility timeout), `scenario` only those the
 * scenario gives a chance.
 */
export type FaultSpace = 'all' | 'scenario';

/** Bounds of an exploration. */
export interface ExploreOptions {
  messages: number;
  maxFaults: number;
  maxSchedules: number;
  faultSpace: FaultSpace;
  /** Prune equal states (default true; off only to test that pruning changes no verdict). */
  prune?: boolean;
  modes?: readonly string[];
  seed?: number;
  /** Called as each mode starts; the function it returns says when that mode's time is up (no clock here). */
  timeLimit?: () => () => boolean;
  /** Most explored states remembered for pruning (default MAX_STATES). */
  maxStates?: number;
  /** Most events one schedule may run (default MAX_SCHEDULE_EVENTS; the scenario's maxEvents when lower). */
  maxEvents?: number;
  /** The user's consumer code (the library's `handler`), in every schedule. */
  handler?: UserCode | undefined;
}

/**
 * The most events one schedule runs by default. The longest schedule of the built-in scenarios takes
 * about 12,000 (a log consumer polling through a fault); a schedule that needs more loops, and costs
 * memory for every decision point it meets and time for every state it hashes.
 */
export const MAX_SCHEDULE_EVENTS = 100_000;

/** The most explored states remembered for pruning: about 100 MB. Past it, states are not remembered. */
export const MAX_STATES = 1_000_000;
