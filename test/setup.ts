// Pins fast-check's seed so CI runs are repeatable; FC_SEED=<n> explores another part of the space.
// On failure fast-check prints the seed and the counterexample path to replay it.
import fc from 'fast-check';

const seed = process.env.FC_SEED === undefined ? 20261123 : Number(process.env.FC_SEED);
fc.configureGlobal({ seed, numRuns: Number(process.env.FC_RUNS ?? 60) });
