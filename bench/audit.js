// npm run bench (third part): `acksim audit` of a 10,000,000-line JSON Lines log (about 2 million
// messages: publish, confirm, deliver, effect, ack; 1 % redelivered with a second effect), written once
// to the temp folder. Reports lines per second and the peak resident memory of the audit process.
// Goal: 10 M lines in under 1 GB (the state is per distinct id, not per line).
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const lines = arg('--lines', 10_000_000);
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
// The child reports its own peak resident memory: /usr/bin/time is not on every machine.
const started = performance.now();
const r = spawnSync(process.execPath, ['--expose-gc', bin, 'audit', file, '--format', 'json', '--quiet'], {
  encoding: 'utf8',
  maxBuffer: 1 << 26,
  env: { ...process.env, ACKSIM_REPORT_MAX_RSS: '1' },
});
const seconds = (performance.now() - started) / 1000;
if (r.status !== 0) throw new Error(`audit failed (${r.status}): ${r.stderr}`);
const metrics = JSON.parse(r.stdout).scenarios[0].results[0].metrics;
const peakMiB = Number(/max rss (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
console.log(
  `audit: ${lines.toLocaleString('en-US')} lines (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB), ${metrics.produced.toLocaleString('en-US')} messages, ` +
    `${seconds.toFixed(1)} s, ${(lines / seconds / 1e6).toFixed(2)} M lines/s, peak RSS ${peakMiB.toFixed(0)} MiB` +
    ` (goal: under 1,024 MiB) · duplicates ${metrics.duplicates.toLocaleString('en-US')}`,
);
