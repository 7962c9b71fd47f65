// The one source of every random or nondeterministic decision in a run. Decisions are keyed by what
// they hit (site, message id, attempt or delivery, copy), never by the order events happen, so every
// delivery mode of one scenario and seed meets the same faults. Replay, exhaustive exploration and
// shrinking plug in here as other implementations of ChoiceSource.
import seedrandom from 'seedrandom';

/** What a decision is about. The numeric values are part of the seed contract: do not renumber. */
export const Site = {
  publishFate: 0,
  confirmFate: 1,
  deliverFate: 2,
  ackFate: 3,
  publishLatency: 4,
  confirmLatency: 5,
  deliverLatency: 6,
  ackLatency: 7,
  crash: 8,
  poison: 9,
  processing: 10,
  arrival: 11,
  jitter: 12,
  stall: 13,
  producerCrash: 14,
  handlerCrash: 15,
  handlerRandom: 16,
  failure: 17,
  key: 18,
  delay: 19,
  askOvertakesAcks: 20,
} as const;

/**
 * The chance given to a fault a random run never draws but exploration must consider (a crash at the
 * other crash point, a stall past the visibility timeout): positive, so it is a decision point, and
 * too small to ever be drawn in practice.
 */
export const EXPLORATION_ONLY = 2 ** -60;

/** Offset added to a site for the second uniform of a two-draw sample (Box-Muller). */
export const SECOND_DRAW = 64;

/** The seam between the model and chance. */
export interface ChoiceSource {
  /**
   * Picks one outcome of a discrete decision keyed by (site, a, b, c). `probabilities[i]` is the
   * chance of outcome i; outcome 0 is the fault-free one and takes whatever probability is left.
   */
  pick(site: number, a: number, b: number, c: number, probabilities: readonly number[]): number;
  /** A uniform number in [0, 1) for a continuous quantity keyed by (site, a, b, c). */
  uniform(site: number, a: number, b: number, c: number): number;
}

