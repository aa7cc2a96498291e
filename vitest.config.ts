// Test runner configuration: forked workers (so NODE_EXTRA_CA_CERTS from the global setup applies).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    pool: 'forks',
    reporters: ['default', './test/support/summaryReporter.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
