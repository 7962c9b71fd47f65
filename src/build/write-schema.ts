// Build step: writes the generated files that ship with acksim, so they never disagree with the code
// (tests check it): schema/scenario.schema.json, docs/scenario-format.md and docs/metrics.md.
// Build-time tools live in src/build/ because they write files, which src/ otherwise leaves to the CLI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../scenario/load.js';
import { metricsDoc, scenarioFormatDoc } from './docs.js';
import { schemaJson } from '../scenario/schema.js';

const write = (path: string, text: string) => writeFileSync(join(PACKAGE_ROOT, path), text);

write('schema/scenario.schema.json', `${JSON.stringify(schemaJson(), null, 2)}\n`);
write('docs/scenario-format.md', scenarioFormatDoc());
write('docs/metrics.md', metricsDoc());
