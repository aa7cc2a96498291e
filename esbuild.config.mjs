// Builds dist/ (or the folder given as the first argument): one bundle for the Functions host (fast cold start) and
// the local dev tools.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = process.argv[2] ?? 'dist';

// ESM output that bundles CommonJS dependencies needs a real `require`.
const banner = { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" };
const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: 'linked', banner, logLevel: 'warning' };

/**
 * The MCP SDK's Node shim names Ajv (about 300 KB with its formats) the default JSON Schema validator of every
 * server, so a bundle compiles it at import, though the app hands each server the SDK's lighter validator for
 * Cloudflare Workers and other edge runtimes (shared/mcp/createApp.ts) and never uses the default. The same
 * shim with that validator as its default lets the bundle leave Ajv out.
 */
const sdkShims = {
  name: 'mcp-sdk-shims',
  setup(build) {
    build.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({ path: '_shims', namespace: 'mcp-sdk-shims' }));
    build.onLoad({ filter: /.*/, namespace: 'mcp-sdk-shims' }, () => ({
      resolveDir: import.meta.dirname,
      contents: "export { CfWorkerJsonSchemaValidator as DefaultJsonSchemaValidator } from '@modelcontextprotocol/server/validators/cf-worker'; export { default as process } from 'node:process';",
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await Promise.all([
  // Split: libraries loaded on first use (mammoth, html-to-text) become chunks the cold start never compiles.
  // The document worker is an entry of its own, beside the entry that starts it (shared/documents/workerScript.ts).
  build({ ...common, entryPoints: { 'functions/index': 'functions/index.ts', 'functions/documentWorker': 'shared/documents/documentWorker.ts' }, outdir, splitting: true, chunkNames: 'functions/chunks/[name]-[hash]', minifySyntax: true, minifyWhitespace: true,
    // Provided by the Functions host at run time.
    external: ['@azure/functions-core'], plugins: [sdkShims] }),
  // The local host is bundled like the Functions entry, so `npm start` and the bench run what Azure runs.
  build({ ...common, entryPoints: { 'dev/host': 'sandbox/host.ts', 'dev/documentWorker': 'shared/documents/documentWorker.ts' }, outdir, splitting: true, chunkNames: 'dev/chunks/[name]-[hash]', minifySyntax: true, minifyWhitespace: true, plugins: [sdkShims] }),
  // Other dev tools load their dependencies (Azurite among them) from node_modules.
  build({ ...common, entryPoints: {
    'dev/start': 'sandbox/start.ts',
    'dev/rehearse': 'sandbox/rehearse.ts',
    // `npm run bench`: the launcher, the bench process, and the child processes it measures.
    'bench/run': 'bench/run.ts',
    'bench/bench': 'bench/bench.ts',
    'bench/anchorServer': 'bench/anchorServer.ts',
    'bench/coldImport': 'bench/coldImport.ts',
    // `npm run bench:cpu`: CPU per request of the app's handler, in process.
    'bench/perRequest': 'bench/perRequest.ts',
    'bench/exitOnSigterm': 'bench/exitOnSigterm.ts',
    // `npm run test:conformance`: the official MCP conformance suite against the dev-mode server.
    'conformance/run': 'conformance/run.ts',
    // `npm run example:code-first`, or `node dist/examples/code-first`.
    'examples/code-first/index': 'examples/code-first/index.ts',
  }, outdir, packages: 'external' }),
]);
