// `acksim init`: writes a scenario to start from (a small commented template, or a copy of a built-in)
// whose schema line points at the schema of this acksim from wherever the file is written.
import { Command } from 'commander';
import { basename, dirname, extname, join, relative } from 'node:path';
import { UsageError } from '../errors.js';
import { fromCwd, readInputText, SCENARIO_MAX_BYTES } from '../input-file.js';
import { builtinFile, builtinNames, PACKAGE_ROOT } from '../scenario/load.js';
import { copiedScenario, templateScenario } from '../scenario/template.js';
import type { Io } from './common.js';
import { writeNewFile } from './output.js';

interface InitFlags {
  from?: string;
  force?: boolean;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const YAML_EXTENSIONS = ['.yaml', '.yml'];

const EXAMPLES = `
Examples:
  $ acksim init my-queue            writes my-queue.yaml, a commented scenario
  $ acksim init scenarios/orders.yaml --from lost-acks    a copy of a built-in
  $ acksim run my-queue.yaml

The file's first line points editors at acksim's schema; in a project:
node_modules/acksim/schema/scenario.schema.json. An existing file is kept
unless --force (and then only a regular file is replaced).`;

/** The file to write for `name`: `<name>.yaml`, or the path given when it ends in .yaml or .yml. */
function targetPath(name: string): string {
  const extension = extname(name).toLowerCase();
  const path = YAML_EXTENSIONS.includes(extension) ? name : `${name}.yaml`;
  const base = basename(path, extname(path));
  if (extension === '.json')
    throw new UsageError(`init "${name}": init writes YAML (allowed: a name, or a path ending in .yaml or .yml)`);
  if (!NAME.test(base))
    throw new UsageError(
      `init "${name}": not a scenario name (allowed: letters, digits, ".", "_" and "-", starting with a letter or digit; optionally a folder before it and .yaml or .yml after it)`,
    );
  return path;
}

/** A path from the folder of `file` to `target`, with forward slashes. */
function relativeTo(file: string, target: string): string {
  return relative(dirname(file), target).split('\\').join('/');
}

function init(name: string, flags: InitFlags, io: Io): void {
  const path = targetPath(name);
  const absolute = fromCwd(io.cwd, path);
  const schema = relativeTo(absolute, join(PACKAGE_ROOT, 'schema', 'scenario.schema.json'));
  let text: string;
  if (flags.from === undefined) {
    text = templateScenario(
      { schema, docs: relativeTo(absolute, join(PACKAGE_ROOT, 'docs', 'scenario-format.md')) },
      path,
    );
  } else {
    const file = builtinFile(flags.from);
    if (file === undefined)
      throw new UsageError(
        `--from ${flags.from}: not a built-in scenario (allowed: one of the ${builtinNames().length} names acksim list shows, e.g. lost-acks)`,
      );
    const read = readInputText(file, SCENARIO_MAX_BYTES);
    if (!read.ok) throw new Error(`built-in scenario ${flags.from} unreadable: ${read.message}`);
    text = copiedScenario(read.text, schema, flags.from);
  }
  writeNewFile({ flag: 'init', path, cwd: io.cwd, inputs: [], force: flags.force === true }, text);
  io.stdout(
    `wrote ${path}${flags.from === undefined ? '' : ` (from ${flags.from})`}; run it with: acksim run ${path}\n`,
  );
}

/** Registers `acksim init`. */
export function initCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('init')
    .description('write a scenario file to start from: a small commented one, or a copy of a built-in')
    .argument('<name>', 'scenario name (writes <name>.yaml) or a path ending in .yaml or .yml')
    .option('--from <built-in>', 'copy this built-in scenario (acksim list) instead of the template')
    .option('--force', 'replace an existing regular file')
    .addHelpText('after', EXAMPLES)
    .action((name: string, flags: InitFlags) => {
      init(name, flags, io);
      setExit(0);
    });
}
