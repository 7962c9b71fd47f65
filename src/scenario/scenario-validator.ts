// The scenario schema as plain JSON and its compiled validator. This module builds them when first asked
// (TypeBox and an ajv compile: about 0.25 s); `npm run build` replaces its output in dist/ by the same two
// generated ahead of time (src/build/write-validators.ts), so acksim itself never loads TypeBox or compiles.
import { Ajv, type ValidateFunction } from 'ajv';
import { SCENARIO_AJV_OPTIONS } from './ajv-options.js';
import { ScenarioSchema, schemaJson, type ScenarioInput } from './schema.js';
import { withSharedParts } from './shared-parts.js';

/** The scenario schema as plain JSON (no $schema): what defaults, units and sweeps read. */
export const scenarioSchema = JSON.parse(JSON.stringify(ScenarioSchema)) as Record<string, unknown>;

let compiled: ValidateFunction<ScenarioInput> | undefined;

/** The scenario schema's validator. */
export function scenarioValidator(): ValidateFunction<ScenarioInput> {
  compiled ??= new Ajv(SCENARIO_AJV_OPTIONS).compile<ScenarioInput>(withSharedParts(scenarioSchema));
  return compiled;
}

/** The schema as a JSON Schema document, with its draft (`acksim schema`). */
export function scenarioSchemaDocument(): Record<string, unknown> {
  return schemaJson();
}
