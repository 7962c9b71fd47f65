// The text `acksim init` writes: a small commented scenario to start from, or a built-in's text with
// the editor's schema line pointed at the schema from where the file is written. Pure: no file system.

/** Where the written file finds acksim's schema and docs: paths relative to the file's folder. */
export interface TemplatePaths {
  schema: string;
  docs: string;
}

const SCHEMA_LINE = /^# yaml-language-server: \$schema=.*$/m;

/** The first line that points editors (yaml-language-server) at the schema. */
function schemaLine(schema: string): string {
  return `# yaml-language-server: $schema=${schema}`;
}

/** A small scenario that validates, runs in a second and passes its checks in every mode. */
export function templateScenario(paths: TemplatePaths, file: string): string {
  return `${schemaLine(paths.schema)}
# A scenario to start from: change the numbers, then \`acksim run ${file}\`.
# Every field, its default and its unit (or \`acksim schema\`):
#   ${paths.docs}
summary: one ack in a hundred is lost; what each delivery mode makes of it
description: |
  Replace this with what your system does and what you want to learn. As written: 1 % of the
  consumers' acks never reach the broker, so at-least-once delivers those messages again after the
  visibility timeout and runs their effect twice; exactly-once drops the copies.
seed: 1 # same seed, same run: change it to see another run
messages: 1000
modes: [at-most-once, at-least-once, exactly-once]
producer:
  ratePerSec: 100 # messages published per second
network: # each one-way link: loss and duplicate are chances from 0 to 1
  publish: { loss: 0, latencyMs: 1 }
  deliver: { loss: 0, latencyMs: 1 }
  ack: { loss: 0.01, latencyMs: 1 }
broker:
  visibilityTimeoutMs: 30000 # a delivery not acked by then is delivered again
consumers:
  count: 2
  prefetch: 10
  processingMs: { dist: exponential, mean: 10 }
expect: # checks per mode: one that fails makes \`acksim run\` exit 1
  at-least-once: ['lost == 0']
  exactly-once: ['lost == 0', 'duplicates == 0']
`;
}

/**
 * A built-in scenario's text for a copy: its schema line points at `schema` (added when it has none)
 * and a top-level `name:` line, if any, is dropped so the copy is named by its file.
 */
export function copiedScenario(text: string, schema: string, from: string): string {
  const body = text
    .replace(SCHEMA_LINE, '')
    .replace(/^name:.*\n/m, '')
    .replace(/^\n+/, '');
  return `${schemaLine(schema)}\n# Started from acksim's built-in scenario ${from}.\n${body}`;
}
