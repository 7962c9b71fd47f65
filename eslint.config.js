// Lint: typescript-eslint's type-checked rules, plus the layer bans of ../shared/STYLE.md: no wall
// clock or Math.random in the simulation, no console below the CLI, no process below the CLI, and
// imports that run one way: cli → live | audit → run → scenario → model → sim, with report beside cli.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const simulationBans = {
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use the ChoiceSource: every random decision goes through it.' },
    { object: 'Date', property: 'now', message: 'Virtual time only: use kernel.now.' },
    { object: 'performance', property: 'now', message: 'Virtual time only: use kernel.now.' },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Virtual time only: schedule a kernel event.' },
    { name: 'setInterval', message: 'Virtual time only: schedule a kernel event.' },
    { name: 'Date', message: 'Virtual time only: use kernel.now.' },
  ],
};

/**
 * The folders of src/ each folder may import (besides itself and the top-level modules errors,
 * input-file, number-text and safe-text). An import anywhere else runs back up or sideways and fails lint.
 */
export const LAYERS = {
  sim: [],
  model: ['sim'],
  scenario: ['model', 'sim'],
  run: ['scenario', 'model', 'sim'],
  audit: ['run', 'scenario', 'model', 'sim'],
  live: ['audit', 'run', 'scenario', 'model', 'sim'],
  report: ['audit', 'run', 'scenario', 'model'],
  cli: ['report', 'live', 'audit', 'run', 'scenario'],
  api: ['report', 'audit', 'run', 'scenario'],
};

/**
 * Files that import against LAYERS today (2026-12-01), each with the folders it reaches. The list may
 * only shrink: move the code to where it belongs (issue 14) and strike the file off.
 */
export const BACK_EDGES = {};

/** The no-restricted-imports rule of a folder: every other folder of src/ it may not import. */
function importRule(folder, alsoAllowed = []) {
  const banned = Object.keys(LAYERS).filter(
    (f) => f !== folder && !LAYERS[folder].includes(f) && !alsoAllowed.includes(f),
  );
  if (banned.length === 0) return 'off';
  return [
    'error',
    {
      patterns: [
        {
          group: banned.flatMap((f) => [`../${f}/*`, `../../${f}/*`]),
          message: `src/${folder}/ may import only ${LAYERS[folder].join(', ') || 'nothing else of src/'} (see LAYERS in eslint.config.js).`,
        },
      ],
    },
  ];
}

const layerRules = Object.keys(LAYERS).flatMap((folder) => {
  const known = Object.keys(BACK_EDGES).filter((file) => file.startsWith(`src/${folder}/`));
  return [
    { files: [`src/${folder}/**/*.ts`], ignores: known, rules: { 'no-restricted-imports': importRule(folder) } },
    ...known.map((file) => ({
      files: [file],
      rules: { 'no-restricted-imports': importRule(folder, BACK_EDGES[file]) },
    })),
  ];
});

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-test/',
      'node_modules/',
      'coverage/',
      'bench/',
      'bin/',
      'scripts/',
      'eslint.config.js',
      '.dependency-cruiser.cjs',
      // A user's plain JavaScript, outside the TypeScript project: handler modules a test hands to --handler, and
      // the examples (run by test/examples as their own node:test files).
      'test/**/fixtures/**/*.mjs',
      'examples/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Prettier keeps code within 120 columns; this keeps comments there too (strings may run on).
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
  { files: ['src/sim/**', 'src/model/**', 'src/run/**'], rules: simulationBans },
  ...layerRules,
  {
    files: ['src/**'],
    // The two entry points: the command line, and the library (src/api/, which reads the working folder for a
    // relative path and times shrinking by the clock, as the command line does; never inside a simulation).
    ignores: ['src/cli/**', 'src/api/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Only src/cli/ touches the process.' },
        ...simulationBans['no-restricted-globals'].slice(1),
      ],
    },
  },
  {
    // The live harness drives real clients against a real broker: real time is its job. Its faults
    // still come from the scenario's seed, through the ChoiceSource.
    files: ['src/live/**'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: 'Only src/cli/ touches the process.' }],
      'no-restricted-properties': ['error', simulationBans['no-restricted-properties'][1]],
    },
  },
  {
    files: ['src/sim/**', 'src/model/**', 'src/run/**'],
    rules: {
      'no-restricted-globals': simulationBans['no-restricted-globals'].concat([
        { name: 'process', message: 'Only src/cli/ touches the process.' },
      ]),
    },
  },
  // The HTML report's page script (assets/): plain browser JavaScript, outside the TypeScript project.
  { files: ['assets/**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', Node: 'readonly', uPlot: 'readonly' },
    },
  },
  {
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      'no-control-regex': 'off',
    },
  },
);
