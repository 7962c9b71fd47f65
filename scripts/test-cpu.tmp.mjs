// Runs the compiled test suite (dist-test/test) a few processes at a time, the slowest first so that the
// long ones never start last, and prints each process's report when it ends. The long files (OWN_PROCESS)
// run in a `node --test` each; the rest are dealt into a few shared processes (scripts/test-batch.mjs),
// which spares each small file the 1.3 s of CPU a process of its own costs (120 s in all, 2026-12-01).
// Every *.test.js is found here, so a new folder of tests can never be left out by a list.
// Live files (test/live/) run together, first (each drives its own broker, ~0.5 of a core), with at most two
// other files beside them (BESIDE_LIVE): their clients keep the scenario's clock in real time, and `acksim
// live` refuses a comparison a busy machine could not keep the time of (the suite then runs it at the slower
// scale acksim names), so sharing the cores costs time, not a verdict (the one exception seen is below).
// With three files beside one live file at load 13, RabbitMQ's ack-partition was still refused at time
// scale 0.5 after its two stretches. While the clients slept on a timer thread instead of spinning (2026-12-01), RabbitMQ's visibility-timeout-too-short at 0.02
// disagreed in 3 of 10 clean clones' runs (about 21 % duplicates live against 34.5 % predicted), with one
// file beside and with two, though never in ten runs in a working copy nor in stress runs. The clients now
// wait their last 2 ms in shared turns that block up to 10 µs each (src/live/clock.ts; 0.1 ms since 2026-12-02), which give that case what
// spinning gave for a quarter less CPU; with two files beside them instead of one, a clean clone's tests took
// 141 and 135 s after compiling, against 156 to 185 s in six runs with one (2026-12-01, 2 cores).
// --skip-live (npm run test:partial) leaves out the live tests and the browser tests (test/browser/), for a
// machine without redis-server, RabbitMQ and Chromium: a partial run, and it says so at the end. --jobs N runs N processes at once (default 3 on 2 cores:
// most files wait on npm, brokers or their own children part of the time), besides the live files (beside
// which two run). Other arguments go to node --test.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';

const root = 'dist-test/test';
/**
 * The files that run in a process of their own, longest first (on 2 busy cores); every other file runs in
 * one of BATCHES shared processes (scripts/test-batch.mjs), which follow them.
 */
const OWN_PROCESS = [
  'live/rabbitmq.test.js', // the live files first, together, so they overlap each other
  'live/redis.test.js',
  'live/nats.test.js',
  'install/install.test.js', // npm pack and two installs, mostly waiting on npm
  'browser/html-report.test.js', // the built-in set as one page, in Chromium
  'docs/docs.test.js', // the README's examples: tour, 100 runs, a sweep, explore
  'cli/runs.test.js',
  'cli/limits.test.js', // waits on --timeout and --max-seconds, and on a real process's memory limit
  'property/model.test.js',
  'cli/tour.test.js',
  'cli/width.test.js',
  'property/log.test.js',
  'fuzz/inputs.test.js',
  'cli/input-bounds.test.js',
];
/** How many files run beside the live files at most. */
const BESIDE_LIVE = 2;
/** How many shared processes the other files are dealt into (by name, in turn). */
const BATCHES = 4;
const name = (file) => relative(root, file).split(sep).join('/');
const isLive = (file) => name(file).startsWith('live/');
/** Browser tests need Debian's chromium, which test:all installs like the brokers. */
const needsServers = (file) => isLive(file) || name(file).startsWith('browser/');
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
const chosen = all.filter((f) => !(skipLive && needsServers(f)));
const alone = chosen
  .filter((f) => OWN_PROCESS.includes(name(f)))
  .sort((a, b) => OWN_PROCESS.indexOf(name(a)) - OWN_PROCESS.indexOf(name(b)));
const shared = chosen.filter((f) => !OWN_PROCESS.includes(name(f)));
/**
 * The type check of src/, test/ and bench/ (npm run typecheck): scripts/compile.mjs only emits (with
 * isolatedModules the JavaScript is the same), so the check runs here, as a job beside the tests, after the
 * files of their own. It is TypeScript 7's native compiler (the devDependency typescript-native): 3 s of CPU
 * where TypeScript 6's took 15 (2026-12-01). A type error fails it.
 */
