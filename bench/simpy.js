// npm run bench (sixth part): acksim against the same model written in SimPy (bench/simpy/bench_model.py), issue 15's
// goal: at least 15x as fast, whole process, at 200,000 messages. Both are timed as whole processes from outside,
// alternated three times; medians. The SimPy model's counts are printed beside acksim's: they agree to a few
// redeliveries in a thousand when the model is the same (they differ by their random streams only). SimPy 2.x is
// what Debian ships (apt-get install python3-simpy); without it this part says so and is skipped.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const messages = arg('--messages', 200_000);
const model = fileURLToPath(new URL('simpy/bench_model.py', import.meta.url));
const scenario = fileURLToPath(new URL('bench.yaml', import.meta.url));
const bin = fileURLToPath(new URL('../bin/acksim.js', import.meta.url));

/** A Python that imports SimPy 2 (Debian's is at /usr/bin/python3; a python3 on the PATH may be another). */
const python = ['/usr/bin/python3', 'python3'].find(
  (candidate) => spawnSync(candidate, ['-c', 'import SimPy.Simulation'], { stdio: 'ignore' }).status === 0,
);
if (python === undefined) {
  console.log('simpy          skipped: no Python with SimPy 2 (Debian: apt-get install python3-simpy)');
  process.exit(0);
}

/** Runs a command to its end; its wall seconds and what it printed. */
function timed(command, args) {
  const started = process.hrtime.bigint();
  const ran = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (ran.status !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${ran.status}\n${ran.stderr}`);
  return { seconds, stdout: ran.stdout };
}

const loadBefore = os.loadavg()[0];
const runs = { simpy: [], acksim: [] };
let simpyCounts;
let acksimMetrics;
for (let i = 0; i < 3; i++) {
  const s = timed(python, [model, '--messages', String(messages)]);
  runs.simpy.push(s.seconds);
  simpyCounts = JSON.parse(s.stdout);
  const a = timed(process.execPath, [bin, 'run', scenario, '--messages', String(messages), '--format', 'json']);
  runs.acksim.push(a.seconds);
  acksimMetrics = JSON.parse(a.stdout).scenarios[0].results[0].metrics;
}
const mid = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const [simpy, acksim] = [mid(runs.simpy), mid(runs.acksim)];
const n = (value) => value.toLocaleString('en-US');
console.log(
  `simpy          ${n(messages)} messages: SimPy ${simpy.toFixed(2)} s, acksim ${acksim.toFixed(2)} s: ` +
    `${(simpy / acksim).toFixed(1)}x (goal >= 15x; whole processes, medians of 3, alternated; load ` +
    `${loadBefore.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)})`,
);
console.log(
  `               the same model? redeliveries ${n(simpyCounts.redeliveries)} in SimPy, ${n(acksimMetrics.redeliveries)} ` +
    `in acksim; duplicate effects ${n(simpyCounts.duplicateEffects)} and ${n(acksimMetrics.duplicateEffects)}; ` +
    `lost ${n(simpyCounts.lost)} and ${n(acksimMetrics.lost)}`,
);
