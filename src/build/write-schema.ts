// Build step: writes the generated files that ship with acksim, so they never disagree with the code
// (tests check it): schema/scenario.schema.json, schema/report.schema.json, docs/scenario-format.md, docs/metrics.md
// and docs/profiles.md; and, beside this build, the validators compiled ahead of time.
// Build-time tools live in src/build/ because they write files, which src/ otherwise leaves to the CLI.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../scenario/load.js';
import { metricsDoc, scenarioFormatDoc } from './docs.js';
import { jepsenDoc } from './jepsen-doc.js';
import { schemaJson } from '../scenario/schema.js';
import { PROFILES } from '../scenario/profiles.js';
import { profilesDoc } from '../report/profiles.js';
import { reportSchemaJson } from '../run/report-schema.js';
import { reportValidatorKinds, reportValidatorsModule, scenarioValidatorModule } from './write-validators.js';

const write = (path: string, text: string) => writeFileSync(join(PACKAGE_ROOT, path), text);

write('schema/scenario.schema.json', `${JSON.stringify(schemaJson(), null, 2)}\n`);
write('schema/report.schema.json', `${JSON.stringify(reportSchemaJson(), null, 2)}\n`);
write('docs/scenario-format.md', scenarioFormatDoc());
write('docs/metrics.md', metricsDoc() + jepsenDoc());
write('docs/profiles.md', profilesDoc(PROFILES));
// Over tsc's output of scenario-validator.ts and report-validators.ts (which compile at run time): same exports.
writeFileSync(new URL('../scenario/scenario-validator.js', import.meta.url), scenarioValidatorModule());
writeFileSync(new URL('../run/report-validators.js', import.meta.url), reportValidatorsModule());
const kinds = new URL('../run/report-validators/', import.meta.url);
rmSync(kinds, { recursive: true, force: true });
mkdirSync(kinds);
for (const [file, text] of reportValidatorKinds()) writeFileSync(new URL(file, kinds), text);
