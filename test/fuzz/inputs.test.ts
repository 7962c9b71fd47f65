// Fuzzing the command line with hostile input, in process: random scenario texts (malformed YAML and
// JSON, deep nesting, aliases, control characters, binary, huge values) and random flags (hostile
// numbers, escape sequences, paths that are links, FIFOs, folders). Whatever comes in: an exit code of
// 0, 1, 2 or 3 (never 70), no stack trace, no escape character and no password on stderr, bounded
// time, and no file outside the fuzz folder changed (links and a symlinked acksim-failures point there).
// Seeded (test/setup.ts), with a fixed number of cases: a busy machine runs the same cases, slower.
import '../setup.js';
import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { expect } from 'expect';
import { acksimInProcess } from '../cli/in-process.js';
import { commandLine, PASSWORD, scenarioText, stormText } from './hostile.js';

const scratch = mkdtempSync(join(tmpdir(), 'acksim-fuzz-'));
/** The working folder of every run. */
const work = join(scratch, 'work');
/** What links in `work` point to: must never change. */
const outside = join(scratch, 'outside');
mkdirSync(work);
mkdirSync(join(outside, 'folder'), { recursive: true });
writeFileSync(join(outside, 'victim.txt'), 'keep me\n');
symlinkSync(join(outside, 'victim.txt'), join(work, 'link-victim'));
symlinkSync('/proc/self/fd/1', join(work, 'link-stdout'));
symlinkSync(join(outside, 'folder'), join(work, 'link-folder'));
symlinkSync(join(outside, 'folder'), join(work, 'acksim-failures'));
symlinkSync(join(work, 'loop-b'), join(work, 'loop-a'));
symlinkSync(join(work, 'loop-a'), join(work, 'loop-b'));
execFileSync('mkfifo', [join(work, 'fifo')]);
if (process.getuid?.() === 0) execFileSync('mknod', [join(work, 'null'), 'c', '1', '3']);
mkdirSync(join(work, 'sub'));
writeFileSync(
  join(work, 'tiny.yaml'),
  'messages: 20\nnetwork: { ack: { loss: 0.1 } }\nexpect: { all: ["duplicates == 0"] }\n',
);
writeFileSync(join(work, 'notes.txt'), 'my notes\n');

/** Every entry below `dir`: its kind and, for files, its content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) Object.assign(out, snapshot(path));
    else out[path] = stat.isFile() ? readFileSync(path, 'utf8') : `kind ${stat.mode}`;
  }
  return out;
}
const untouched = snapshot(outside);
after(() => rmSync(scratch, { recursive: true, force: true }));
/**
 * The longest a single command may take. The slowest cases here (a storm explored until a schedule
 * reaches --max-events, a run to its event limit) take about 2 s on an idle 2-core machine; with two
 * test files per core and garbage collection a case can take several times that. What this guards
 * against is unbounded: a hang, or a storm explored until the heap runs out, took 43 s to 5 minutes.
 */
const CASE_MS = 60_000;

async function hostile(args: string[]): Promise<void> {
  const started = Date.now();
  const r = await acksimInProcess(args, work);
  const ms = Date.now() - started;
  const context = `acksim ${JSON.stringify(args).slice(0, 400)}\n${r.stderr.slice(0, 800)}`;
  expect({ context, ok: [0, 1, 2, 3].includes(r.status ?? -1) }).toEqual({ context, ok: true });
  expect(r.stderr).not.toMatch(/^ {4}at /m);
  expect(r.stderr).not.toContain('\u001b');
  expect(r.stdout).not.toContain('\u001b');
  expect(r.stderr + r.stdout).not.toContain(PASSWORD);
  expect(ms).toBeLessThan(CASE_MS);
  expect(snapshot(outside)).toEqual(untouched);
  expect(lstatSync(join(work, 'notes.txt')).isFile() && readFileSync(join(work, 'notes.txt'), 'utf8')).toBe(
    'my notes\n',
  );
}

describe('fuzz: hostile scenario files', () => {
  it('validate, run, trace and explore each answer with 0-3, one clear line per problem, in bounded time', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioText,
        fc.constantFrom('s.yaml', 's.json', 's.yml'),
        fc.nat(3),
        async (text, name, command) => {
          writeFileSync(join(work, name), text);
          const argv = [
            ['validate', name],
            ['run', name, '--messages', '20', '--no-shrink', '--quiet'],
            ['trace', name, '--messages', '20'],
            ['explore', name, '--messages', '1', '--max-faults', '1', '--max-seconds', '2'],
          ][command]!;
          await hostile(argv);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('scenarios that loop (delivery storms) end at their limits: run and explore answer 0-3 in bounded time', async () => {
    await fc.assert(
      fc.asyncProperty(stormText, fc.nat(2), fc.constantFrom('0', '1'), async (text, command, faults) => {
        writeFileSync(join(work, 'storm.yaml'), text);
        const argv = [
          ['explore', 'storm.yaml', '--messages', '1', '--max-faults', faults],
          ['explore', 'storm.yaml', '--messages', '2', '--max-faults', faults, '--mode', 'at-least-once'],
          ['run', 'storm.yaml', '--no-shrink', '--quiet'],
        ][command]!;
        await hostile(argv);
      }),
      { numRuns: 12 },
    );
  });
});

describe('fuzz: hostile flags and paths', () => {
  it('every command answers with 0-3 and one clear line, never writing through a link or outside its folder', async () => {
    await fc.assert(
      fc.asyncProperty(commandLine, async (args) => {
        // Bounds the work a valid command line may legitimately ask for, not what is checked.
        if (args[0] === 'explore') args.push('--max-seconds', '1');
        if (args[0] === 'live') args.push('--timeout', '2');
        if (args[0] === 'run') args.push('--shrink-budget', '2');
        await hostile(args);
      }),
      { numRuns: 100 },
    );
  });
});
