// Test runner configuration: forked workers (so NODE_EXTRA_CA_CERTS from the global setup applies), every suite
// with the 2025-era client (`legacy`), the suites that drive the server through a client again with the
// 2026-07-28 one (`modern`), and the telemetry suites again in workers with the Node options a deployment has on this
// Node (`as deployed`: on Node 22, AsyncLocalStorage on AsyncContextFrame, which carries the spans' context).
import { defineConfig } from 'vitest/config';
import { deployedNodeOptions } from './bench/deployedNodeOptions.js';

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
      { test: { ...shared, name: 'legacy', include: ['test/**/*.test.ts'] } },
      {
        test: {
          ...shared,
          name: 'modern',
          include: ['test/e2e/**/*.test.ts', 'test/tools/**/*.test.ts', 'test/graph/**/*.test.ts', 'test/auth/onBehalfOf.test.ts', 'test/audit/auditLog.test.ts'],
        },
      },
      { test: { ...shared, name: 'as deployed', include: ['test/telemetry/**/*.test.ts'], execArgv: deployedNodeOptions() } },
    ],
  },
});
