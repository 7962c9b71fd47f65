// `--handler <module>`: the user's consumer code for the commands that simulate, read from a JavaScript module
// (ESM) that exports `handler` and, if it likes, `payload`, `effects` and `checks`. Loading runs the module's
// code: it is the user's own, named on their command line.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Option } from 'commander';
import { UsageError } from '../errors.js';
import type { UserCode } from '../run/prepare.js';
import { userCode } from '../run/user-code.js';
import { safeText } from '../safe-text.js';

/** A loaded handler module: its code, the checks it exports (if any), and its path as given. */
export interface HandlerModule {
  code: UserCode;
  checks: string[] | undefined;
  path: string;
}

/** The `--handler` option. */
export function handlerOption(): Option {
  return new Option(
    '--handler <module>',
    'your consumer code: a JavaScript module exporting handler(message, ctx) (docs/api.md), run where the consumer has its effect',
  );
}

/** Loads `--handler path` (relative to `cwd`); refuses, in one line, a module that is missing, fails or is not one. */
export async function loadHandlerModule(path: string, cwd: string): Promise<HandlerModule> {
  const where = `--handler ${safeText(path, 200)}: `;
  const file = resolve(cwd, path);
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new UsageError(`${where}no such file (allowed: a JavaScript module, e.g. ./handler.mjs)`);
  }
  if (!isFile) throw new UsageError(`${where}not a file (allowed: a JavaScript module, e.g. ./handler.mjs)`);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new UsageError(`${where}cannot be loaded: ${safeText(message, 300)}`);
  }
  if (typeof loaded.handler !== 'function')
    throw new UsageError(`${where}exports no function named handler (allowed: export function handler(message, ctx))`);
  const code = userCode(
    { handler: loaded.handler, payload: loaded.payload, effects: loaded.effects, check: loaded.check },
    undefined,
    where,
  )!;
  const checks = loaded.checks;
  if (checks !== undefined && (!Array.isArray(checks) || checks.some((c) => typeof c !== 'string')))
    throw new UsageError(
      `${where}checks: not a list of checks as text (allowed: e.g. export const checks = ['lost == 0'])`,
    );
  return { code, checks: checks as string[] | undefined, path };
}
