// Runs one of the two TypeScript compilers installed (see CONTRIBUTING.md, Tests): `node scripts/tsc.mjs
// typescript -b tsconfig.build.json` (TypeScript 6, which emits) or `node scripts/tsc.mjs typescript-native -p
// tsconfig.json --noEmit` (TypeScript 7, which type-checks). Both packages ship a `tsc`, so node_modules/.bin/tsc
// is whichever npm linked last; the package is found as Node finds it (hoisted in a workspace too).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const [name, ...args] = process.argv.slice(2);
const tsc = join(dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)), 'bin', 'tsc');
const ran = spawnSync(process.execPath, [tsc, ...args], { stdio: 'inherit' });
process.exitCode = ran.status ?? 1;
