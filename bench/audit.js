// npm run bench (third part): `acksim audit` of a 10,000,000-line JSON Lines log (about 2 million
// messages: publish, confirm, deliver, effect, ack; 1 % redelivered with a second effect), written once
// to the temp folder. Reports lines per second, the peak resident memory of the audit process, and its speed
// as a share of bench/bare-audit.js's on the same file (--lines N for a quick run, --rounds N for the number
// of interleaved pairs). Goals: 10 M lines in under 1 GB (the state is per distinct id, not per line); >= 0.9.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const lines = arg('--lines', 10_000_000);
const rounds = arg('--rounds', 3);
const file = join(tmpdir(), `acksim-bench-audit-${lines}.jsonl`);

async function writeLog() {
  const out = createWriteStream(file);
  let written = 0;
  let id = 0;
  let chunk = '';
  while (written < lines) {
    const t = id * 2;
    const events = ['publish', 'confirm', 'deliver', 'effect', 'ack'];
    // Every 100th message is redelivered and processed again.
    if (id % 100 === 0) events.push('deliver', 'effect');
    for (const type of events) {
      if (written === lines) break;
      chunk += `{"type":"${type}","id":"msg-${id}","ts":${t + (written % 7)}}\n`;
      written++;
    }
    id++;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((done) => out.once('drain', done));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise((done) => out.on('finish', done));
}

if (!existsSync(file)) {
  process.stderr.write(`writing ${lines.toLocaleString('en-US')} lines to ${file} ...\n`);
  await writeLog();
}
const bin = fileURLToPath(new URL('../bin/acksim.js', import.meta.url));
const bare = fileURLToPath(new URL('bare-audit.js', import.meta.url));

/** CPU seconds (user + system) of this process's finished children, from /proc (Linux; NaN elsewhere). */
function childCpuSeconds() {
  try {
    // Fields after the command's name: cutime and cstime are the 14th and 15th, in clock ticks (100 a second).
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}

/** Runs node with these arguments; its wall and CPU seconds and what it printed. */
function timed(args, env = process.env) {
  const cpuBefore = childCpuSeconds();
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26, env });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { seconds, cpu: childCpuSeconds() - cpuBefore, stdout: r.stdout, stderr: r.stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const loadBefore = os.loadavg()[0];
// Interleaved, the yardstick first in each round: the host's speed drifts between runs, so each ratio is taken
// from runs side by side, and the medians of `rounds` runs each.
const bareRuns = [];
const auditRuns = [];
for (let round = 0; round < rounds; round++) {
  const b = timed([bare, file]);
  if (JSON.parse(b.stdout).lines !== lines) throw new Error(`bare-audit read ${b.stdout}`);
  bareRuns.push(b);
  // The child reports its own peak resident memory: /usr/bin/time is not on every machine.
  auditRuns.push(
    timed(['--expose-gc', bin, 'audit', file, '--check', 'produced > 0', '--format', 'json', '--quiet'], {
      ...process.env,
      ACKSIM_REPORT_MAX_RSS: '1',
    }),
  );
}
const seconds = median(auditRuns.map((r) => r.seconds));
const bareSeconds = median(bareRuns.map((r) => r.seconds));
const cpuRatio = median(bareRuns.map((r) => r.cpu)) / median(auditRuns.map((r) => r.cpu));
const metrics = JSON.parse(auditRuns[0].stdout).scenarios[0].results[0].metrics;
const peakMiB = Math.max(...auditRuns.map((r) => Number(/max rss (\d+)/.exec(r.stderr)?.[1] ?? NaN))) / 1024;
console.log(
  `audit: ${lines.toLocaleString('en-US')} lines (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB), ${metrics.produced.toLocaleString('en-US')} messages, ` +
    `${seconds.toFixed(1)} s, ${(lines / seconds / 1e6).toFixed(2)} M lines/s, peak RSS ${peakMiB.toFixed(0)} MiB` +
    ` (goal: under 1,024 MiB) · duplicates ${metrics.duplicates.toLocaleString('en-US')}`,
);
console.log(
  `audit vs bare: ${(bareSeconds / seconds).toFixed(2)} of a chunk-splitting JSON.parse loop's lines/s ` +
    `(${(lines / bareSeconds / 1e6).toFixed(2)} M lines/s; whole processes, medians of ${rounds} interleaved runs; ` +
    `by CPU time ${cpuRatio.toFixed(2)}; goal >= 0.9; load ${loadBefore.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)})`,
);
