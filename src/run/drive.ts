// Driving a simulation whose user handler may be asynchronous: when the run pauses for the handler's promise
// (Simulation.waiting), await it, then resume. Virtual time stands still meanwhile; the wall clock bounds the wait,
// so a promise that never settles fails the run in words instead of hanging it (or letting Node exit as if done).
import { UsageError } from '../errors.js';
import type { Simulation, SimulationResult } from '../model/simulation.js';
import { takeLate } from '../model/unsteady.js';

/** How long one handler call's promise may take to settle, in wall-clock ms. */
export const HANDLER_WAIT_MS = 10_000;

class Late extends UsageError {}

/** Awaits the handler's promise the run waits for (if any; at most `waitMs`), and resumes the run. */
export async function resumed(simulation: Simulation, waitMs = HANDLER_WAIT_MS): Promise<void> {
  const waiting = simulation.waiting;
  if (waiting === undefined) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    // The wall clock bounds a wait of the driver, outside the simulation (whose time stands still).
    // eslint-disable-next-line no-restricted-globals
    timer = setTimeout(() => {
      const call = simulation.waitingFor;
      reject(
        new Late(
          `handler: its promise for ${call} did not settle in ${waitMs / 1000} s of wall-clock time ` +
            '(allowed: a handler that awaits ctx operations, or other work that ends)',
        ),
      );
    }, waitMs);
  });
  let fulfilled = true;
  let reason: unknown;
  try {
    await Promise.race([waiting, late]);
  } catch (thrown) {
    if (thrown instanceof Late) {
      simulation.giveUp();
      throw thrown;
    }
    fulfilled = false;
    reason = thrown;
  } finally {
    clearTimeout(timer);
  }
  simulation.resume(fulfilled, reason);
}

/**
 * Steps the simulation by at most `budget` events (all that are left if omitted), awaiting its handler where it
 * pauses. True when the run has ended; false when the budget ran out, or after a pause (count on neither).
 */
export async function stepped(simulation: Simulation, budget?: number): Promise<boolean> {
  for (;;) {
    if (simulation.step(budget)) return true;
    if (simulation.waiting === undefined) return false;
    await resumed(simulation);
    if (budget !== undefined) return false;
  }
}

const LATE_WAIT_MS = 5;

/**
 * After the runs of a handler: lets the timers it left behind fire (a few ms of Node's loop), and fails in words if
 * one used a ctx after its run had ended. `forgetLate` first, at the start, so that an earlier caller's is not ours.
 */
export async function noLateUse(): Promise<void> {
  // A few ms: a timer of 0 ms set as the last run ended is due by then (Node makes it at least 1 ms).
  // eslint-disable-next-line no-restricted-globals
  await new Promise((resolve) => setTimeout(resolve, LATE_WAIT_MS));
  const late = takeLate();
  if (late !== undefined) throw late;
}

/** Forgets a use of a ctx after its run that came before now (see noLateUse). */
export function forgetLate(): void {
  takeLate();
}

/** Runs the simulation to its end, awaiting its handler where it pauses, and returns its result. */
export async function finished(simulation: Simulation): Promise<SimulationResult> {
  while (!(await stepped(simulation)));
  return simulation.result();
}
