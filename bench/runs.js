// npm run bench (second part): many runs. `--runs 1000` of a 10,000-message at-least-once scenario
// (bench/bench.yaml) at 1 and 2 workers: runs per second, the speed-up of the second worker, and the
// per-run overhead (setup, measuring, histogram, worker messaging) against the simulation time.
// Goals: the second worker gives at least 1.7x; the overhead stays under 5 % of the simulation time.
// Then the machine's own scaling beside acksim's (issue 15): whole `acksim run --runs N` processes, one with 1
// worker, one with 2, and a pair of independent 1-worker processes running half the seeds each at the same
// time; what 2 workers give, as a share of what the pair gets (goal: at least 0.95), interleaved rounds.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Simulation } from '../dist/model/simulation.js';
import { FingerprintingChoiceSource, SeededChoiceSource } from '../dist/sim/choice.js';
import { execute } from '../dist/run/execute.js';
import { runOnce } from '../dist/run/runs.js';
import { loadScenarios } from '../dist/scenario/load.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg('--runs', 1000);
const messages = 10_000;
const { scenarios } = loadScenarios([fileURLToPath(new URL('bench.yaml', import.meta.url))], process.cwd());
const [{ mode, config: scenarioConfig }] = scenarios[0].modes;
const config = { ...scenarioConfig, messages, mode };
const seeds = Array.from({ length: runs }, (_, i) => i + 1);

// Per seed, interleaved so warm-up and garbage collection weigh on both alike: the simulation alone
// (the kernel loop), then the whole run as `acksim run --runs` does it (build, simulate, measure,
// histogram). The difference is the per-run overhead.
let simulationMs = 0;
let wholeMs = 0;
for (const seed of seeds) {
  const simulation = new Simulation(config, new FingerprintingChoiceSource(new SeededChoiceSource(seed)));
  let started = performance.now();
  simulation.step();
  simulationMs += performance.now() - started;
  started = performance.now();
  runOnce(config, seed, true);
  wholeMs += performance.now() - started;
}

async function timed(workers) {
  const size = Math.max(1, Math.ceil(runs / (workers * 4)));
  const tasks = [];
  for (let i = 0; i < runs; i += size) tasks.push({ config, seeds: seeds.slice(i, i + size), histograms: true });
  const started = performance.now();
  await execute(tasks, { workers });
  return performance.now() - started;
}

const one = await timed(1);
const two = await timed(2);
const overhead = (wholeMs - simulationMs) / simulationMs;
const messaging = (two - one / 2) / (one / 2);
console.log(
  `many runs      ${runs} runs × ${messages.toLocaleString('en-US')} messages, at-least-once (bench/bench.yaml)`,
);
console.log(`1 worker       ${(one / 1000).toFixed(2)} s = ${((runs * 1000) / one).toFixed(1)} runs/s`);
console.log(
  `2 workers      ${(two / 1000).toFixed(2)} s = ${((runs * 1000) / two).toFixed(1)} runs/s, speed-up ${(one / two).toFixed(2)}x (goal >= 1.70x)`,
);
console.log(
  `per-run cost   simulation ${(simulationMs / runs).toFixed(2)} ms; setup, measuring and histogram add ${(overhead * 100).toFixed(1)} % (goal < 5 %)`,
);
console.log(
  `worker cost    2 workers take ${(messaging * 100).toFixed(1)} % longer than half of 1 worker (messaging, thread start, uneven batches)`,
);

// The machine's own scaling: whole processes, interleaved rounds, medians.
const bin = fileURLToPath(new URL('../bin/acksim.js', import.meta.url));
const scenario = fileURLToPath(new URL('bench.yaml', import.meta.url));
const pairRuns = arg('--pair-runs', 200);
const rounds = arg('--rounds', 3);
/** Wall time of acksim processes started together, to the end of the last (ms). */
async function processes(...argvs) {
  const started = performance.now();
  await Promise.all(
    argvs.map(
      (argv) =>
        new Promise((done, fail) => {
          const child = spawn(process.execPath, [bin, 'run', scenario, '--messages', String(messages), ...argv], {
            stdio: ['ignore', 'ignore', 'inherit'],
          });
          child.on('close', (code) =>
            code === 0 ? done() : fail(new Error(`acksim ${argv.join(' ')}: exit ${code}`)),
          );
        }),
    ),
  );
  return performance.now() - started;
}
const half = pairRuns / 2;
const times = { one: [], two: [], pair: [] };
const loadBefore = loadavg()[0];
for (let round = 0; round < rounds; round++) {
  times.one.push(await processes(['--runs', String(pairRuns), '--workers', '1']));
  times.two.push(await processes(['--runs', String(pairRuns), '--workers', '2']));
  times.pair.push(
    await processes(
      ['--runs', String(half), '--workers', '1'],
      ['--runs', String(half), '--workers', '1', '--seed', String(1 + half)],
    ),
  );
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const [one1, two2, pair2] = [median(times.one), median(times.two), median(times.pair)];
console.log(
  `vs the machine ${pairRuns} runs as whole processes, medians of ${rounds} interleaved rounds: 1 worker ${(one1 / 1000).toFixed(2)} s, ` +
    `2 workers ${(two2 / 1000).toFixed(2)} s (${(one1 / two2).toFixed(2)}x); two independent 1-worker processes of ${half} runs ` +
    `each at once ${(pair2 / 1000).toFixed(2)} s (${(one1 / pair2).toFixed(2)}x)`,
);
console.log(
  `               2 workers give ${(pair2 / two2).toFixed(2)} of what the machine gives two processes (goal >= 0.95) · ` +
    `load ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
);
