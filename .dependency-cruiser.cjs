// dependency-cruiser (npm run lint): no import cycles in src/, file or folder, type-only imports
// included. Folder direction is eslint's job (LAYERS in eslint.config.js); this one sees whole cycles.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move the shared piece down to where both may import it.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|dist-test)/' },
  },
};
