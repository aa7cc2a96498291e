// The app registrations in infra/app/entra.bicep: the server app's two declarations agree, and the optional public
// client for code-first agents is off by default, holds no secret, and its id reaches the example through foundry:config.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPrintedConfig, parseFlags, resolveSettings } from '../../examples/code-first/settings.js';
import { bicepBlock, bicepText, readRepoText, REPO_ROOT } from './infraFiles.js';

const main = bicepText('infra/main.bicep');
const entra = bicepText('infra/app/entra.bicep');

/** The one-line `key: value` properties at the top level of a declaration (two spaces in), not those that open a block. */
function topLevelProperties(block: string): Map<string, string> {
  return new Map([...block.matchAll(/^ {2}(\w+): (.+)$/gm)]
    .map((match): [string, string] => [match[1] ?? '', (match[2] ?? '').trim()])
    .filter(([, value]) => value !== '{' && value !== '['));
}

describe('the server app, declared twice with one uniqueName', () => {
  const first = bicepBlock(entra, 'resource serverApp ');
  const second = bicepBlock(entra, 'resource serverAppUpdate ');

  it('gives the second declaration every one-line property of the first, with the same value, so one provision never flips the app between two states', () => {
    const own = topLevelProperties(first);
    const again = topLevelProperties(second);
    expect([...own.keys()]).toEqual(expect.arrayContaining(['uniqueName', 'displayName', 'signInAudience', 'serviceManagementReference', 'web', 'requiredResourceAccess']));
    for (const [key, value] of own) expect(again.get(key), key).toBe(value);
  });

  it('declares the same scope and token version in both, and the App ID URI and pre-authorizations in the second, once the app id exists', () => {
    for (const block of [first, second]) {
      expect(block).toMatch(/requestedAccessTokenVersion: 2/);
      expect(block).toMatch(/oauth2PermissionScopes: \[\s*accessAsUser\s*\]/);
    }
    expect(second).toMatch(/identifierUris: \[\s*'api:\/\/\$\{serverApp\.appId\}'\s*\]/);
    expect(second).toMatch(/preAuthorizedApplications:/);
    expect(first).not.toMatch(/identifierUris|preAuthorizedApplications/);
  });
});

