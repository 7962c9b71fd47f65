// Trace renderings: lanes for an 80-column terminal, a Mermaid sequenceDiagram for GitHub and docs,
// and JSON Lines for other tools.
import { wrapLine } from './wrap.js';
import { Chalk, type ChalkInstance } from 'chalk';
import type { TraceEvent } from '../model/trace.js';
import { verdictText, type Verdict } from '../run/explain.js';
import type { TraceResult } from '../run/trace.js';
import { wrap } from './wrap.js';

const LANES = ['producer', 'network', 'broker', 'consumer', 'sink'] as const;
const TIME_WIDTH = 10;
const LANE_WIDTH = 14;

function who(event: TraceEvent): string {
  return event.message === undefined ? '' : ` #${event.message}`;
}

function label(event: TraceEvent): string {
  const m = who(event);
  const c = event.consumer === undefined ? '' : ` c${event.consumer}`;
  const detail = event.detail === undefined ? '' : ` (${event.detail})`;
  switch (event.event) {
    case 'publish':
    case 'retry':
      return `${event.event}${m} →`;
    case 'confirm':
      return `← confirm${m}`;
    case 'deliver':
    case 'redeliver':
      return `${event.event === 'redeliver' ? '↻ redeliver' : 'deliver'}${m} →${c}${detail}`;
    case 'ack':
    case 'nack':
      return `← ${event.event}${m}`;
    case 'drop':
      return `✗ ${event.link ?? ''}${m} dropped${detail}`.replace('✗ ', '✗ ').replace(/ {2}/g, ' ');
    case 'duplicate':
      return `⧉ ${event.link ?? ''}${m} duplicated`;
    case 'effect':
      return `●${m} ×${(event.detail ?? '').replace('effect ', '')}`;
    case 'crash':
      return `⚡ crash${m}${c}${event.detail === undefined ? '' : ` ${event.detail}`}`;
    default:
      return `${event.event}${m}${c}${detail}`;
  }
}

function colour(event: TraceEvent, chalk: ChalkInstance): (text: string) => string {
  if (
    event.event === 'drop' ||
    event.event === 'crash' ||
    event.event === 'give up' ||
    event.event === 'fail' ||
    event.event === 'expire'
  )
    return chalk.red;
  if (event.event === 'effect') return chalk.green;
  if (
    [
      'redeliver',
      'visibility timeout',
      'dedupe',
      'duplicate',
      'ignore ack',
      'confirm timeout',
      'dead-letter',
      'reject',
    ].includes(event.event)
  )
    return chalk.yellow;
  return (text) => text;
}

function time(ms: number, width = TIME_WIDTH - 1): string {
  return ms.toFixed(3).padStart(width);
}

function header(result: TraceResult): string[] {
  const which =
    result.messageIds === undefined
      ? 'every message'
      : result.messageIds.length === 0
        ? 'no message'
        : `message${result.messageIds.length === 1 ? '' : 's'} ${result.messageIds.map((m) => `#${m}`).join(', ')}`;
  return [`trace ${result.scenario} · ${result.mode} · seed ${result.seed} · ${which}`];
}

/** Lanes: one row per event, placed in the lane of the actor that did it; fits 80 columns. */
export function formatLanes(result: TraceResult, options: { color: boolean }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const out = header(result).flatMap((line) => wrapLine(chalk.bold(line), 80));
  // Times wider than the column (runs of hours) widen it rather than break the lanes.
  const width = Math.max(TIME_WIDTH - 1, ...result.events.map((e) => time(e.t, 0).length));
  out.push(chalk.dim(`${'ms'.padStart(width)} ${LANES.map((lane) => lane.padEnd(LANE_WIDTH)).join('')}`.trimEnd()));
  for (const event of result.events) {
    const lane = LANES.indexOf(event.actor);
    const text = label(event);
    const room = Math.max(8, 80 - (width + 1) - lane * LANE_WIDTH);
    const shown = text.length > room ? `${text.slice(0, room - 1)}…` : text;
    out.push(`${chalk.dim(time(event.t, width))} ${' '.repeat(lane * LANE_WIDTH)}${colour(event, chalk)(shown)}`);
  }
  if (result.events.length === 0) out.push(chalk.dim('  (no event matched)'));
  if (result.truncated)
    out.push(chalk.yellow(`  … cut at ${result.events.length} events (--limit, --from/--to or --message narrow it)`));
  out.push(...verdictLines(result.verdicts, chalk));
  return `${out.join('\n')}\n`;
}

