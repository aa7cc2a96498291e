// `npm run fuzz`: the property-based suites of test/fuzz alone, each property run many times over (FUZZ_RUNS runs each,
// FUZZ_SEED or a fresh seed, printed so a failure can be replayed).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'fuzz',
    include: ['test/fuzz/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    pool: 'forks',
    // The files share two cores with their own servers: one at a time keeps each property's pace steady.
    fileParallelism: false,
    testTimeout: 24 * 3_600_000,
    hookTimeout: 60_000,
    env: { FUZZ_LONG: '1' },
  },
});
