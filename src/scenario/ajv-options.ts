// The options acksim's ajv validators are compiled with, at run time (tests' build) and ahead of time
// (src/build/write-validators.ts) alike, so both give the same problems: every problem, each with its schema
// and data (the messages read them).

/**
 * The scenario validator's: tagged unions by their tag, keywords of ours (x-unit) allowed, and each shared part of
 * the schema (shared-parts.ts) one function, compiled when first called.
 */
export const SCENARIO_AJV_OPTIONS = {
  allErrors: true,
  verbose: true,
  discriminator: true,
  strict: false,
  inlineRefs: false,
} as const;

/** The validators of what acksim reads back (reports, failure files). */
export const REPORT_AJV_OPTIONS = { allErrors: true, verbose: true, strict: false } as const;
