// `npm run test:browser`: the identity provider's pages, and the real MCP Inspector, driven by a real headless Chromium
// (Debian's, through playwright-core). Kept out of `npm test`, which must never need a browser or the npm registry.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'browser',
    include: ['test/browser/**/*.browser.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