/** How the story ended, for each message: anomalies one by one, messages processed once together. */
function verdictLines(verdicts: readonly Verdict[], chalk: ChalkInstance): string[] {
  if (verdicts.length === 0) return [];
  const lines = [chalk.bold('outcome:')];
  const once = verdicts.filter((v) => v.outcome === 'processed');
  for (const v of verdicts.filter((v) => v.outcome !== 'processed')) {
    const paint = v.outcome === 'duplicated' ? chalk.yellow : chalk.red;
    lines.push(...wrap(`#${v.message} ${verdictText(v)}.`, 80, '  ', '    ').map((line) => paint(line)));
  }
  if (once.length > 0) {
    const shown = once.slice(0, 10).map((v) => `#${v.message}`);
    const more = once.length > 10 ? ` and ${once.length - 10} more` : '';
    lines.push(
      ...wrap(`${shown.join(', ')}${more} processed once.`, 80, '  ', '    ').map((line) => chalk.green(line)),
    );
  }
  return lines;
}

/** JSON Lines: one event per line, then one `outcome` record per message of the trace. */
export function formatJsonl(result: TraceResult): string {
  const outcomes = result.verdicts.map((v) => ({
    t: result.endMs,
    actor: 'sink',
    event: 'outcome',
    message: v.message,
    outcome: v.outcome,
    effects: v.effects,
    ...(v.cause === undefined ? {} : { cause: v.cause }),
  }));
  return [...result.events, ...outcomes].map((record) => `${JSON.stringify(record)}\n`).join('');
}

function mermaidText(text: string): string {
  // Mermaid reads "#" and ";" specially in messages; plain words are safest.
  return text
    .replace(/#(\d+)/g, 'msg $1')
    .replace(/[;#]/g, ' ')
    .replace(/[<>]/g, '');
}

/** A Mermaid sequenceDiagram: arrows for sends (crossed when the network dropped them), notes for the rest. */
export function formatMermaid(result: TraceResult): string {
  const consumers = [...new Set(result.events.filter((e) => e.consumer !== undefined).map((e) => e.consumer!))].sort(
    (a, b) => a - b,
  );
  const lines = ['sequenceDiagram', '  participant P as producer', '  participant B as broker'];
  for (const c of consumers) lines.push(`  participant C${c} as consumer ${c}`);
  lines.push('  participant S as sink');
  const events = result.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const next = events[i + 1];
    const dropped =
      next !== undefined &&
      next.actor === 'network' &&
      next.event === 'drop' &&
      next.link === e.link &&
      next.message === e.message &&
      next.t === e.t;
    const duplicated =
      next !== undefined &&
      next.actor === 'network' &&
      next.event === 'duplicate' &&
      next.link === e.link &&
      next.message === e.message &&
      next.t === e.t;
    const consumer = e.consumer === undefined ? (consumers.length > 0 ? `C${consumers[0]}` : 'B') : `C${e.consumer}`;
    const suffix = dropped ? ` (${next.detail ?? 'lost'})` : duplicated ? ' (duplicated)' : '';
    const arrow = (from: string, to: string, reply: boolean) =>
      `  ${from}${dropped ? (reply ? '--x' : '-x') : reply ? '-->>' : '->>'}${to}: ${mermaidText(`${label(e).replace(/[→←] ?| ?[→←]/g, '')}${suffix}`)}`;
    if (e.link === 'publish' && e.actor === 'producer') lines.push(arrow('P', 'B', false));
    else if (e.link === 'confirm' && e.actor === 'broker') lines.push(arrow('B', 'P', true));
    else if (e.link === 'deliver' && e.actor === 'broker') lines.push(arrow('B', consumer, false));
    else if (e.link === 'ack' && e.actor === 'consumer') lines.push(arrow(consumer, 'B', true));
    else if (e.actor === 'sink') lines.push(`  ${consumer}->>S: ${mermaidText(label(e).replace('●', 'effect'))}`);
    else if (e.actor === 'network') continue;
    else {
      const over = e.actor === 'producer' ? 'P' : e.actor === 'broker' ? 'B' : consumer;
      lines.push(`  Note over ${over}: ${mermaidText(`${time(e.t).trim()} ms ${label(e)}`)}`);
    }
    if (dropped || duplicated) i++;
  }
  for (const v of result.verdicts) {
    const end = v.outcome === 'duplicated' ? `duplicate, effect ran ${v.effects} times` : v.outcome;
    lines.push(
      `  Note over P,S: ${mermaidText(`outcome #${v.message} ${end}${v.cause === undefined ? '' : ` (cause ${v.cause})`}`)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The Mermaid diagram in a fenced code block, which GitHub and most Markdown viewers draw. */
export function formatMermaidMarkdown(result: TraceResult): string {
  return `\`\`\`mermaid\n${formatMermaid(result)}\`\`\`\n`;
}
