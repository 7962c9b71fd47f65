// `acksim validate`: checks scenario files without running them.
import { Command } from 'commander';
import { ScenarioError } from '../errors.js';
import { loadScenarios } from '../scenario/load.js';
import type { Io } from './common.js';
import { wrapLine } from '../report/wrap.js';
import { scenarioWarnings } from './run-command.js';
import { outputWidth } from './terminal.js';

const EXAMPLES = `
Examples:
  $ acksim validate my-scenario.yaml
  $ acksim validate scenarios/

Each problem is one line on stderr: file:line:col  field.path  what is wrong (allowed: ...).
Exit codes: 0 every file is valid, 2 a problem was found.`;

/** Registers `acksim validate`. */
export function validateCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('validate')
    .description('check scenario files against the schema and the rules, without running them')
    .argument('<scenarios...>', 'scenario files, folders of them, or built-in scenario names')
    .addHelpText('after', EXAMPLES)
    .action((paths: string[]) => {
      const { scenarios, issues } = loadScenarios(paths, io.cwd);
      const width = outputWidth();
      for (const s of scenarios) {
        const checks = s.checks.length;
        const line = `ok  ${s.file}  (${s.name}: ${s.modes.length} mode${s.modes.length === 1 ? '' : 's'}, ${checks} check${checks === 1 ? '' : 's'})`;
        // Valid is not sound: say so when the consumers cannot keep up (the run would say it under its table).
        const warnings = (scenarioWarnings([s]).get(s.file) ?? []).map((w) => `  warning: ${w}`);
        io.stdout(`${[line, ...warnings].flatMap((l) => wrapLine(l, width)).join('\n')}\n`);
      }
      if (issues.length > 0) throw new ScenarioError(issues);
      setExit(0);
    });
}
