// Dev mode refused in Azure by every entry point that could start it, each with its one-line reason and a failing exit code.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevSettingError } from '../../sandbox/devSettings.js';
import { startSandbox } from '../../sandbox/sandbox.js';

describe('npm start and npm run sandbox in Azure', () => {
  it.each([
    ['npm start, MCP_DEV_MODE=1', { MCP_DEV_MODE: '1', WEBSITE_INSTANCE_ID: 'abc123' }, {}],
    ['npm run sandbox, MCP_DEV_MODE=1', { MCP_DEV_MODE: '1', WEBSITE_SITE_NAME: 'onbehalf-app' }, { forFunctionsHost: true }],
    ['npm start, dev mode implied by no ENTRA_* setting', { WEBSITE_HOSTNAME: 'onbehalf-app.azurewebsites.net' }, {}],
  ] as const)('%s: refuses before starting anything, naming MCP_DEV_MODE and the variable that says Azure', async (_, env, options) => {
    const refusal = await startSandbox({ ...env, DEV_TABLES_PORT: '0', DEV_BLOB_PORT: '0', DEV_QUEUE_PORT: '0' }, options).then(
      async (sandbox) => {
        await sandbox.close();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(DevSettingError);
    expect((refusal as DevSettingError).setting).toBe('MCP_DEV_MODE');
    expect((refusal as Error).message).toMatch(/cannot run in Azure \((WEBSITE_INSTANCE_ID|WEBSITE_SITE_NAME|WEBSITE_HOSTNAME) says it is hosted\)/);
  });

  it('starts in real mode there (ENTRA_* set): the refusal is dev mode\'s only', async () => {
    const sandbox = await startSandbox({ WEBSITE_INSTANCE_ID: 'abc123', ENTRA_CLIENT_ID: '11111111-2222-4333-8444-555555555555', DEV_TABLES_PORT: '0', PORT: '0' });
    try {
      expect(sandbox.devMode).toBe(false);
    } finally {
      await sandbox.close();
    }
  });
});

describe('the local host process, bundled as npm run build bundles it', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'host-bundle-'));
    // The options of esbuild.config.mjs for dist/dev/host.js: minified, so source lines are whole files.
    await build({
      entryPoints: { host: 'sandbox/host.ts' }, outdir: dir, bundle: true, platform: 'node', target: 'node20', format: 'esm', splitting: true,
      minifySyntax: true, minifyWhitespace: true, logLevel: 'silent',
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses dev mode in Azure with its one-line reason alone on stderr, and exit code 1', async () => {
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(dir, 'host.js')], { env: { PATH: process.env['PATH'] ?? '', MCP_DEV_MODE: '1', WEBSITE_INSTANCE_ID: 'abc123' } }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : (error as { code?: number }).code ?? null, stdout, stderr });
      });
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('onbehalf: MCP_DEV_MODE: dev mode cannot run in Azure (WEBSITE_INSTANCE_ID says it is hosted); remove the setting\n');
  });
});