describe('the public client for code-first agents', () => {
  const app = bicepBlock(entra, 'resource publicClientApp ');

  it('is not registered unless asked for: every default is off', () => {
    expect(main).toMatch(/^param registerPublicClient bool = false$/m);
    expect(readRepoText('infra/main.parameters.json')).toContain('"${REGISTER_PUBLIC_CLIENT=false}"');
    expect(bicepBlock(main, 'module entra ')).toMatch(/registerPublicClient: registerPublicClient/);
    expect(entra).toMatch(/^param registerPublicClient bool = false$/m);
    expect(app).toMatch(/^resource publicClientApp 'Microsoft\.Graph\/applications@v1\.0' = if \(registerPublicClient\) \{/);
    expect(bicepBlock(entra, 'resource publicClientServicePrincipal ')).toMatch(/= if \(registerPublicClient\) \{/);
    expect(bicepBlock(entra, 'resource publicClientGraphConsent ')).toMatch(/= if \(registerPublicClient && grantAdminConsent\) \{/);
    expect(entra).toMatch(/^var publicClientAppIds = registerPublicClient \? \[publicClientApp\.\?appId \?\? ''\] : \[\]$/m);
  });

  it('holds no secret, exposes no API, and redirects only to loopback addresses: MSAL\'s, and MCP Inspector 2.x\'s callback', () => {
    for (const property of ['web', 'spa', 'api', 'identifierUris', 'keyCredentials', 'passwordCredentials']) {
      expect(app, property).not.toMatch(new RegExp(`^\\s*${property}:`, 'm'));
    }
    expect(app).toMatch(/publicClient: \{\s*redirectUris: \[\s*'http:\/\/localhost'\s*'http:\/\/localhost\/oauth\/callback'\s*'http:\/\/127\.0\.0\.1\/oauth\/callback'\s*\]\s*\}/);
    // Public client flows on: the example's --device-code.
    expect(app).toMatch(/isFallbackPublicClient: true/);
    expect(app).toMatch(/uniqueName: '\$\{uniqueNamePrefix\}-public-client'/);
  });

  it('asks for what the Foundry client asks for, and is pre-authorized on the server scope like it', () => {
    expect(app).toMatch(/requiredResourceAccess: signInClientAccess/);
    expect(bicepBlock(entra, 'resource clientApp ')).toMatch(/requiredResourceAccess: signInClientAccess/);
    expect(bicepBlock(entra, 'resource serverAppUpdate ')).toMatch(/union\(\[clientApp\.appId\], publicClientAppIds, preAuthorizedClientIds\)/);
  });

  it('has its id output by main.bicep, empty when not registered', () => {
    expect(entra).toMatch(/^output publicClientAppId string = publicClientApp\.\?appId \?\? ''$/m);
    expect(main).toMatch(/^output PUBLIC_CLIENT_APP_ID string = entra\.outputs\.publicClientAppId$/m);
  });
});

describe('the public client id, from the azd output to the example', () => {
  const SCRIPT = join(REPO_ROOT, 'infra', 'scripts', 'foundryConfig.mjs');
  const TENANT = '72f988bf-0000-4000-8000-00000000c0de';
  const SERVER = '6f2d1e4a-0000-4000-8000-000000000001';
  const PUBLIC = '3d4c5b6a-0000-4000-8000-000000000003';
  const LOGIN = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0`;
  const outputs = (publicClient: string) => [
    `AZURE_TENANT_ID="${TENANT}"`, 'MCP_URL="https://func-api-abc123.azurewebsites.net/mcp"', `SERVER_APP_ID="${SERVER}"`,
    'CLIENT_APP_ID="9c3b8a71-0000-4000-8000-000000000002"', `FOUNDRY_AUTH_URL="${LOGIN}/authorize"`, `FOUNDRY_TOKEN_URL="${LOGIN}/token"`,
    `FOUNDRY_REFRESH_URL="${LOGIN}/token"`, `FOUNDRY_SCOPES="${SERVER}/access_as_user offline_access"`, `PUBLIC_CLIENT_APP_ID="${publicClient}"`,
  ].join('\n');
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'public-client-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function foundryConfig(envFile: string): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(process.execPath, ['--', SCRIPT, '--env-file', envFile, '--json'], { env: { PATH: process.env['PATH'] ?? '' } }, (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`foundry:config failed: ${stderr}`));
        else resolve(stdout);
      });
    });
  }

  it('is printed by foundry:config --json and signs the example in, with no --client-id', async () => {
    const envFile = join(dir, 'registered.env');
    await writeFile(envFile, outputs(PUBLIC));
    const printed = await foundryConfig(envFile);
    expect(JSON.parse(printed)).toMatchObject({ 'Public client ID': PUBLIC });
    expect(fromPrintedConfig(printed)).toMatchObject({ clientId: PUBLIC, scope: `api://${SERVER}/access_as_user` });

    const configFile = join(dir, 'onbehalf.json');
    await writeFile(configFile, printed);
    expect(resolveSettings(parseFlags(['--config', configFile])).clientId).toBe(PUBLIC);
    // A client id on the command line still wins.
    const own = 'aaaaaaaa-0000-4000-8000-00000000000a';
    expect(resolveSettings(parseFlags(['--config', configFile, '--client-id', own])).clientId).toBe(own);
  });

  it('is left out when the deployment registered none, and the example then says how to get one', async () => {
    const envFile = join(dir, 'none.env');
    await writeFile(envFile, outputs(''));
    const printed = await foundryConfig(envFile);
    expect(JSON.parse(printed)).not.toHaveProperty('Public client ID');
    expect(fromPrintedConfig(printed)).not.toHaveProperty('clientId');

    const configFile = join(dir, 'no-public-client.json');
    await writeFile(configFile, printed);
    expect(() => resolveSettings(parseFlags(['--config', configFile]))).toThrow(/missing --client-id \(the config names no Public client ID.*REGISTER_PUBLIC_CLIENT true/);
  });
});
