// The check language moved to src/scenario/check-expression.ts (issue 14, item 5); this re-export keeps
// src/cli/'s imports working until they name the new place. Import from scenario/ in new code.
export * from '../scenario/check-expression.js';
