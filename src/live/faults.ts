// The scenario's faults in a live run: drops drawn from the seed per message and attempt, scheduled
// partitions, and consumer crashes (the scheduled ones, and how much longer than restartMs each restart took).
import type { LinkName, SimulationConfig } from '../model/config.js';
import { SeededChoiceSource } from '../sim/choice.js';
import type { LiveClock } from './clock.js';

/** The fault decisions of one live run, and its consumers' crashes and restarts. */
export class LiveFaults {
  /** The seeded choices: every fault drawn, and the processing times. */
  readonly choices: SeededChoiceSource;
  /** Scheduled partitions: [link, from, to] in virtual ms. */
  private readonly partitions: Array<[LinkName, number, number]> = [];
  /** Per consumer: what ends its running incarnation at a scheduled crash, and until when it is down (virtual ms). */
  private readonly killers = new Map<number, () => void>();
  private readonly downUntil = new Map<number, number>();
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  /** When each consumer last crashed at a delivery (real ms), and what its restarts cost beyond restartMs. */
  private readonly crashedAt = new Map<number, number>();
  private restartOverheadMs = 0;
  private restarts = 0;

  constructor(
    private readonly config: SimulationConfig,
    private readonly clock: LiveClock,
    seed: number,
  ) {
    this.choices = new SeededChoiceSource(seed);
    for (const fault of config.faults) {
      if (fault.type === 'partition') this.partitions.push([fault.link, fault.atMs, fault.atMs + fault.durationMs]);
    }
  }

  /** Schedules the scenario's consumer crashes, from the clock's start. */
  scheduleCrashes(): void {
    for (const fault of this.config.faults) {
      if (fault.type !== 'consumer-crash') continue;
      const { consumer, atMs, durationMs } = fault;
      const crash = () => {
        this.downUntil.set(consumer, Math.max(this.downUntil.get(consumer) ?? 0, atMs + durationMs));
        this.killers.get(consumer)?.();
      };
      this.timers.push(setTimeout(crash, this.clock.real(atMs)));
    }
  }

  /** Clears the timers of scheduled crashes still to come (at the end of the run). */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** Draws whether the fault of `site` hits message `m` at its `k`-th try (`c`: which transmission), chance `p`. */
  chance(site: number, m: number, k: number, p: number, c = 0): boolean {
    return p > 0 && this.choices.uniform(site, m, k, c) < p;
  }

  /** The link is cut now by a scheduled partition: what crosses it is dropped. */
  cut(link: LinkName): boolean {
    if (this.partitions.length === 0) return false;
    const now = this.clock.virtualNow();
    return this.partitions.some(([l, from, to]) => l === link && now >= from && now < to);
  }

  /**
   * Consumer `c`'s running incarnation: `kill` ends it at a scheduled crash of that consumer (its
   * connection goes at once; work in progress never reaches the effect). Returns the unregistering.
   */
  watchCrashes(c: number, kill: () => void): () => void {
    this.killers.set(c, kill);
    const crashedAt = this.crashedAt.get(c);
    if (crashedAt !== undefined) {
      this.crashedAt.delete(c);
      this.restartOverheadMs += Math.max(
        0,
        this.clock.elapsed() - crashedAt - this.clock.real(this.config.consumers.crash.restartMs),
      );
      this.restarts++;
    }
    // A scheduled crash that came while this incarnation was starting (or extends the downtime) ends it at once.
    if (this.clock.virtualNow() < (this.downUntil.get(c) ?? 0)) queueMicrotask(kill);
    return () => this.killers.delete(c);
  }

  /** Real ms a crashed consumer `c` stays down: restartMs, or to the end of its scheduled crash. */
  downtime(c: number): number {
    const until = this.downUntil.get(c) ?? 0;
    return Math.max(
      this.clock.real(this.config.consumers.crash.restartMs),
      this.clock.real(until) - this.clock.elapsed(),
    );
  }

  /** Consumer `c` crashed at a delivery: back after restartMs in the model, which its restart is measured against. */
  crashedAtDelivery(c: number): void {
    if (this.clock.virtualNow() >= (this.downUntil.get(c) ?? 0)) this.crashedAt.set(c, this.clock.elapsed());
  }

  /** How much longer than restartMs a restart took, in the scenario's ms, on average. */
  restartOverhead(scale: number): number {
    return this.restarts === 0 ? 0 : this.restartOverheadMs / this.restarts / scale;
  }
}
