// Runs the compiled test suite (dist-test/test): every file but the live ones two at a time, then the
// live ones alone. Live tests run real clients against real brokers on the scenario's scaled clock, so
// they get the machine to themselves; the rest wait mostly on child processes and share it well.
// Every *.test.js is found here, so a new folder of tests can never be left out by a list.
// --skip-live (npm run test:partial) leaves out the live tests, for a machine without redis-server and
// RabbitMQ: a partial run, and it says so at the end.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = 'dist-test/test';
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.test.js'))
  .map((file) => join(root, file))
  .sort();
const isLive = (file) => relative(root, file).split(sep)[0] === 'live';
const skipLive = process.argv.includes('--skip-live');
const passed = process.argv.slice(2).filter((arg) => arg !== '--skip-live');
const groups = [
  { files: files.filter((f) => !isLive(f)), concurrency: 2 },
  { files: skipLive ? [] : files.filter(isLive), concurrency: 1 },
];
let failed = false;
for (const group of groups) {
  if (group.files.length === 0) continue;
  const args = ['--test', `--test-concurrency=${group.concurrency}`, '--test-reporter=spec', ...passed, ...group.files];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
if (skipLive) {
  const skipped = files.filter(isLive).length;
  console.log(
    `\nPARTIAL: ${skipped} live test file(s) in test/live/ skipped (they need redis-server and RabbitMQ); npm test runs them`,
  );
}
process.exitCode = failed ? 1 : 0;