function mix(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

const TWO_POW_21 = 2 ** 21;
const TWO_POW_53 = 2 ** 53;

/**
 * Counter-based random choices: each decision is a hash of the run's root key and the decision's key
 * (the idea of Random123's counter-based generators), so any decision can be computed without
 * drawing the ones before it. seedrandom turns the user's seed into the root key.
 */
export class SeededChoiceSource implements ChoiceSource {
  private readonly key0: number;
  private readonly key1: number;

  constructor(seed: number | string) {
    const generator = seedrandom(`acksim:${String(seed)}`);
    this.key0 = generator.int32();
    this.key1 = generator.int32();
  }

  uniform(site: number, a: number, b: number, c: number): number {
    let h = mix(this.key0 ^ Math.imul(site + 1, 0x9e3779b9));
    h = mix(h ^ a);
    h = mix((h + 0x7f4a7c15) ^ b);
    h = mix((h + 0x165667b1) ^ c);
    const low = mix(h ^ this.key1);
    return ((h >>> 0) * TWO_POW_21 + (low >>> 11)) / TWO_POW_53;
  }

  pick(site: number, a: number, b: number, c: number, probabilities: readonly number[]): number {
    // The draw is made only once some outcome has a chance: while the threshold is 0, no u in [0, 1) is below it,
    // so a decision without a fault configured (most of them) answers 0 without hashing, as it would after.
    let u = -1;
    let threshold = 0;
    for (let i = 1; i < probabilities.length; i++) {
      threshold += probabilities[i]!;
      if (threshold > 0) {
        if (u < 0) u = this.uniform(site, a, b, c);
        if (u < threshold) return i;
      }
    }
    return 0;
  }
}

/** One recorded discrete decision. */
export interface RecordedPick {
  site: number;
  a: number;
  b: number;
  c: number;
  outcome: number;
}

/** Wraps a source and records every discrete decision it answers, in the order asked. */
export class RecordingChoiceSource implements ChoiceSource {
  readonly picks: RecordedPick[] = [];

  constructor(private readonly inner: ChoiceSource) {}

  pick(site: number, a: number, b: number, c: number, probabilities: readonly number[]): number {
    const outcome = this.inner.pick(site, a, b, c, probabilities);
    this.picks.push({ site, a, b, c, outcome });
    return outcome;
  }

  uniform(site: number, a: number, b: number, c: number): number {
    return this.inner.uniform(site, a, b, c);
  }
}

/**
 * Wraps a source and folds every decision it answers (what was asked and the answer, in order) into
 * a 64-bit fingerprint: two runs with the same fingerprint met the same choices in the same order.
 */
export class FingerprintingChoiceSource implements ChoiceSource {
  /** The two halves of the fingerprint (int32 words: as object fields most values would be boxed doubles). */
  private readonly h = Int32Array.of(0x243f6a88, 0x85a308d3 | 0);
  /** Decisions answered so far. */
  count = 0;

  constructor(private readonly inner: ChoiceSource) {}

  private fold(site: number, a: number, b: number, c: number, answer: number): void {
    const state = this.h;
    let h = mix(state[0]! ^ Math.imul(site + 1, 0x9e3779b9) ^ a);
    h = mix((h + 0x7f4a7c15) ^ b);
    h = mix((h + 0x165667b1) ^ c);
    const h1 = mix(h ^ answer);
    state[0] = h1;
    state[1] = mix((state[1]! + 0x27d4eb2f) ^ h1);
    this.count++;
  }

  pick(site: number, a: number, b: number, c: number, probabilities: readonly number[]): number {
    const outcome = this.inner.pick(site, a, b, c, probabilities);
    this.fold(site, a, b, c, outcome);
    return outcome;
  }

  uniform(site: number, a: number, b: number, c: number): number {
    const u = this.inner.uniform(site, a, b, c);
    // u * 2^32 is below 2^32, so its floor is an exact unsigned 32-bit number; `| 0` wraps it as `^` would.
    this.fold(site | 0x100, a, b, c, Math.floor(u * 0x100000000) | 0);
    return u;
  }

  /** The fingerprint so far: 16 hex digits. */
  fingerprint(): string {
    return (this.h[0]! >>> 0).toString(16).padStart(8, '0') + (this.h[1]! >>> 0).toString(16).padStart(8, '0');
  }
}

/** A discrete decision and its answer, by key: what replay and shrinking work with. */
export interface FaultChoice {
  site: number;
  a: number;
  b: number;
  c: number;
  outcome: number;
}

/** The key of a decision. */
export function choiceKey(site: number, a: number, b: number, c: number): string {
  return `${site}/${a}/${b}/${c}`;
}

/**
 * Answers discrete decisions from a fixed list of faults and every other one fault-free (outcome 0);
 * continuous quantities (latencies, processing times, jitter) still come from `inner`, so a replayed
 * run keeps its timing. Replay and shrinking run through it.
 */
export class ScriptedChoiceSource implements ChoiceSource {
  private readonly script: Map<string, number>;

  constructor(
    private readonly inner: ChoiceSource,
    faults: readonly FaultChoice[],
  ) {
    this.script = new Map(faults.map((f) => [choiceKey(f.site, f.a, f.b, f.c), f.outcome]));
  }

  pick(site: number, a: number, b: number, c: number, probabilities: readonly number[]): number {
    const outcome = this.script.get(choiceKey(site, a, b, c)) ?? 0;
    return outcome < probabilities.length ? outcome : 0;
  }

  uniform(site: number, a: number, b: number, c: number): number {
    return this.inner.uniform(site, a, b, c);
  }
}

/** A decision point met while exploring: where a fault could have happened. */
export interface DecisionPoint {
  site: number;
  a: number;
  b: number;
  c: number;
  /** Outcomes other than 0 that have a chance. */
  faults: number[];
}

/**
 * Exploration: every discrete decision whose faults have a chance is a numbered decision point; the
 * point numbers in `forced` get the outcome given, every other one the fault-free outcome.
 */
export class ForcedChoiceSource implements ChoiceSource {
  /** The decision points met, in order (only when asked to record them: a schedule of the last level has no use for
   * them, and explore runs tens of thousands). */
  readonly points: DecisionPoint[] = [];
  /** How many decision points were met. */
  count = 0;
  readonly chosen: FaultChoice[] = [];

  constructor(
    private readonly inner: ChoiceSource,
    private readonly forced: ReadonlyMap<number, number>,
    private readonly recordPoints = true,
  ) {}

  pick(site: number, a: number, b: number, c: number, probabilities: readonly number[]): number {
    let first = 0;
    for (let i = 1; i < probabilities.length && first === 0; i++) if (probabilities[i]! > 0) first = i;
    if (first === 0) return 0;
    const outcome = this.forced.get(this.count++) ?? 0;
    if (this.recordPoints) {
      const faults = [first];
      for (let i = first + 1; i < probabilities.length; i++) if (probabilities[i]! > 0) faults.push(i);
      this.points.push({ site, a, b, c, faults });
    }
    if (outcome !== 0) this.chosen.push({ site, a, b, c, outcome });
    return outcome;
  }

  uniform(site: number, a: number, b: number, c: number): number {
    return this.inner.uniform(site, a, b, c);
  }
}
