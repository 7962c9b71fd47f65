// Build step: writes schema/scenario.schema.json from the schema in code, so the shipped file and
// the validator never disagree (a test checks it too).
import { writeFileSync } from 'node:fs';
import { schemaJson } from './schema.js';

writeFileSync(new URL('../../schema/scenario.schema.json', import.meta.url), `${JSON.stringify(schemaJson(), null, 2)}\n`);
