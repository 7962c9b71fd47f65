// Runs the compiled test suite (dist-test/test), each file in its own `node --test`, a few at a time,
// the slowest first so that the long ones never start last, and prints each file's report when it ends.
// Every *.test.js is found here, so a new folder of tests can never be left out by a list.
// Live files (test/live/) may run together (each drives its own broker, ~0.65 of a core), with at most one
// other file beside them: their clients keep the scenario's clock in real time, and `acksim live` refuses a
// comparison a busy machine could not keep the time of (the suite then runs it at the slower scale acksim
// names), so sharing the cores costs time, never a verdict. Both live files together beside one other file
// passed at load 9 (2026-12-01); with three files beside one live file at load 13, RabbitMQ's ack-partition
// was still refused at time scale 0.5 after its two stretches.
// --skip-live (npm run test:partial) leaves out the live tests, for a machine without redis-server and
// RabbitMQ: a partial run, and it says so at the end. --jobs N runs N files at once (default 3 on 2 cores:
// most files wait on npm, brokers or their own children part of the time). Other arguments go to node --test.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';

const root = 'dist-test/test';
/** The files that take longest, longest first (seconds on 2 busy cores); the rest follow in name order. */
const SLOW = [
  'live/rabbitmq.test.js', // the two live files first, together, so they overlap each other
  'live/redis.test.js',
  'install/install.test.js', // npm pack and two installs, mostly waiting on npm
  'docs/docs.test.js', // the README's examples: tour, 200 runs, a sweep, explore
  'property/log.test.js',
  'cli/runs.test.js',
  'cli/tour.test.js',
  'property/model.test.js',
  'fuzz/inputs.test.js',
  'cli/limits.test.js',
  'unit/run/explore.test.js',
];
const rank = (file) => {
  const i = SLOW.indexOf(relative(root, file).split(sep).join('/'));
  return i < 0 ? SLOW.length : i;
};
const isLive = (file) => relative(root, file).split(sep)[0] === 'live';
const args = process.argv.slice(2);
const skipLive = args.includes('--skip-live');
const jobsAt = args.indexOf('--jobs');
const jobs = jobsAt >= 0 ? Number(args[jobsAt + 1]) : Math.max(2, availableParallelism() + 1);
const passed = args.filter((arg, i) => arg !== '--skip-live' && i !== jobsAt && i !== jobsAt + 1);
const all = readdirSync(root, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.test.js'))
  .map((file) => join(root, file))
  .sort();
const waiting = all.filter((f) => !(skipLive && isLive(f))).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

/** Runs one file; resolves with its exit code and what it printed, once it ends. */
function runFile(file) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...passed, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ file, code, output, seconds: (performance.now() - started) / 1000 }));
  });
}

const results = [];
let liveRunning = 0;
const running = new Set();
/** The next file that may start now: the first waiting. */
function next() {
  const i = waiting.findIndex(() => true);
  return i < 0 ? undefined : waiting.splice(i, 1)[0];
}
await new Promise((done) => {
  const fill = () => {
    // Beside a live file, one other file at most: its clients need a core to keep the scenario's clock.
    const room = () => running.size < (liveRunning > 0 ? Math.min(jobs, liveRunning + 1) : jobs);
    for (let file = room() ? next() : undefined; file !== undefined; file = room() ? next() : undefined) {
      if (isLive(file)) liveRunning++;
      const job = runFile(file).then((result) => {
        running.delete(job);
        if (isLive(file)) liveRunning--;
        results.push(result);
        process.stdout.write(
          `\n# ${result.file} (${result.seconds.toFixed(1)} s, exit ${result.code})\n${result.output}`,
        );
        if (waiting.length === 0 && running.size === 0) done();
        else fill();
      });
      running.add(job);
    }
  };
  if (waiting.length === 0) done();
  else fill();
});

const count = (word) =>
  results.reduce((n, r) => n + Number(new RegExp(`^ℹ ${word} (\\d+)$`, 'm').exec(r.output)?.[1] ?? 0), 0);
const failedFiles = results.filter((r) => r.code !== 0);
console.log('\nSlowest files:');
for (const r of [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 8))
  console.log(`  ${r.seconds.toFixed(1).padStart(6)} s  ${relative(root, r.file)}`);
for (const r of failedFiles) console.log(`FAILED: ${relative(root, r.file)} (exit ${r.code})`);
if (skipLive) {
  const skipped = all.filter(isLive).length;
  console.log(
    `\nPARTIAL: ${skipped} live test file(s) in test/live/ skipped (they need redis-server and RabbitMQ); npm test runs them`,
  );
}
// A file that failed without a failing test to show for it (it crashed on load) counts as one failure.
const silent = failedFiles.filter((r) => !/^ℹ (fail|cancelled) [1-9]/m.test(r.output)).length;
console.log(
  `${count('pass')} passed, ${count('fail') + count('cancelled') + silent} failed, ${count('skipped')} skipped`,
);
process.exitCode = failedFiles.length > 0 ? 1 : 0;
