// `acksim show`: one scenario as a lesson: its name, summary and description (wrapped), its modes,
// the faults it configures, and its checks.
import { LINKS } from '../model/config.js';
import { configuredFaults } from '../run/aggregate.js';
import { safeText, shellWord } from '../safe-text.js';
import type { Scenario, ScenarioConfig } from '../scenario/types.js';
import { count, percent } from './format.js';
import { paragraphs, wrap } from './wrap.js';

/** The faults a configuration sets, one short line each ("network.ack: loss 1%"). */
function configuredFaultLines(config: ScenarioConfig): string[] {
  const lines: string[] = [];
  for (const link of LINKS) {
    const { loss, duplicate } = config.network[link];
    const parts = [loss > 0 ? `loss ${percent(loss)}` : '', duplicate > 0 ? `duplicate ${percent(duplicate)}` : ''];
    if (loss > 0 || duplicate > 0) lines.push(`network.${link}: ${parts.filter((p) => p !== '').join(', ')}`);
  }
  if (config.consumers.crash.probability > 0)
    lines.push(
      `consumers.crash: ${percent(config.consumers.crash.probability)} of deliveries, ${config.consumers.crash.point}`,
    );
  if (config.consumers.poisonRate > 0) lines.push(`consumers.poisonRate: ${percent(config.consumers.poisonRate)}`);
  if (config.consumers.failure.probability > 0)
    lines.push(`consumers.failure.probability: ${percent(config.consumers.failure.probability)}`);
  if (config.producer.crash.probability > 0)
    lines.push(`producer.crash: ${percent(config.producer.crash.probability)}`);
  for (const fault of config.faults) {
    // A fault's own fields beside its window: a name as it is (`partition ack`), a number with its field
    // (`consumer-crash consumer 2`); a new fault kind needs no line here.
    const where = Object.entries(fault)
      .filter(([key]) => key !== 'type' && key !== 'atMs' && key !== 'durationMs')
      .map(([key, value]) => (typeof value === 'number' ? ` ${key} ${value}` : ` ${String(value)}`))
      .join('');
    const lasting = 'durationMs' in fault ? ` for ${count(fault.durationMs)} ms` : '';
    lines.push(`${fault.type}${where} at ${count(fault.atMs)} ms${lasting}`);
  }
  return lines;
}

/** The scenario as text; the description wrapped to `width` columns (at least 40). */
export function formatShow(scenario: Scenario, width: number): string {
  const columns = Math.max(40, width);
  const name = safeText(scenario.name, 128);
  const out = [
    ...wrap(scenario.summary === '' ? name : `${name} — ${safeText(scenario.summary, 300)}`, columns),
    `  ${safeText(scenario.file, 400)} · seed ${scenario.seed} · ${count(scenario.config.messages)} messages`,
    '',
  ];
  const description = paragraphs(scenario.description)
    .split('\n')
    .map((line) => safeText(line, 2000))
    .join('\n');
  if (description.trim() !== '') out.push(...wrap(description, columns), '');
  const modeWidth = Math.max(...scenario.modes.map((m) => m.mode.name.length));
  out.push('modes, and the faults each can meet:');
  for (const { mode, config } of scenario.modes) {
    const faults = configuredFaults(config, mode);
    out.push(
      ...wrap(
        faults.length === 0 ? 'none' : faults.join(', '),
        columns,
        `  ${mode.name.padEnd(modeWidth)}  `,
        ' '.repeat(modeWidth + 4),
      ),
    );
  }
  const faults = configuredFaultLines(scenario.config);
  out.push('', 'faults configured:', ...(faults.length === 0 ? ['  none'] : faults.map((line) => `  ${line}`)));
  out.push('', 'checks:');
  if (scenario.checks.length === 0) out.push('  none');
  for (const c of scenario.checks)
    out.push(...wrap(`${c.mode ?? 'every mode'}: ${safeText(c.check.expr, 300)}`, columns, '  ', '    '));
  out.push('', `run it: acksim run ${shellWord(scenario.file)}`);
  return `${out.join('\n')}\n`;
}
