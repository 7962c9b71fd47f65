// Reads scenario files from disk: files, folders of them, or built-in scenario names. The only file
// system access of the scenario layer (the bounded reading itself is ../input-file.ts).
import { hasControlCharacters } from '../safe-text.js';
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { readInputText, reasonOf, SCENARIO_MAX_BYTES } from '../input-file.js';
import { PACKAGE_ROOT } from '../package-root.js';
import type { Issue, Scenario } from './types.js';
import { validateScenario, type ScenarioOverrides } from './validate.js';

/** File extensions read as scenarios. */
export const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** The folder of acksim's package.json (defined in ../package-root.ts, light enough for `--version`). */
export { PACKAGE_ROOT };

/** Folder of the built-in scenarios shipped with acksim. */
export const BUILTIN_DIR = join(PACKAGE_ROOT, 'scenarios');

/** Result of loading scenarios: every scenario that validated, and every problem found. */
export interface Loaded {
  scenarios: Scenario[];
  issues: Issue[];
}

function scenarioFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => SCENARIO_EXTENSIONS.includes(extname(name).toLowerCase()))
    .sort()
    .map((name) => join(folder, name));
}

/** Names of the built-in scenarios (file names without extension), sorted. */
export function builtinNames(): string[] {
  return scenarioFiles(BUILTIN_DIR).map((file) => basename(file, extname(file)));
}

/** The built-in scenario files, each with its name (how reports name it, wherever acksim is installed). */
function builtinFiles(): Map<string, string> {
  return new Map(scenarioFiles(BUILTIN_DIR).map((file) => [file, basename(file, extname(file))]));
}

/** The built-in scenario file named `name`, if there is one. */
export function builtinFile(name: string): string | undefined {
  return [...builtinFiles()].find(([, n]) => n === name)?.[0];
}

/** Which scenarios to read: paths (files, folders, built-in names) and, with `all`, every built-in first. */
export interface ScenarioSources {
  paths: readonly string[];
  all?: boolean;
}

/** How a file is named in reports: relative to the working folder when inside it, else absolute. */
function display(file: string, cwd: string): string {
  const path = relative(cwd, file);
  return path.startsWith('..') ? file : path.split('\\').join('/');
}

/**
 * Expands paths (files, folders, built-in names, and every built-in with `all`) to scenario files, in the order given.
 * A built-in
 * named by its name keeps that name in reports (`names`), so reports do not depend on where acksim is installed.
 */
export function expandPaths(
  sources: readonly string[] | ScenarioSources,
  cwd: string,
): { files: string[]; names: Map<string, string>; issues: Issue[] } {
  const { paths, all = false }: ScenarioSources = 'paths' in sources ? sources : { paths: sources };
  const names = all ? builtinFiles() : new Map<string, string>();
  const files: string[] = [...names.keys()];
  const issues: Issue[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    let isFolder = false;
    try {
      isFolder = statSync(absolute).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const builtin = code === 'ENOENT' ? builtinFile(path) : undefined;
      if (builtin !== undefined) {
        files.push(builtin);
        names.set(builtin, path);
      } else if (code === 'ENOENT' || code === 'ENOTDIR')
        issues.push({
          file: path,
          path: '(file)',
          message: `no such file, folder or built-in scenario (built-ins: ${builtinNames().join(', ')})`,
        });
      else issues.push({ file: path, path: '(file)', message: `cannot read: ${reasonOf(error)}` });
      continue;
    }
    if (!isFolder) {
      files.push(absolute);
      continue;
    }
    let inside: string[];
    try {
      inside = scenarioFiles(absolute);
    } catch (error) {
      issues.push({ file: path, path: '(file)', message: `cannot read the folder: ${reasonOf(error)}` });
      continue;
    }
    if (inside.length === 0)
      issues.push({
        file: path,
        path: '(file)',
        message: `folder has no scenario files (${SCENARIO_EXTENSIONS.join(', ')})`,
      });
    files.push(...inside);
  }
  return { files: [...new Set(files)], names, issues };
}

/** Loads and validates scenarios from paths, with the command line's overrides (`--profile`). */
export function loadScenarios(
  sources: readonly string[] | ScenarioSources,
  cwd: string,
  overrides: ScenarioOverrides = {},
): Loaded {
  const { files, names, issues } = expandPaths(sources, cwd);
  const scenarios: Scenario[] = [];
  for (const file of files) {
    const shown = names.get(file) ?? display(file, cwd);
    const read = readInputText(file, SCENARIO_MAX_BYTES);
    if (!read.ok) {
      const { message, line, column } = read;
      issues.push({
        file: shown,
        ...(line === undefined ? {} : { line, column }),
        path: line === undefined ? '(file)' : '(text)',
        message,
      });
      continue;
    }
    const text = read.text;
    const result = validateScenario(text, shown, basename(file, extname(file)), overrides);
    const unsafe = result.ok ? unprintable(result.scenario) : [];
    if (result.ok && unsafe.length === 0) scenarios.push(result.scenario);
    else issues.push(...(result.ok ? unsafe : result.issues));
  }
  return { scenarios, issues };
}

/**
 * A scenario's path is printed in every report (its name, summary and description are checked by
 * validation): a control character there would drive the reader's terminal.
 */
function unprintable(scenario: Scenario): Issue[] {
  if (!hasControlCharacters(scenario.file)) return [];
  return [
    {
      file: scenario.file,
      path: '(file)',
      message: 'the file name holds a control character (allowed: printable text)',
    },
  ];
}
