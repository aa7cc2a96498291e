// The Foundry connection values of a test stack, obtained the way a user gets them: `foundry:config --dev --json`.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { connectionFromConfig, type FoundryConnection } from '../../sandbox/foundry/connection.js';
import { devConnection, writeDevConnection } from '../../sandbox/devConnection.js';
import type { TestStack } from './testStack.js';

const SCRIPT = join(import.meta.dirname, '..', '..', 'infra', 'scripts', 'foundryConfig.mjs');

/** Writes the dev connection file `npm start` would write for this stack, and reads it back through the script. */
export async function printedConnection(stack: TestStack): Promise<FoundryConnection> {
  const dir = await mkdtemp(join(tmpdir(), 'foundry-dev-'));
  try {
    const file = join(dir, 'dev-connection.json');
    const foundry = stack.idp.registrations.foundry;
    writeDevConnection(file, devConnection({
      mcpUrl: stack.mcpUrl,
      authorityHost: stack.idp.url,
      serverClientId: stack.config.clientId,
      foundryClientId: foundry.clientId,
      foundryClientSecret: foundry.clientSecret ?? '',
      foundryRedirectUris: foundry.redirectUris.map((redirect) => redirect.uri),
      caCertPath: inject('tlsCertPath'),
    }));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--', SCRIPT, '--dev-file', file, '--json'], { env: { PATH: process.env['PATH'] ?? '' } }, (error, out, err) => {
        if (error !== null) reject(new Error(`foundry:config failed: ${err}`));
        else resolve(out);
      });
    });
    return connectionFromConfig(JSON.parse(stdout));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
