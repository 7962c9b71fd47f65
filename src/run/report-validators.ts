// The validators of what acksim reads back (reports, failure files) and the report schema document. This module
// compiles them when first asked (TypeBox and ajv); `npm run build` replaces its output in dist/ by the same
// compiled ahead of time (src/build/write-validators.ts), as it does scenario-validator.js.
import { Ajv, type ValidateFunction } from 'ajv';
import { REPORT_AJV_OPTIONS } from '../scenario/ajv-options.js';
import { DOCUMENT_SCHEMAS, REPORT_KINDS } from './document-schemas.js';
import { reportSchemaJson } from './report-schema.js';

export { REPORT_KINDS };

const compiled = new Map<string, ValidateFunction>();

/** The validator of one kind of document (a report kind, or `failure`); undefined for an unknown kind. */
export function documentValidator(kind: string): ValidateFunction | undefined {
  const schema = Object.hasOwn(DOCUMENT_SCHEMAS, kind) ? DOCUMENT_SCHEMAS[kind] : undefined;
  if (schema === undefined) return undefined;
  let validate = compiled.get(kind);
  if (validate === undefined) {
    validate = new Ajv(REPORT_AJV_OPTIONS).compile(JSON.parse(JSON.stringify(schema)) as object);
    compiled.set(kind, validate);
  }
  return validate;
}

/** The report schema as a JSON Schema document (schema/report.schema.json, `acksim schema report`). */
export function reportSchemaDocument(): Record<string, unknown> {
  return reportSchemaJson();
}
