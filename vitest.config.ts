// Test runner configuration: forked workers (so NODE_EXTRA_CA_CERTS from the global setup applies).
import { defineConfig } from 'vitest/config';

const shared = {
  globalSetup: ['test/support/globalSetup.ts'],
  pool: 'forks' as const,
  testTimeout: 20_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summaryReporter.ts'],
    projects: [
      { test: { ...shared, name: 'stateless', include: ['test/**/*.test.ts'] } },
    ],
  },
});