const typecheck = {
  label: 'typecheck (TypeScript 7, --noEmit)',
  files: [],
  live: false,
  argv: ['scripts/tsc.mjs', 'typescript-native', '-p', 'tsconfig.json', '--noEmit'],
};
/** What runs in one process: one file, or a batch of them, or the type check. */
const waiting = [
  ...alone.map((file) => ({ label: name(file), files: [file], live: isLive(file) })),
  typecheck,
  ...Array.from({ length: BATCHES }, (_, i) => shared.filter((_, j) => j % BATCHES === i))
    .filter((files) => files.length > 0)
    .map((files, i) => ({ label: `batch ${i + 1} (${files.length} files)`, files, live: false })),
];

/** Runs one job; resolves with its exit code and what it printed, once it ends. */
function runJob(job) {
  return new Promise((resolve) => {
    const started = performance.now();
    const argv =
      job.argv ??
      (job.files.length === 1 && OWN_PROCESS.includes(name(job.files[0]))
        ? ['--test', '--test-reporter=spec', ...passed, job.files[0]]
        : ['--test-reporter=spec', ...passed, 'scripts/test-batch.mjs', ...job.files]);
    const child = spawn('/usr/bin/time', ['-f', 'CPUSEC %U %S', process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ job, code, output, seconds: (performance.now() - started) / 1000 }));
  });
}

const results = [];
let liveRunning = 0;
const running = new Set();
const next = () => waiting.shift();
await new Promise((done) => {
  const fill = () => {
    // Beside the live files, BESIDE_LIVE other files at most: their clients need time to keep the scenario's clock.
    const room = () => running.size - liveRunning < (liveRunning > 0 ? Math.min(jobs, BESIDE_LIVE) : jobs);
    for (let job = room() ? next() : undefined; job !== undefined; job = room() ? next() : undefined) {
      if (job.live) liveRunning++;
      const ran = runJob(job).then((result) => {
        running.delete(ran);
        if (job.live) liveRunning--;
        results.push(result);
        process.stdout.write(
          `\n# ${result.job.label} (${result.seconds.toFixed(1)} s, exit ${result.code})\n${result.output}`,
        );
        if (waiting.length === 0 && running.size === 0) done();
        else fill();
      });
      running.add(ran);
    }
  };
  if (waiting.length === 0) done();
  else fill();
});

const count = (word) =>
  results.reduce((n, r) => n + Number(new RegExp(`^ℹ ${word} (\\d+)$`, 'm').exec(r.output)?.[1] ?? 0), 0);
const failedFiles = results.filter((r) => r.code !== 0);
console.log('\nSlowest processes:');
for (const r of [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 8))
  console.log(`  ${r.seconds.toFixed(1).padStart(6)} s  ${r.job.label}`);
for (const r of failedFiles) {
  // In a batch, each file is a top-level suite named by its path: name the ones that failed.
  const files =
    r.job.files.length === 1 ? [r.job.label] : [...new Set(r.output.match(/(?<=^✖ )\S+\.test\.js\b/gm))].map(name);
  console.log(`FAILED: ${files.length > 0 ? files.join(', ') : r.job.label} (exit ${r.code})`);
}
if (skipLive) {
  const skipped = all.filter(needsServers).length;
  console.log(
    `\nPARTIAL: ${skipped} test file(s) in test/live/ and test/browser/ skipped (they need redis-server, RabbitMQ ` +
      'and Chromium); npm test runs them',
  );
}
// A file that failed without a failing test to show for it (it crashed on load) counts as one failure.
const silent = failedFiles.filter((r) => !/^ℹ (fail|cancelled) [1-9]/m.test(r.output)).length;
console.log(
  `${count('pass')} passed, ${count('fail') + count('cancelled') + silent} failed, ${count('skipped')} skipped ` +
    `in ${Math.round(performance.now() / 1000)} s (after compiling; the goal for npm test is 3 minutes on 2 cores)`,
);
process.exitCode = failedFiles.length > 0 ? 1 : 0;
