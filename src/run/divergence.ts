// Where two runs of one configuration and seed part (--check-determinism found they do): the first choice asked or
// answered differently, which names its message; else the first message whose effects or outcome differ. A
// nondeterministic handler (the wall clock, Math.random, state kept outside ctx.store) is the usual reason.
import type { SimulationConfig } from '../model/config.js';
import { Site, type ChoiceSource } from '../sim/choice.js';
import { finished } from './drive.js';
import { seededSimulation } from './prepare.js';

/** Choices remembered per run (five numbers each): enough to find where two runs part, bounded in memory. */
const TRAIL_LIMIT = 1 << 20;

const SITE_NAMES = new Map<number, string>(Object.entries(Site).map(([name, site]) => [site, name]));

/** Remembers the first TRAIL_LIMIT choices of a run: what was asked (site, a, b, c) and answered. */
class ChoiceTrail implements ChoiceSource {
  readonly choices: number[] = [];

  constructor(private readonly inner: ChoiceSource) {}

  pick(site: number, a: number, b: number, c: number, probabilities: readonly number[]): number {
    const outcome = this.inner.pick(site, a, b, c, probabilities);
    this.note(site, a, b, c, outcome);
    return outcome;
  }

  uniform(site: number, a: number, b: number, c: number): number {
    const value = this.inner.uniform(site, a, b, c);
    this.note(site, a, b, c, value);
    return value;
  }

  private note(site: number, a: number, b: number, c: number, answer: number): void {
    if (this.choices.length < TRAIL_LIMIT * 5) this.choices.push(site, a, b, c, answer);
  }
}

async function trailed(config: SimulationConfig, seed: number) {
  let trail!: ChoiceTrail;
  const result = await finished(
    seededSimulation(config, seed, { wrap: (seeded) => (trail = new ChoiceTrail(seeded)) }),
  );
  return { choices: trail.choices, effects: result.effects, outcome: result.outcome };
}

/** Runs the seed twice more and says where the two runs first part, in words; or that they did not this time. */
export async function divergence(config: SimulationConfig, seed: number): Promise<string> {
  const first = await trailed(config, seed);
  const second = await trailed(config, seed);
  const length = Math.min(first.choices.length, second.choices.length);
  for (let i = 0; i < length; i += 5) {
    let same = true;
    for (let j = i; j < i + 5; j++) if (!Object.is(first.choices[j], second.choices[j])) same = false;
    if (same) continue;
    const site = SITE_NAMES.get(first.choices[i]!) ?? `site ${first.choices[i]}`;
    return `message ${first.choices[i + 1]} first diverged: choice ${i / 5 + 1} of the run (${site}) differed`;
  }
  for (let m = 0; m < Math.max(first.effects.length, second.effects.length); m++)
    if (first.effects[m] !== second.effects[m] || first.outcome[m] !== second.outcome[m])
      return `message ${m} first diverged: its effects or outcome differed`;
  if (first.choices.length !== second.choices.length)
    return `the runs made ${first.choices.length / 5} and ${second.choices.length / 5} choices`;
  return (
    'the first run differed, and two more agreed with each other: state that outlives a run (a variable of the ' +
    "handler's module, outside ctx.store) is the usual cause"
  );
}
