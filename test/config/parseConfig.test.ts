// parseConfig: dev-mode defaults, production requirements, and ConfigError codes that name the setting, never its value.
import { describe, expect, it } from 'vitest';
import type { ConfigError} from '../../shared/config/configError.js';
import { type ConfigErrorCode } from '../../shared/config/configError.js';
import {
  DEV_AUTHORITY_HOST,
  DEV_CLIENT_ID,
  DEV_CLIENT_SECRET,
  DEV_GRAPH_BASE_URL,
  DEV_OTHER_TENANT_ID,
  DEV_REQUEST_STATE_KEY,
  DEV_TENANT_ID,
} from '../../shared/config/devDefaults.js';
import { parseConfig, type Env } from '../../shared/config/parseConfig.js';
import { configRefusal } from '../support/configRefusal.js';

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE';
const IDENTITY = '99999999-8888-4777-8666-555555555555';
const SECRET = 'Sup3r~Secr3t.Value_that-must-never-leak';
const STATE_KEY = 'k'.repeat(48);
/** A minimal production configuration (outside Azure): tenant, client, a managed identity credential and the requestState key. */
const PROD: Env = { ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: CLIENT, ENTRA_MANAGED_IDENTITY_CLIENT_ID: IDENTITY, MCP_REQUEST_STATE_KEY: STATE_KEY };

/** What running in Azure adds: the instance id, the public URL and the Table endpoint. */
const AZURE: Env = { ...PROD, WEBSITE_INSTANCE_ID: 'abc123', MCP_PUBLIC_URL: 'https://mcp.example.com', TABLES_ENDPOINT: 'https://acct.table.core.windows.net' };

const configError = (env: Env): ConfigError => configRefusal(env);

function expectRefused(env: Env, code: ConfigErrorCode, setting: string): ConfigError {
  const error = configError(env);
  expect(error.code).toBe(code);
  expect(error.setting).toBe(setting);
  expect(error.message).toContain(setting);
  return error;
}

