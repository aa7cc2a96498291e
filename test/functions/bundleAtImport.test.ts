// What a cold instance compiles when the Functions host imports the bundle `npm run build` writes: the request path's
// code, and none of the libraries a first request loads only when it needs them (MSAL, the Tables SDK, the Graph client)
// or never uses.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../infra/infraFiles.js';

const run = promisify(execFile);

// Reports every file the child loads, on stderr, from Node's module hooks.
const HOOKS = `
import { writeSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) writeSync(2, 'LOADED ' + url + '\\n');
  return nextLoad(url, context);
}
`;
const REGISTER = "import { register } from 'node:module'; register('./hooks.mjs', import.meta.url);";

/** Libraries no cold import compiles: each loads with the first request that uses it, or never. */
const LOADED_ON_USE = [
  // The On-Behalf-Of exchange and managed identity tokens (and the JWT and semver libraries MSAL brings).
  '@azure/msal-node', '@azure/msal-common', 'jsonwebtoken', 'semver',
  // Table Storage, with the Azure HTTP pipeline and XML parser it brings.
  '@azure/data-tables', '@azure/core-rest-pipeline', 'fast-xml-parser',
  // Microsoft Graph's client, with the first tool call that reaches Graph.
  '@microsoft/microsoft-graph-client',
  // Bundled inside the MCP SDK as its default JSON Schema validator, which the app replaces with the SDK's lighter one.
  'ajv',
];

let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'onbehalf-import-'));
  writeFileSync(join(out, 'hooks.mjs'), HOOKS);
  writeFileSync(join(out, 'register.mjs'), REGISTER);
  await run(process.execPath, ['esbuild.config.mjs', join(out, 'dist')], { cwd: REPO_ROOT, timeout: 120_000 });
}, 150_000);

afterAll(() => {
  if (out !== undefined) rmSync(out, { recursive: true, force: true });
});

/** The source files each bundled file was built from, read from its source map. */
function sourcesOf(files: readonly string[]): string[] {
  return files.filter((file) => existsSync(`${file}.map`)).flatMap((file) => (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources.map((source) => source.replaceAll('\\', '/')));
}

/** The node_modules packages of `sources` (each the innermost: a library's own bundled libraries count as theirs). */
function packagesIn(sources: readonly string[]): Set<string> {
  return new Set(sources.flatMap((source) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1] ?? []));
}

describe('importing the Functions bundle', () => {
  it('compiles the MCP server and its own code, and no library that waits for first use', async () => {
    const dist = join(out, 'dist');
    const { stdout, stderr } = await run(process.execPath, ['--import', join(out, 'register.mjs'), join(dist, 'bench', 'coldImport.js'), join(dist, 'functions', 'index.js')], {
      env: { PATH: process.env['PATH'] ?? '', MCP_DEV_MODE: '1', ENTRA_AUTHORITY_HOST: 'https://localhost:7072' },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')).toHaveProperty('importMs');
    const loaded = [...stderr.matchAll(/^LOADED (file:\S+)$/gm)].map((match) => fileURLToPath(match[1] ?? '')).filter((file) => file.startsWith(join(dist, 'functions')));
    const sources = sourcesOf(loaded);
    const packages = packagesIn(sources);
    expect(packages).toContain('@modelcontextprotocol/server');
    expect(packages).toContain('jose');
    expect(LOADED_ON_USE.filter((name) => packages.has(name))).toEqual([]);
  });

  it('keeps of zod what the code uses: none of its translations of error messages', () => {
    const zod = sourcesOf([join(out, 'dist', 'functions', 'index.js')]).filter((source) => source.includes('node_modules/zod/'));
    expect(zod.length).toBeGreaterThan(0);
    expect(zod.filter((source) => /\/locales\/(?!en\.js)/.test(source))).toEqual([]);
  });
});
