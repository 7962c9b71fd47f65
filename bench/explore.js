// npm run bench: exhaustive exploration's speed, in schedules per second (issue 15: >= 50,000 on lost-acks).
// `explore lost-acks --messages 2 --max-faults 4`, every mode, in this process (no start-up counted), on one thread
// and as `acksim explore` runs it (its modes spread over the cores once it has run 0.2 s); then the default bounds
// (--max-faults 3) and a Kafka scenario's, as the command runs them, start-up excepted.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { exploreOnThreads } from '../dist/cli/explore-threads.js';
import { exploreScenario } from '../dist/run/explore.js';
import { loadScenarios } from '../dist/scenario/load.js';

const load = (name) => {
  const file = fileURLToPath(new URL(`../scenarios/${name}.yaml`, import.meta.url));
  const { scenarios, issues } = loadScenarios([file], process.cwd());
  if (issues.length > 0) throw new Error(JSON.stringify(issues));
  return scenarios[0];
};

/** Explores `name` within the bounds (on one thread, or as the command does); the schedules, seconds and CPU. */
async function timed(name, maxFaults, threaded) {
  const scenario = load(name);
  const options = { messages: 2, maxFaults, maxSchedules: 200_000, faultSpace: 'all' };
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const exploration = threaded
    ? await exploreOnThreads(scenario, options, { maxSeconds: 600, threads: os.availableParallelism() })
    : await exploreScenario(scenario, options);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const schedules = exploration.modes.reduce((sum, m) => sum + m.schedules, 0);
  return { schedules, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

const rate = (r) => `${Math.round(r.schedules / r.seconds).toLocaleString('en-US')} schedules/s`;
const one = await timed('lost-acks', 4, false);
const spread = await timed('lost-acks', 4, true);
const three = await timed('lost-acks', 3, true);
const kafka = await timed('kafka-key-order-needs-idempotence', 3, true);
console.log(
  `explore        lost-acks, 2 messages, 4 faults: ${one.schedules.toLocaleString('en-US')} schedules; one thread ${one.seconds.toFixed(2)} s = ${rate(one)}; as the command does (${os.availableParallelism()} cores) ${spread.seconds.toFixed(2)} s = ${rate(spread)} (goal >= 50,000; load ${os.loadavg()[0].toFixed(1)})`,
);
console.log(
  `explore        default bounds (3 faults): lost-acks ${three.schedules.toLocaleString('en-US')} schedules in ${three.seconds.toFixed(2)} s, kafka-key-order-needs-idempotence ${kafka.schedules.toLocaleString('en-US')} in ${kafka.seconds.toFixed(2)} s (goal: the command under 2 s)`,
);
