// npm run bench (fifth part): the cost of the user's handler in the loop (issue 16: a trivial synchronous handler
// at no more than 2x the built-in consumer's time, an asynchronous one at no more than 5x). bench/bench.yaml at
// 200,000 messages, in this process, built-in, with `(message, ctx) => ctx.effect()`, the same async (one awaited
// promise a call), and one that writes a key; alternated three times each; medians.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Simulation } from '../dist/model/simulation.js';
import { runConfig } from '../dist/run/prepare.js';
import { SeededChoiceSource } from '../dist/sim/choice.js';
import { finished } from '../dist/run/drive.js';
import { loadScenarios } from '../dist/scenario/load.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const messages = arg('--messages', 200_000);
const { scenarios } = loadScenarios([fileURLToPath(new URL('bench.yaml', import.meta.url))], process.cwd());
const [{ mode, config }] = scenarios[0].modes;
const trivial = { handler: (_message, ctx) => ctx.effect() };
const awaiting = {
  handler: async (_message, ctx) => {
    await Promise.resolve();
    ctx.effect();
  },
};
const writing = {
  handler: (message, ctx) => {
    ctx.store.set(`seen:${message.id}`, 1);
    ctx.effect();
  },
};

async function timed(handler) {
  const simConfig = runConfig(config, mode, { messages, handler });
  const started = process.hrtime.bigint();
  const simulation = new Simulation(simConfig, new SeededChoiceSource(1));
  const { events } = await finished(simulation);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, events };
}
const mid = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const runs = { builtin: [], trivial: [], awaiting: [], writing: [] };
for (let i = 0; i < 3; i++) {
  runs.builtin.push((await timed(undefined)).seconds);
  runs.trivial.push((await timed(trivial)).seconds);
  runs.awaiting.push((await timed(awaiting)).seconds);
  runs.writing.push((await timed(writing)).seconds);
}
const base = mid(runs.builtin);
console.log(
  `handler        ${messages.toLocaleString('en-US')} messages: built-in ${base.toFixed(2)} s; a trivial handler ${mid(runs.trivial).toFixed(2)} s (${(mid(runs.trivial) / base).toFixed(2)}x, goal <= 2x); async ${mid(runs.awaiting).toFixed(2)} s (${(mid(runs.awaiting) / base).toFixed(2)}x, goal <= 5x); one that writes a key a message ${mid(runs.writing).toFixed(2)} s (${(mid(runs.writing) / base).toFixed(2)}x) · medians of 3, alternated; load ${os.loadavg()[0].toFixed(1)}`,
);
