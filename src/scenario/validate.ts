// Pure validation of scenario text: YAML or JSON syntax, then the schema (ajv), then the rules the
// schema cannot say. Returns a scenario or every problem found, each with file, line:column and path.
import { unpricedExpectations } from './pricing.js';
import type { DeliveryMode, ModeKnobs } from '../model/config.js';
import { parseCheck } from './check-expression.js';
import { merge, scenarioDefaults } from './defaults.js';
import { profileDefaults } from './profiles.js';
import { ALL_MODES, PRESET_MODES } from './modes.js';
import { formatPath, locate } from './positions.js';
import {
  configProblems,
  expectProblems,
  faultProblems,
  modeNameProblems,
  textProblems,
  type RuleProblem,
} from './rules.js';
import type { ScenarioInput } from './schema.js';
import { scenarioSchema, scenarioValidator } from './scenario-validator.js';
import { schemaProblems } from './schema-issues.js';
import { normalizeUnits } from './units.js';
import { MAX_ISSUES, moreIssues, parseScenarioText } from './parse-text.js';
import type { Issue, ResolvedInput, Scenario, ScenarioCheck, ScenarioConfig, ScenarioMode } from './types.js';

/** Result of validating a scenario. */
export type Validation = { ok: true; scenario: Scenario } | { ok: false; issues: Issue[] };

/** Orders problems as they appear in the file. */
function byPosition(issues: Issue[]): Issue[] {
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** What the command line changes in a scenario before it is resolved. */
export interface ScenarioOverrides {
  /** Swap in this broker profile (`--profile`). */
  profile?: string;
}

/**
 * Parses and validates scenario text. `file` names it in problems; `defaultName` is used when it has no
 * name. A failed validation always carries at least one problem: "no problem found" must never be
 * mistaken for a valid scenario.
 */
export function validateScenario(
  text: string,
  file: string,
  defaultName: string,
  overrides: ScenarioOverrides = {},
): Validation {
  const result = validateText(text, file, defaultName, overrides);
  if (result.ok || result.issues.length > 0) return result;
  return {
    ok: false,
    issues: [
      {
        file,
        line: 1,
        column: 1,
        path: '(top level)',
        message: 'is not a valid scenario (see schema/scenario.schema.json)',
      },
    ],
  };
}

function validateText(text: string, file: string, defaultName: string, overrides: ScenarioOverrides): Validation {
  const parsed = parseScenarioText(text, file);
  if (!parsed.ok) return parsed;
  const { document, lines, data } = parsed;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      issues: [
        {
          file,
          line: 1,
          column: 1,
          path: '(top level)',
          message: 'a scenario must be a mapping of fields (see schema/scenario.schema.json)',
        },
      ],
    };
  }
  const at = (problem: RuleProblem, atKey = problem.atKey === true): Issue => ({
    file,
    ...locate(document, lines, problem.path, atKey),
    path: formatPath(problem.path),
    message: problem.message,
  });
  // `2%` and `30s` become numbers first, so the schema checks their ranges as it does any number.
  const units = normalizeUnits(data, scenarioSchema);
  const check = scenarioValidator();
  if (!check(data) || units.problems.length > 0) {
    // A string that is no value with a unit is reported once, by what its unit got wrong; a range
    // problem of a converted one says what was written.
    const bad = new Set(units.problems.map((p) => formatPath(p.path)));
    const problems = [
      ...units.problems,
      ...schemaProblems(check.errors ?? [])
        .filter((p) => !bad.has(formatPath(p.path)))
        .map((p) => {
          const written = units.converted.get(formatPath(p.path));
          return written === undefined ? p : { ...p, message: `${p.message}; written "${written}"` };
        }),
    ];
    return {
      ok: false,
      issues: [
        ...byPosition(problems.slice(0, MAX_ISSUES).map((p) => at(p, p.atKey))),
        ...moreIssues(problems.length, file),
      ],
    };
  }
  const withProfile = overrides.profile === undefined ? data : merge(data, { broker: { profile: overrides.profile } });
  const built = build(withProfile, file, defaultName, at);
  if (built.ok && overrides.profile !== undefined) built.scenario.profileOverride = overrides.profile;
  return built;
}

/** Schema defaults, then the profile's, then what the scenario wrote (and a custom mode's overrides). */
function resolve(input: ScenarioInput, profile: string | undefined, overrides: object = {}): ResolvedInput {
  const base = profile === undefined ? scenarioDefaults() : merge(scenarioDefaults(), profileDefaults(profile));
  return merge(merge(base, input), overrides);
}

