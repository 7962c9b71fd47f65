// Builds dist/ (npm run build) and compiles the tests into dist-test/ side by side: the two compilations
// are independent, and on 2 cores running them at once takes about the time of the longer one (14 s and
// 11 s of CPU one after the other, 2026-12-01). Exits non-zero, after both end, if either failed.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
/** Runs a command with this process's output; resolves with its exit code. */
const run = (command, args) =>
  new Promise((done) => spawn(command, args, { stdio: 'inherit' }).on('close', (code) => done(code ?? 1)));

rmSync('dist-test', { recursive: true, force: true });
const codes = await Promise.all([
  run('npm', ['run', 'build', '--silent']),
  run(process.execPath, [tsc, '-p', 'tsconfig.test.json']),
]);
process.exitCode = codes.some((code) => code !== 0) ? 1 : 0;
