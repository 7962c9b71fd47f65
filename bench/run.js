// npm run bench: speed and memory of the simulator on one core.
// bench/bench.yaml: a 1,000,000-message at-least-once run with 1 % lost acks and 0.1 % consumer
// crashes after the effect; prints simulated events per second, wall time and memory. `npm run bench -- --messages N`
// changes the size (10,000,000 checks the memory goal). Goals: >= 1,000,000 events/s on one core of
// a 2-core machine; a few bytes of state per resolved message.
import os from 'node:os';
import { Simulation } from '../dist/model/simulation.js';
import { FingerprintingChoiceSource, SeededChoiceSource } from '../dist/sim/choice.js';
import { measure } from '../dist/run/metrics.js';
import { loadScenarios } from '../dist/scenario/load.js';
import { fileURLToPath } from 'node:url';
import { bareLoop } from './bare-loop.js';
import { kernelLoop } from './kernel-loop.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const { scenarios, issues } = loadScenarios([fileURLToPath(new URL('bench.yaml', import.meta.url))], process.cwd());
if (issues.length > 0) throw new Error(JSON.stringify(issues));
const [{ mode, config: scenarioConfig }] = scenarios[0].modes;
const messages = arg('--messages', scenarioConfig.messages);
const config = { ...scenarioConfig, messages, mode };

global.gc?.();
const before = process.memoryUsage();
const started = process.hrtime.bigint();
// As `acksim run` does: every choice fingerprinted.
const choices = new FingerprintingChoiceSource(new SeededChoiceSource(1));
const simulation = new Simulation(config, choices);
simulation.step();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const result = simulation.result();
global.gc?.();
const after = process.memoryUsage();
const metrics = measure(result).metrics;
const retained = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`machine        ${cpu}, ${os.cpus().length} cores, Node ${process.version}`);
console.log(
  `run            ${messages.toLocaleString('en-US')} messages, at-least-once, 1 % ack loss, 0.1 % crashes (ended: ${result.endedBy})`,
);
console.log(
  `outcome        processed ${metrics.processed.toLocaleString('en-US')}, lost ${metrics.lost}, duplicates ${metrics.duplicates.toLocaleString('en-US')}, redeliveries ${metrics.redeliveries.toLocaleString('en-US')}`,
);
console.log(
  `events         ${result.events.toLocaleString('en-US')} (${choices.count.toLocaleString('en-US')} choices, fingerprint ${choices.fingerprint()})`,
);
console.log(`wall time      ${seconds.toFixed(2)} s`);
// The same number of events through a bare typed-array event loop with 1,000 pending, in this process
// right after the model (same machine, same load): the ratio is the figure to watch, not either speed.
const bare = bareLoop(result.events);
console.log(
  `vs bare loop   ${(bare.seconds / seconds).toFixed(2)} of a bare event loop's speed (${(result.events / bare.seconds / 1e6).toFixed(1)} M events/s, 1,000 pending; simulation only; load ${os.loadavg()[0].toFixed(1)})`,
);
// The kernel alone (kernel-loop.js): the most of the bare loop's speed any model on this kernel can reach.
const kernelOnly = kernelLoop(result.events);
console.log(
  `vs kernel loop ${(kernelOnly.seconds / seconds).toFixed(2)} of the kernel's own speed with no-op handlers (${(result.events / kernelOnly.seconds / 1e6).toFixed(1)} M events/s, which is ${(bare.seconds / kernelOnly.seconds).toFixed(2)} of the bare loop's: the ceiling of the ratio above)`,
);
console.log(`speed          ${(result.events / seconds / 1e6).toFixed(2)} M events/s (goal >= 1.00)`);
console.log(`peak RSS       ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
console.log(
  `kept after run ${(retained / 2 ** 20).toFixed(1)} MiB = ${(retained / messages).toFixed(1)} bytes per message (outcome, effects, cause, latency sample)`,
);

// Whole processes (issue 15's goal: the model at 0.6 of the bare loop, start-up, loading and reporting
// included): `acksim run bench/bench.yaml` against `node bench/bare-loop.js <as many events>`, alternated,
// medians of 3 each.
if (process.argv.includes('--no-process')) process.exit(0);
const { spawnSync } = await import('node:child_process');
const wall = (argv) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}`);
  return (performance.now() - t0) / 1000;
};
const benchFile = fileURLToPath(new URL('bench.yaml', import.meta.url));
const acksimBin = fileURLToPath(new URL('../bin/acksim.js', import.meta.url));
const bareFile = fileURLToPath(new URL('bare-loop.js', import.meta.url));
const wholes = [];
const bares = [];
for (let i = 0; i < 3; i++) {
  wholes.push(wall([acksimBin, 'run', benchFile, '--messages', String(messages), '--format', 'json', '--quiet']));
  bares.push(wall([bareFile, String(result.events)]));
}
const mid = (values) => [...values].sort((a, b) => a - b)[1];
console.log(
  `whole process  acksim run ${mid(wholes).toFixed(2)} s, bare loop process ${mid(bares).toFixed(2)} s: ${(mid(bares) / mid(wholes)).toFixed(2)} of the bare loop (goal >= 0.60; medians of 3, alternated; load ${os.loadavg()[0].toFixed(1)})`,
);

// The time series (issue 18): what sampling costs when asked for (--time-series, the default interval), against the
// same run without it (its only cost when off is one test per step of the simulation, not per event).
const sampled = [];
const plain = [];
for (let i = 0; i < 3; i++) {
  const run = [acksimBin, 'run', benchFile, '--messages', String(messages), '--format', 'json', '--quiet'];
  sampled.push(wall([...run, '--time-series']));
  plain.push(wall(run));
}
console.log(
  `time series    acksim run --time-series ${mid(sampled).toFixed(2)} s, without ${mid(plain).toFixed(2)} s: ${(mid(sampled) / mid(plain)).toFixed(2)}x (medians of 3, alternated; load ${os.loadavg()[0].toFixed(1)})`,
);
