// npm run bench: exhaustive exploration's speed, in schedules per second (issue 15: >= 50,000 on lost-acks).
// `explore lost-acks --messages 2 --max-faults 4`, every mode, in this process (no start-up counted); then
// the default bounds (--max-faults 3) timed as a whole command would run them, start-up excepted.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { exploreScenario } from '../dist/run/explore.js';
import { loadScenarios } from '../dist/scenario/load.js';

const file = fileURLToPath(new URL('../scenarios/lost-acks.yaml', import.meta.url));
const { scenarios, issues } = loadScenarios([file], process.cwd());
if (issues.length > 0) throw new Error(JSON.stringify(issues));
const [scenario] = scenarios;

/** Explores lost-acks within the bounds; returns the schedules run and the seconds taken. */
async function timed(maxFaults) {
  const options = { messages: 2, maxFaults, maxSchedules: 200_000, faultSpace: 'all' };
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const exploration = await exploreScenario(scenario, options);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const schedules = exploration.modes.reduce((sum, m) => sum + m.schedules, 0);
  return { schedules, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

const four = await timed(4);
const three = await timed(3);
console.log(
  `explore        lost-acks, 2 messages, 4 faults: ${four.schedules.toLocaleString('en-US')} schedules in ${four.seconds.toFixed(2)} s = ${Math.round(four.schedules / four.seconds).toLocaleString('en-US')} schedules/s (goal >= 50,000; CPU ${four.cpuSeconds.toFixed(2)} s; load ${os.loadavg()[0].toFixed(1)})`,
);
console.log(
  `explore        lost-acks, default bounds (3 faults): ${three.schedules.toLocaleString('en-US')} schedules in ${three.seconds.toFixed(2)} s (goal: the command under 2 s)`,
);
