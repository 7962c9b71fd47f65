// Builds dist/ (npm run build) and compiles the tests into dist-test/ side by side: the two compilations
// are independent, and on 2 cores running them at once takes about the time of the longer one (14 s and
// 11 s of CPU one after the other, 2026-12-01). Exits non-zero, after both end, if either failed.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, renameSync, rmSync } from 'node:fs';

/** Runs a command with this process's output; resolves with its exit code. */
const run = (command, args) =>
  new Promise((done) => spawn(command, args, { stdio: 'inherit' }).on('close', (code) => done(code ?? 1)));

rmSync('dist-test', { recursive: true, force: true });
const codes = await Promise.all([
  run('npm', ['run', 'build', '--silent']),
  // Emit only: scripts/test.mjs type-checks beside the tests (a type error still fails npm test).
  run(process.execPath, ['scripts/tsc.mjs', 'typescript', '-p', 'tsconfig.test.json', '--noCheck']),
]);
if (codes.every((code) => code === 0)) useGeneratedValidators();
process.exitCode = codes.some((code) => code !== 0) ? 1 : 0;

/**
 * The tests run the sources compiled to dist-test/src, where the two validator modules would compile their schemas
 * in every process that reads a scenario or a report (ajv: 25 s of CPU over the suite, 2026-12-01). They get the
 * modules the build generated instead, as dist/ has; tsc's own output stays beside them as *.runtime.js, which
 * test/unit/build/validators.test.ts compares the generated validators with.
 */
function useGeneratedValidators() {
  for (const module of ['scenario/scenario-validator.js', 'run/report-validators.js']) {
    const target = `dist-test/src/${module}`;
    renameSync(target, target.replace(/\.js$/, '.runtime.js'));
    copyFileSync(`dist/${module}`, target);
  }
  // Each kind's report validator, which the generated report-validators.js requires when first asked for.
  cpSync('dist/run/report-validators', 'dist-test/src/run/report-validators', { recursive: true });
}
