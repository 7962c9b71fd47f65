// Lint: typescript-eslint's type-checked rules, plus the layer bans of ../shared/STYLE.md: no wall
// clock or Math.random in the simulation, no console below the CLI, no process below the CLI.
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

export default tseslint.config(
  { ignores: ['dist/', 'dist-test/', 'node_modules/', 'coverage/', 'bench/', 'bin/', 'scripts/', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  { files: ['src/sim/**', 'src/model/**', 'src/run/**'], rules: simulationBans },
  {
    files: ['src/**'],
    ignores: ['src/cli/**'],
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
