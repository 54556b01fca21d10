// What scripts/run-tests.ts started for the tests (the only test code that reads the environment).
import assert from 'node:assert/strict';

function required(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run the tests with 'npm test' (scripts/run-tests.ts)`);
  return value;
}

export const testEnvironment = {
  temporalAddress: () => required('TEST_TEMPORAL_ADDRESS'),
  temporalCli: () => required('TEMPORAL_CLI'),
  pgAdminUrl: () => required('TEST_PG_ADMIN_URL'),
  pgliteTemplate: () => required('TEST_PGLITE_TEMPLATE'),
  scratch: () => required('TEST_SCRATCH'),
  /** where a test writes the workflow histories it recorded, to be committed as replay fixtures (optional) */
  recordHistoriesDir: (): string | undefined => process.env.CASCADE_RECORD_HISTORIES || undefined,
};
