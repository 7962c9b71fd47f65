// `acksim schema`: prints the scenario JSON Schema, for editors and other tools.
import { Command } from 'commander';
import { schemaJson } from '../scenario/schema.js';
import type { Io } from './common.js';

/** Registers `acksim schema`. */
export function schemaCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('schema')
    .description('print the JSON Schema of scenario files')
    .addHelpText(
      'after',
      '\nExamples:\n  $ acksim schema > scenario.schema.json\n\nIn a YAML scenario, point editors at it with a first line like:\n  # yaml-language-server: $schema=./scenario.schema.json',
    )
    .action(() => {
      io.stdout(`${JSON.stringify(schemaJson(), null, 2)}\n`);
      setExit(0);
    });
}
