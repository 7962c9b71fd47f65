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
console.log(`speed          ${(result.events / seconds / 1e6).toFixed(2)} M events/s (goal >= 1.00)`);
console.log(`peak RSS       ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
console.log(
  `kept after run ${(retained / 2 ** 20).toFixed(1)} MiB = ${(retained / messages).toFixed(1)} bytes per message (outcome, effects, cause, latency sample)`,
);