function configOf(resolved: ResolvedInput): ScenarioConfig {
  const { messages, horizonMs, maxEvents, producer, network, broker, consumers, dedupe, sink, faults } = resolved;
  return {
    messages,
    horizonMs,
    ...(maxEvents === undefined ? {} : { maxEvents }),
    producer,
    network,
    broker,
    consumers,
    dedupe,
    sink,
    faults,
  };
}

/** producer.idempotent (Kafka enable.idempotence) sets the mode's idempotentPublish, unless it is by-mode. */
function withIdempotence(mode: DeliveryMode, config: ScenarioConfig): DeliveryMode {
  const idempotent = config.producer.idempotent;
  return idempotent === 'by-mode' ? mode : { ...mode, idempotentPublish: idempotent };
}

/** A custom mode as written. */
type CustomMode = Exclude<ResolvedInput['modes'][number], string>;

/** A custom mode's knobs: its preset's, under those it sets itself. */
function knobsOf(custom: CustomMode): ModeKnobs {
  const preset = PRESET_MODES[custom.base]!;
  return {
    ack: custom.ack ?? preset.ack,
    publishRetry: custom.publishRetry ?? preset.publishRetry,
    idempotentPublish: custom.idempotentPublish ?? preset.idempotentPublish,
    consumerDedupe: custom.consumerDedupe ?? preset.consumerDedupe,
  };
}

/** The sections of the scenario a custom mode overrides, as it wrote them. */
function sectionOverrides(
  custom: CustomMode,
): Partial<Pick<CustomMode, 'producer' | 'network' | 'broker' | 'consumers' | 'dedupe' | 'sink'>> {
  return Object.fromEntries(
    (['producer', 'network', 'broker', 'consumers', 'dedupe', 'sink'] as const)
      .filter((section) => custom[section] !== undefined)
      .map((section) => [section, custom[section]]),
  );
}

function build(
  input: ScenarioInput,
  file: string,
  defaultName: string,
  at: (problem: RuleProblem) => Issue,
): Validation {
  const resolved = resolve(input, input.broker?.profile);
  const config = configOf(resolved);
  const modeInputs = resolved.modes;
  const problems: RuleProblem[] = [
    ...textProblems(input),
    ...configProblems(config),
    ...faultProblems(config),
    ...modeNameProblems(modeInputs),
  ];
  const modes: ScenarioMode[] = modeInputs.map((entry, index) => {
    if (typeof entry === 'string')
      return { mode: withIdempotence({ name: entry, ...PRESET_MODES[entry]! }, config), config };
    const custom = entry;
    const knobs = knobsOf(custom);
    const overrides = sectionOverrides(custom);
    // A mode may pick its own profile: its defaults replace the scenario's profile's, under what the scenario wrote.
    const modeProfile = custom.broker?.profile;
    const modeConfig =
      Object.keys(overrides).length === 0
        ? config
        : modeProfile === undefined
          ? merge(config, overrides)
          : configOf(resolve(input, modeProfile, overrides));
    if (modeConfig !== config) {
      // Report only what the overrides broke; problems inherited from the scenario are reported once.
      const inherited = new Set(configProblems(config).map((p) => p.message));
      problems.push(...configProblems(modeConfig, ['modes', index]).filter((p) => !inherited.has(p.message)));
    }
    const base: DeliveryMode = { name: custom.name, ...knobs };
    // A knob the mode sets itself wins over producer.idempotent.
    const mode = custom.idempotentPublish === undefined ? withIdempotence(base, modeConfig) : base;
    return { mode, config: modeConfig };
  });
  const modeNames = modes.map((m) => m.mode.name);
  const expect = resolved.expect;
  problems.push(...expectProblems(expect, modeNames), ...unpricedExpectations(expect, modes));
  if (problems.length > 0) return { ok: false, issues: byPosition(problems.map((p) => at(p))) };
  const checks: ScenarioCheck[] = [];
  for (const [mode, texts] of Object.entries(expect)) {
    for (const text of texts) {
      const parsed = parseCheck(text);
      if (parsed.ok)
        checks.push({ mode: mode === ALL_MODES ? undefined : mode, check: parsed.check, source: 'scenario' });
    }
  }
  return {
    ok: true,
    scenario: {
      name: resolved.name ?? defaultName,
      file,
      summary: resolved.summary,
      description: resolved.description,
      seed: resolved.seed,
      config,
      modes,
      checks,
    },
  };
}
