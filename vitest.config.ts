// Test runner configuration: forked workers (so NODE_EXTRA_CA_CERTS from the global setup applies), and the
// end-to-end suites run a second time in stateful mode.
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
      { test: { ...shared, name: 'stateful', include: ['test/e2e/**/*.test.ts', 'test/tools/**/*.test.ts', 'test/graph/**/*.test.ts'] } },
    ],
  },
});
