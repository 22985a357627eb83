/** Tests run on the TypeScript sources, transpiled by swc; `tsc --noEmit` type-checks once. */
module.exports = {
  testEnvironment: 'node',
  // Builds the CLI bundle once when stale, so no test that spawns the bin sees the rebuild notice.
  globalSetup: '<rootDir>/test/support/build-once.cjs',
  roots: ['<rootDir>'],
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/examples/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/build/', '/dist/'],
  // .cache/node holds the Node.js builds scripts/with-node.sh fetches; nothing there is a module of the project.
  modulePathIgnorePatterns: ['<rootDir>/.cache/'],
  collectCoverageFrom: ['config/**/*.ts', 'infra/**/*.ts', 'k8s/**/*.ts', 'pipelines/**/*.ts', 'cli/**/*.ts', 'policy/**/*.ts', 'synth/**/*.ts', '!**/imports/**'],
};