describe('dev mode', () => {
  it('fills every default', () => {
    const config = parseConfig({ MCP_DEV_MODE: '1' });
    expect(config).toEqual({
      devMode: true,
      tenantId: DEV_TENANT_ID,
      clientId: DEV_CLIENT_ID,
      credential: { kind: 'secret', secret: DEV_CLIENT_SECRET },
      authorityHost: DEV_AUTHORITY_HOST,
      allowedTenants: [DEV_TENANT_ID, DEV_OTHER_TENANT_ID],
      audiences: [DEV_CLIENT_ID, `api://${DEV_CLIENT_ID}`],
      requiredScope: 'access_as_user',
      publicUrl: undefined,
      allowedOrigins: [],
      graphBaseUrl: DEV_GRAPH_BASE_URL,
      graphScopesGranted: undefined,
      toolsets: ['profile', 'calendar', 'mail', 'files', 'teams', 'tasks', 'notes', 'meetings', 'search'],
      policy: { toolPolicy: undefined, allowedClientApps: undefined, readOnly: false },
      ask: { confirmWrites: 'elicit', stateKeys: { current: DEV_REQUEST_STATE_KEY, previous: undefined } },
      rateLimit: { tenantPerMinute: 600, userPerMinute: 120 },
      clientAddressSource: { forwardedForEntry: 1 },
      requestTimeoutMs: 60_000,
      tables: { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' },
      tablesPrefix: 'onbehalf',
      port: 7071,
      telemetry: expect.objectContaining({ azureMonitor: undefined, otlp: undefined, sampler: { name: 'parentbased_traceidratio', arg: 0.1 } }),
    });
  });

  it.each(['1', 'true'])('MCP_DEV_MODE=%s turns it on', (value) => {
    expect(parseConfig({ MCP_DEV_MODE: value }).devMode).toBe(true);
  });

  it('MCP_DEV_MODE=yes is setting_invalid', () => {
    expectRefused({ MCP_DEV_MODE: 'yes' }, 'setting_invalid', 'MCP_DEV_MODE');
  });

  it('refuses to run in Azure (WEBSITE_INSTANCE_ID set): dev_mode_in_azure', () => {
    expectRefused({ ...AZURE, MCP_DEV_MODE: '1' }, 'dev_mode_in_azure', 'MCP_DEV_MODE');
  });
});

describe('confirmation and the requestState keys', () => {
  it('confirmation is on by default, sealed with the key set', () => {
    expect(parseConfig(PROD).ask).toEqual({ confirmWrites: 'elicit', stateKeys: { current: STATE_KEY, previous: undefined } });
  });

  it('a rotation keeps the previous key for verification', () => {
    const previous = 'p'.repeat(44);
    expect(parseConfig({ ...PROD, MCP_REQUEST_STATE_KEY_PREVIOUS: previous }).ask.stateKeys).toEqual({ current: STATE_KEY, previous });
  });

  it('without a key outside dev mode, confirmation on is setting_missing; off needs no key', () => {
    expectRefused({ ...PROD, MCP_REQUEST_STATE_KEY: undefined }, 'setting_missing', 'MCP_REQUEST_STATE_KEY');
    expect(parseConfig({ ...PROD, MCP_REQUEST_STATE_KEY: undefined, MCP_CONFIRM_WRITES: 'off' }).ask).toEqual({ confirmWrites: 'off', stateKeys: undefined });
  });

  it.each([
    ['a key shorter than 32 bytes', { MCP_REQUEST_STATE_KEY: 'short' }, 'MCP_REQUEST_STATE_KEY'],
    ['a previous key shorter than 32 bytes', { MCP_REQUEST_STATE_KEY_PREVIOUS: 'short' }, 'MCP_REQUEST_STATE_KEY_PREVIOUS'],
    ['the previous key equal to the current one', { MCP_REQUEST_STATE_KEY_PREVIOUS: STATE_KEY }, 'MCP_REQUEST_STATE_KEY_PREVIOUS'],
    ['a previous key alone', { MCP_REQUEST_STATE_KEY: undefined, MCP_REQUEST_STATE_KEY_PREVIOUS: STATE_KEY }, 'MCP_REQUEST_STATE_KEY_PREVIOUS'],
    ['an unknown confirmation mode', { MCP_CONFIRM_WRITES: 'ask' }, 'MCP_CONFIRM_WRITES'],
  ] as const)('%s is setting_invalid', (_label, env, setting) => {
    expectRefused({ ...PROD, ...env }, 'setting_invalid', setting);
  });

  it('never quotes a key in its message', () => {
    try {
      parseConfig({ ...PROD, MCP_REQUEST_STATE_KEY: 'secret-but-short' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('secret-but-short');
    }
  });
});

describe('production settings', () => {
  it('a minimal configuration uses the public cloud and the app\'s own tenant', () => {
    const config = parseConfig(PROD);
    expect(config.devMode).toBe(false);
    expect(config.tenantId).toBe(TENANT);
    expect(config.clientId).toBe(CLIENT.toLowerCase());
    expect(config.credential).toEqual({ kind: 'managedIdentity', clientId: IDENTITY });
    expect(config.authorityHost).toBe('https://login.microsoftonline.com');
    expect(config.graphBaseUrl).toBe('https://graph.microsoft.com');
    expect(config.allowedTenants).toEqual([TENANT]);
    expect(config.publicUrl).toBeUndefined();
  });

  it.each(['ENTRA_TENANT_ID', 'ENTRA_CLIENT_ID'])('missing %s outside dev mode: setting_missing', (setting) => {
    const env: Record<string, string | undefined> = { ...PROD };
    delete env[setting];
    expectRefused(env, 'setting_missing', setting);
  });

  it('an empty value counts as unset', () => {
    expectRefused({ ...PROD, ENTRA_CLIENT_ID: '  ' }, 'setting_missing', 'ENTRA_CLIENT_ID');
  });

  it('a client id that is not a GUID: setting_invalid', () => {
    expectRefused({ ...PROD, ENTRA_CLIENT_ID: 'my-app' }, 'setting_invalid', 'ENTRA_CLIENT_ID');
  });

  it('a tenant that is neither a GUID nor organizations/common: setting_invalid', () => {
    expectRefused({ ...PROD, ENTRA_TENANT_ID: 'contoso.onmicrosoft.com' }, 'setting_invalid', 'ENTRA_TENANT_ID');
  });

  it('no client credential outside dev mode: setting_missing', () => {
    const error = configError({ ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: CLIENT });
    expect(error.code).toBe('setting_missing');
  });

  it.each([
    ['secret and certificate', { ENTRA_CLIENT_SECRET: SECRET, ENTRA_CLIENT_CERTIFICATE_PATH: '/certs/app.pem' }],
    ['secret and managed identity', { ENTRA_CLIENT_SECRET: SECRET, ENTRA_MANAGED_IDENTITY_CLIENT_ID: IDENTITY }],
    ['certificate and managed identity', { ENTRA_CLIENT_CERTIFICATE_PATH: '/certs/app.pem', ENTRA_MANAGED_IDENTITY_CLIENT_ID: IDENTITY }],
  ])('two credentials (%s): setting_conflict', (_label, credentials) => {
    const error = configError({ ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: CLIENT, ...credentials });
    expect(error.code).toBe('setting_conflict');
  });

  it.each([
    ['secret', { ENTRA_CLIENT_SECRET: SECRET }, { kind: 'secret', secret: SECRET }],
    ['certificate', { ENTRA_CLIENT_CERTIFICATE_PATH: '/certs/app.pem' }, { kind: 'certificate', path: '/certs/app.pem' }],
  ])('one credential (%s) is taken', (_label, credentials, expected) => {
    expect(parseConfig({ ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: CLIENT, MCP_REQUEST_STATE_KEY: STATE_KEY, ...credentials }).credential).toEqual(expected);
  });

  it.each(['organizations', 'common'])('ENTRA_TENANT_ID=%s without ENTRA_ALLOWED_TENANTS: setting_missing', (tenant) => {
    expectRefused({ ...PROD, ENTRA_TENANT_ID: tenant }, 'setting_missing', 'ENTRA_ALLOWED_TENANTS');
  });

  it('ENTRA_TENANT_ID=organizations with an allow list, or *', () => {
    const other = '22222222-3333-4444-8555-666666666666';
    expect(parseConfig({ ...PROD, ENTRA_TENANT_ID: 'organizations', ENTRA_ALLOWED_TENANTS: `${TENANT.toUpperCase()}, ${other}` }).allowedTenants).toEqual([TENANT, other]);
    expect(parseConfig({ ...PROD, ENTRA_TENANT_ID: 'organizations', ENTRA_ALLOWED_TENANTS: '*' }).allowedTenants).toBe('*');
  });

  it('ENTRA_ALLOWED_TENANTS with a non-GUID entry: setting_invalid', () => {
    expectRefused({ ...PROD, ENTRA_ALLOWED_TENANTS: `${TENANT},contoso` }, 'setting_invalid', 'ENTRA_ALLOWED_TENANTS');
  });

  it('audiences hold the GUID and api:// forms, plus MCP_AUDIENCES', () => {
    const client = CLIENT.toLowerCase();
    expect(parseConfig(PROD).audiences).toEqual([client, `api://${client}`]);
    expect(parseConfig({ ...PROD, MCP_AUDIENCES: 'https://mcp.example.com, api://other' }).audiences)
      .toEqual([client, `api://${client}`, 'https://mcp.example.com', 'api://other']);
  });

  it.each(['http://login.microsoftonline.com', 'login.microsoftonline.com', 'ftp://login.example'])('ENTRA_AUTHORITY_HOST=%s is refused', (host) => {
    expectRefused({ ...PROD, ENTRA_AUTHORITY_HOST: host }, 'setting_invalid', 'ENTRA_AUTHORITY_HOST');
  });

  it('ENTRA_AUTHORITY_HOST loses its trailing slash', () => {
    expect(parseConfig({ ...PROD, ENTRA_AUTHORITY_HOST: 'https://login.microsoftonline.us/' }).authorityHost).toBe('https://login.microsoftonline.us');
  });

  it('http:// GRAPH_BASE_URL is refused', () => {
    expectRefused({ ...PROD, GRAPH_BASE_URL: 'http://graph.microsoft.com' }, 'setting_invalid', 'GRAPH_BASE_URL');
  });

  it('MCP_REQUIRED_SCOPE must be one scope name', () => {
    expectRefused({ ...PROD, MCP_REQUIRED_SCOPE: 'a b' }, 'setting_invalid', 'MCP_REQUIRED_SCOPE');
    expect(parseConfig({ ...PROD, MCP_REQUIRED_SCOPE: 'mcp.call' }).requiredScope).toBe('mcp.call');
  });

  it('MCP_ALLOWED_ORIGINS are normalised, and a non-origin is refused', () => {
    expect(parseConfig({ ...PROD, MCP_ALLOWED_ORIGINS: 'https://App.Example.com:443, http://localhost:6274' }).allowedOrigins)
      .toEqual(['https://app.example.com', 'http://localhost:6274']);
    expectRefused({ ...PROD, MCP_ALLOWED_ORIGINS: 'app.example.com' }, 'setting_invalid', 'MCP_ALLOWED_ORIGINS');
  });

  it('MCP_ALLOWED_ORIGINS keeps extension and webview origins whole, never as the opaque "null"', () => {
    expect(parseConfig({ ...PROD, MCP_ALLOWED_ORIGINS: 'chrome-extension://ABCDEFGHIJKLMNOP, vscode-webview://1a2b:8080, moz-extension://id/' }).allowedOrigins)
      .toEqual(['chrome-extension://abcdefghijklmnop', 'vscode-webview://1a2b:8080', 'moz-extension://id']);
  });

  it.each([
    ['a path', 'https://app.example.com/app'],
    ['a query', 'https://app.example.com?x=1'],
    ['a fragment', 'https://app.example.com#top'],
    ['userinfo', 'https://user:pw@app.example.com'],
    ['the opaque origin null', 'null'],
    ['a file: URL', 'file:///home/me/index.html'],
    ['a scheme without a host', 'data:text/html,hi'],
    ['an extension origin with a path', 'chrome-extension://abc/page.html'],
  ])('MCP_ALLOWED_ORIGINS with %s is refused', (_label, origin) => {
    expectRefused({ ...PROD, MCP_ALLOWED_ORIGINS: `https://ok.example.com, ${origin}` }, 'setting_invalid', 'MCP_ALLOWED_ORIGINS');
  });

  it('a retired MCP_SESSION_MODE left in the settings is ignored: every mode is served statelessly', () => {
    expect(parseConfig({ ...PROD, MCP_SESSION_MODE: 'stateful' })).toEqual(parseConfig(PROD));
  });

  it('TABLES_CONNECTION_STRING and TABLES_ENDPOINT together: setting_conflict', () => {
    expectRefused({ ...PROD, TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true', TABLES_ENDPOINT: 'https://acct.table.core.windows.net' }, 'setting_conflict', 'TABLES_ENDPOINT');
  });
});

describe('MCP_TOOLSETS', () => {
  it('chooses areas in catalog order, whatever the order and case given', () => {
    expect(parseConfig({ ...PROD, MCP_TOOLSETS: ' Notes, mail ,profile,mail' }).toolsets).toEqual(['profile', 'mail', 'notes']);
  });

  it('names the unknown areas, so a typo does not silently hide a whole area', () => {
    const error = expectRefused({ ...PROD, MCP_TOOLSETS: 'mail,calender,team' }, 'setting_invalid', 'MCP_TOOLSETS');
    expect(error.message).toContain('calender');
    expect(error.message).toContain('team');
  });

  it('refuses a list that names nothing', () => {
    expectRefused({ ...PROD, MCP_TOOLSETS: ' , ' }, 'setting_invalid', 'MCP_TOOLSETS');
  });

  it('refuses an area none of whose scopes GRAPH_SCOPES_GRANTED grants, naming it: it would offer no tool', () => {
    const error = expectRefused({ ...PROD, MCP_TOOLSETS: 'profile', GRAPH_SCOPES_GRANTED: 'Mail.Read' }, 'setting_invalid', 'MCP_TOOLSETS');
    expect(error.message).toContain('profile');
    expect(error.message).toContain('GRAPH_SCOPES_GRANTED');
    const one = expectRefused({ ...PROD, MCP_TOOLSETS: 'mail,calendar', GRAPH_SCOPES_GRANTED: 'Mail.Read' }, 'setting_invalid', 'MCP_TOOLSETS');
    expect(one.message).toContain('calendar');
    expect(one.message).not.toContain('mail,');
  });

  it('refuses search without an area it reads through, naming them: alone it would offer no tool', () => {
    const error = expectRefused({ ...PROD, MCP_TOOLSETS: 'search,notes' }, 'setting_invalid', 'MCP_TOOLSETS');
    expect(error.message).toContain('search needs one of calendar, mail, files, teams');
    expect(parseConfig({ ...PROD, MCP_TOOLSETS: 'search,files' }).toolsets).toEqual(['files', 'search']);
  });

  it('takes areas of which one scope is granted, and every area when MCP_TOOLSETS is unset', () => {
    expect(parseConfig({ ...PROD, MCP_TOOLSETS: 'mail,calendar', GRAPH_SCOPES_GRANTED: 'Mail.Send Calendars.ReadWrite' }).toolsets).toEqual(['calendar', 'mail']);
    expect(parseConfig({ ...PROD, GRAPH_SCOPES_GRANTED: 'Mail.Read' }).toolsets).toContain('profile');
  });
});

describe('rate limits', () => {
  it.each(['RATE_LIMIT_TENANT_PER_MINUTE', 'RATE_LIMIT_USER_PER_MINUTE'])('%s takes whole numbers >= 0', (setting) => {
    const key = setting === 'RATE_LIMIT_TENANT_PER_MINUTE' ? 'tenantPerMinute' : 'userPerMinute';
    expect(parseConfig({ ...PROD, [setting]: '0' }).rateLimit[key]).toBe(0);
    expect(parseConfig({ ...PROD, [setting]: '250' }).rateLimit[key]).toBe(250);
    for (const bad of ['-1', '1.5', 'many', '1e400']) {
      expectRefused({ ...PROD, [setting]: bad }, 'setting_invalid', setting);
    }
  });
});

describe('MCP_CLIENT_ADDRESS_SOURCE', () => {
  const SETTING = 'MCP_CLIENT_ADDRESS_SOURCE';
  const source = (value: string) => parseConfig({ ...PROD, [SETTING]: value }).clientAddressSource;

  it('defaults to Azure Functions alone: the last X-Forwarded-For entry', () => {
    expect(parseConfig(PROD).clientAddressSource).toEqual({ forwardedForEntry: 1 });
    expect(source('  ')).toEqual({ forwardedForEntry: 1 });
  });

  it('names the chain: functions, front-door, x-forwarded-for:<n> from 1 to 10, or none, in any case', () => {
    expect(source('functions')).toEqual({ forwardedForEntry: 1 });
    expect(source('NONE')).toEqual({ forwardedForEntry: 0 });
    expect(source('Front-Door')).toEqual({ forwardedForEntry: 2 });
    expect(source('x-forwarded-for:1')).toEqual({ forwardedForEntry: 1 });
    expect(source(' X-Forwarded-For:3 ')).toEqual({ forwardedForEntry: 3 });
    expect(source('x-forwarded-for:10')).toEqual({ forwardedForEntry: 10 });
  });

  it.each(['x-forwarded-for:0', 'x-forwarded-for:11', 'x-forwarded-for:-1', 'x-forwarded-for:2.0', 'x-forwarded-for', 'x-forwarded-for:', 'xff:2', 'frontdoor', 'x-azure-socketip', 'constructor', '2'])(
    '%s stops the start, naming the setting and what it takes',
    (value) => {
      expect(expectRefused({ ...PROD, [SETTING]: value }, 'setting_invalid', SETTING).message).toMatch(/functions, front-door, x-forwarded-for:<n> .* or none/);
    },
  );

  it('x-azure-clientip stops the start with the reason: the caller writes it', () => {
    expect(expectRefused({ ...PROD, [SETTING]: 'X-Azure-ClientIP' }, 'setting_invalid', SETTING).message).toMatch(/caller's own X-Forwarded-For.*use front-door/);
  });
});

describe('in Azure (WEBSITE_INSTANCE_ID set)', () => {
  it('a complete configuration is accepted', () => {
    const config = parseConfig(AZURE);
    expect(config.publicUrl?.href).toBe('https://mcp.example.com/');
    expect(config.tables).toEqual({ kind: 'endpoint', endpoint: 'https://acct.table.core.windows.net' });
  });

  it('without MCP_PUBLIC_URL: setting_missing naming MCP_PUBLIC_URL', () => {
    const { MCP_PUBLIC_URL: _omitted, ...env } = AZURE;
    expectRefused(env, 'setting_missing', 'MCP_PUBLIC_URL');
  });

  it('without a Table endpoint: setting_missing', () => {
    const { TABLES_ENDPOINT: _omitted, ...env } = AZURE;
    expect(configError(env).code).toBe('setting_missing');
  });
});

describe('secrets stay out of errors', () => {
  it.each<[string, Env]>([
    ['two credentials', { ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: CLIENT, ENTRA_CLIENT_SECRET: SECRET, ENTRA_MANAGED_IDENTITY_CLIENT_ID: IDENTITY }],
    ['a bad client id next to the secret', { ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: 'nope', ENTRA_CLIENT_SECRET: SECRET }],
    ['a missing tenant next to the secret', { ENTRA_CLIENT_ID: CLIENT, ENTRA_CLIENT_SECRET: SECRET }],
    ['dev mode in Azure with a secret', { MCP_DEV_MODE: '1', WEBSITE_INSTANCE_ID: 'x', ENTRA_CLIENT_SECRET: SECRET }],
    ['a secret with an unusable TABLES_ENDPOINT', { ...PROD, ENTRA_MANAGED_IDENTITY_CLIENT_ID: undefined, ENTRA_CLIENT_SECRET: SECRET, TABLES_ENDPOINT: SECRET }],
  ])('%s: the message never contains ENTRA_CLIENT_SECRET\'s value', (_label, env) => {
    const error = configError(env);
    expect(error.message.includes(SECRET)).toBe(false);
    expect(String(error.stack).includes(SECRET)).toBe(false);
    expect(JSON.stringify({ ...error, message: error.message }).includes(SECRET)).toBe(false);
  });

  it('nor the value of a bad setting', () => {
    const error = expectRefused({ ...PROD, ENTRA_CLIENT_ID: 'not-a-guid-but-maybe-a-secret' }, 'setting_invalid', 'ENTRA_CLIENT_ID');
    expect(error.message.includes('not-a-guid-but-maybe-a-secret')).toBe(false);
  });
});

describe('settings that must stop the start', () => {
  describe('MCP_PUBLIC_URL', () => {
    it.each([
      ['credentials (published in the metadata)', 'https://admin:hunter2@mcp.example.com'],
      ['a user name', 'https://admin@mcp.example.com'],
      ['a query', 'https://mcp.example.com/?tenant=x'],
      ['an empty query', 'https://mcp.example.com/?'],
      ['a fragment', 'https://mcp.example.com/#top'],
      ['http to a public host', 'http://mcp.example.com'],
      ['another scheme', 'ftp://mcp.example.com'],
      ['no scheme', 'mcp.example.com'],
    ])('with %s: setting_invalid', (_label, value) => {
      expectRefused({ ...PROD, MCP_PUBLIC_URL: value }, 'setting_invalid', 'MCP_PUBLIC_URL');
    });

    it('takes http for a loopback host, but not in Azure', () => {
      expect(parseConfig({ ...PROD, MCP_PUBLIC_URL: 'http://localhost:7071' }).publicUrl?.href).toBe('http://localhost:7071/');
      expect(parseConfig({ ...PROD, MCP_PUBLIC_URL: 'https://mcp.example.com/base' }).publicUrl?.href).toBe('https://mcp.example.com/base');
      expectRefused({ ...AZURE, MCP_PUBLIC_URL: 'http://localhost:7071' }, 'setting_invalid', 'MCP_PUBLIC_URL');
    });
  });

  describe('ENTRA_AUTHORITY_HOST and GRAPH_BASE_URL are origins', () => {
    it.each([
      ['a path', 'https://login.microsoftonline.com/common'],
      ['a query', 'https://login.microsoftonline.com?x=1'],
      ['a fragment', 'https://login.microsoftonline.com/#x'],
      ['an upper-case scheme', 'HTTPS://login.microsoftonline.com'],
      ['an upper-case host', 'https://Login.MicrosoftOnline.com'],
      ['credentials', 'https://user:pass@login.microsoftonline.com'],
      ['the default port written out', 'https://login.microsoftonline.com:443'],
    ])('ENTRA_AUTHORITY_HOST with %s: setting_invalid', (_label, value) => {
      expectRefused({ ...PROD, ENTRA_AUTHORITY_HOST: value }, 'setting_invalid', 'ENTRA_AUTHORITY_HOST');
    });

    it.each(['https://graph.microsoft.com/v1.0', 'https://graph.microsoft.com?x', 'HTTPS://graph.microsoft.com', 'https://u:p@graph.microsoft.com'])('GRAPH_BASE_URL=%s: setting_invalid', (value) => {
      expectRefused({ ...PROD, GRAPH_BASE_URL: value }, 'setting_invalid', 'GRAPH_BASE_URL');
    });

    it('take national clouds and local stand-ins with a port', () => {
      expect(parseConfig({ ...PROD, ENTRA_AUTHORITY_HOST: 'https://login.microsoftonline.us/' }).authorityHost).toBe('https://login.microsoftonline.us');
      expect(parseConfig({ ...PROD, ENTRA_AUTHORITY_HOST: 'https://localhost:7072', GRAPH_BASE_URL: 'https://localhost:7073/' }))
        .toMatchObject({ authorityHost: 'https://localhost:7072', graphBaseUrl: 'https://localhost:7073' });
    });
  });

  describe('GRAPH_SCOPES_GRANTED', () => {
    it.each([
      ['commas', 'Mail.Read,Mail.Send'],
      ['spaces', 'Mail.Read Mail.Send'],
      ['both, and any case', ' mail.read ,\tMAIL.SEND  '],
      ['sign-in scopes copied along', 'openid profile offline_access Mail.Read Mail.Send'],
    ])('takes names separated by %s', (_label, value) => {
      expect(parseConfig({ ...PROD, GRAPH_SCOPES_GRANTED: value }).graphScopesGranted).toEqual(['Mail.Read', 'Mail.Send']);
    });

    it('names the scopes no tool uses: setting_invalid', () => {
      const error = expectRefused({ ...PROD, GRAPH_SCOPES_GRANTED: 'Mail.Read Mail.Sned Calendar.Read' }, 'setting_invalid', 'GRAPH_SCOPES_GRANTED');
      expect(error.message).toContain('Mail.Sned');
      expect(error.message).toContain('Calendar.Read');
    });

    it('never echoes an entry that is not a scope name', () => {
      const error = expectRefused({ ...PROD, GRAPH_SCOPES_GRANTED: `Mail.Read ${SECRET}` }, 'setting_invalid', 'GRAPH_SCOPES_GRANTED');
      expect(error.message).not.toContain(SECRET);
    });

    it.each([',', 'openid offline_access'])('%s grants no tool scope, so no tool would be listed: setting_invalid', (value) => {
      expectRefused({ ...PROD, GRAPH_SCOPES_GRANTED: value }, 'setting_invalid', 'GRAPH_SCOPES_GRANTED');
    });
  });

  describe('numbers', () => {
    const NUMERIC = ['MCP_REQUEST_TIMEOUT_SECONDS', 'RATE_LIMIT_TENANT_PER_MINUTE', 'RATE_LIMIT_USER_PER_MINUTE', 'PORT'] as const;
    it.each(NUMERIC.flatMap((setting) => ['0x10', '1e2', '+16', '16.0', '0b10', '1_000', '٣'].map((value) => [setting, value] as const)))('%s=%s is not decimal digits: setting_invalid', (setting, value) => {
      expectRefused({ ...PROD, [setting]: value }, 'setting_invalid', setting);
    });

    it.each([
      ['MCP_REQUEST_TIMEOUT_SECONDS', '221'],
      ['MCP_REQUEST_TIMEOUT_SECONDS', '100000000'],
      ['MCP_REQUEST_TIMEOUT_SECONDS', '0'],
      ['RATE_LIMIT_USER_PER_MINUTE', '1000001'],
      ['PORT', '65536'],
    ])('%s=%s is out of range: setting_invalid', (setting, value) => {
      expectRefused({ ...PROD, [setting]: value }, 'setting_invalid', setting);
    });

    it.each([...NUMERIC, 'MCP_REQUEST_TIMEOUT_SECONDS'].flatMap((setting) => [' 5 ', '5 ', '\t5', '5\n'].map((value) => [setting, value] as const)))('%s=%j has more than digits: setting_invalid', (setting, value) => {
      expectRefused({ ...PROD, [setting]: value }, 'setting_invalid', setting);
    });

    it('still counts a value of spaces alone as unset', () => {
      expect(parseConfig({ ...PROD, MCP_REQUEST_TIMEOUT_SECONDS: '  ' }).requestTimeoutMs).toBe(60_000);
    });

    it('takes the largest sane values', () => {
      expect(parseConfig({ ...PROD, MCP_REQUEST_TIMEOUT_SECONDS: '220', RATE_LIMIT_USER_PER_MINUTE: '1000000', PORT: '010' }))
        .toMatchObject({ requestTimeoutMs: 220_000, rateLimit: { userPerMinute: 1_000_000 }, port: 10 });
    });
  });

  describe('Table Storage', () => {
    const { TABLES_ENDPOINT: _endpoint, ...azureWithoutTables } = AZURE;
    it.each([
      ['UseDevelopmentStorage=true'],
      ['DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;'],
      ['DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=https://localhost:10002/devstoreaccount1;'],
    ])('the emulator in Azure (%s): setting_invalid', (value) => {
      expectRefused({ ...azureWithoutTables, TABLES_CONNECTION_STRING: value }, 'setting_invalid', 'TABLES_CONNECTION_STRING');
    });

    it('a real account\'s connection string in Azure is accepted', () => {
      const value = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net';
      expect(parseConfig({ ...azureWithoutTables, TABLES_CONNECTION_STRING: value }).tables).toEqual({ kind: 'connectionString', connectionString: value });
    });

    it.each([
      ['plain http to a real host', 'DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=a2V5;TableEndpoint=http://tables.example.com/localhost;'],
      ['no endpoint at all', 'AccountKey=a2V5'],
    ])('%s: setting_invalid', (_label, value) => {
      expectRefused({ ...PROD, TABLES_CONNECTION_STRING: value }, 'setting_invalid', 'TABLES_CONNECTION_STRING');
    });
  });

  describe('hosted in Azure, by any of its signs', () => {
    const SIGNS: [string, Env][] = [
      ['WEBSITE_INSTANCE_ID', { WEBSITE_INSTANCE_ID: 'abc123' }],
      ['WEBSITE_SITE_NAME', { WEBSITE_SITE_NAME: 'func-api-x' }],
      ['WEBSITE_HOSTNAME', { WEBSITE_HOSTNAME: 'func-api-x.azurewebsites.net' }],
      ['CONTAINER_NAME', { CONTAINER_NAME: 'func-api-x_0', FUNCTIONS_WORKER_RUNTIME: 'node' }],
    ];

    it.each(SIGNS)('%s refuses dev mode: dev_mode_in_azure', (_name, signs) => {
      const error = expectRefused({ MCP_DEV_MODE: '1', ...signs }, 'dev_mode_in_azure', 'MCP_DEV_MODE');
      expect(error.message).toContain(_name);
    });

    it.each(SIGNS)('%s asks for MCP_PUBLIC_URL and TABLES_ENDPOINT like the others', (_name, signs) => {
      expectRefused({ ...PROD, ...signs }, 'setting_missing', 'MCP_PUBLIC_URL');
      expectRefused({ ...PROD, ...signs, MCP_PUBLIC_URL: 'https://mcp.example.com' }, 'setting_missing', 'TABLES_ENDPOINT');
      expect(parseConfig({ ...PROD, ...signs, MCP_PUBLIC_URL: 'https://mcp.example.com', TABLES_ENDPOINT: 'https://acct.table.core.windows.net' }).devMode).toBe(false);
    });

    it.each<[string, Env]>([
      ['Core Tools\' local WEBSITE_HOSTNAME', { WEBSITE_HOSTNAME: 'localhost:7071' }],
      ['a container platform\'s CONTAINER_NAME without the Functions host', { CONTAINER_NAME: 'sandbox-1234' }],
    ])('%s is not hosting: dev mode starts', (_label, signs) => {
      expect(parseConfig({ MCP_DEV_MODE: '1', ...signs }).devMode).toBe(true);
    });
  });
});
