// `acksim schema [scenario|report]`: prints the JSON Schema of scenario files or of JSON reports, for
// editors and other tools.
import { Argument, Command } from 'commander';
import { reportSchemaDocument } from '../run/report-validators.js';
import { scenarioSchemaDocument } from '../scenario/scenario-validator.js';
import type { Io } from './common.js';

const SCHEMAS = { scenario: scenarioSchemaDocument, report: reportSchemaDocument } as const;

/** Registers `acksim schema`. */
export function schemaCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('schema')
    .description('print the JSON Schema of scenario files (or of JSON reports: acksim schema report)')
    .addArgument(new Argument('[which]', 'which schema').choices(Object.keys(SCHEMAS)).default('scenario'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ acksim schema > scenario.schema.json\n  $ acksim schema report > report.schema.json\n\nIn a YAML scenario, point editors at it with a first line like:\n  # yaml-language-server: $schema=./scenario.schema.json',
    )
    .action((which: keyof typeof SCHEMAS) => {
      io.stdout(`${JSON.stringify(SCHEMAS[which](), null, 2)}\n`);
      setExit(0);
    });
}
