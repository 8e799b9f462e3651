/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // TypeScript's own transpiler (test/support/typescript-transform.js): the same emit as `npm run build`.
  transform: { '^.+\\.ts$': '<rootDir>/test/support/typescript-transform.js' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  // The SDK's tests import it by its published name, as users do, and run its sources; the SDK's
  // ES-module-style relative imports ('./errors.js') name the .ts files next to them.
  moduleNameMapper: { '^@keygate/sdk$': '<rootDir>/sdk/src/index.ts', '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 60000,
  maxWorkers: 2,
};
