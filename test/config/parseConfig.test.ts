// parseConfig: dev-mode defaults, production requirements, and ConfigError codes that name the setting, never its value.
import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigErrorCode } from '../../shared/config/configError.js';
import {
  DEV_AUTHORITY_HOST,
  DEV_CLIENT_ID,
  DEV_CLIENT_SECRET,
  DEV_GRAPH_BASE_URL,
  DEV_OTHER_TENANT_ID,
  DEV_TENANT_ID,
} from '../../shared/config/devDefaults.js';
import { parseConfig, type Env } from '../../shared/config/parseConfig.js';

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE';
const IDENTITY = '99999999-8888-4777-8666-555555555555';
const SECRET = 'Sup3r~Secr3t.Value_that-must-never-leak';

/** A minimal production configuration (outside Azure): tenant, client and a managed identity credential. */
const PROD: Env = { ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: CLIENT, ENTRA_MANAGED_IDENTITY_CLIENT_ID: IDENTITY };

/** What running in Azure adds: the instance id, the public URL and the Table endpoint. */
const AZURE: Env = { ...PROD, WEBSITE_INSTANCE_ID: 'abc123', MCP_PUBLIC_URL: 'https://mcp.example.com', TABLES_ENDPOINT: 'https://acct.table.core.windows.net' };

function configError(env: Env): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('parseConfig accepted the settings');
}

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
      sessionMode: 'stateless',
      session: { idleMs: 60 * 60_000, maxMs: 24 * 3_600_000 },
      rateLimit: { tenantPerMinute: 600, userPerMinute: 120 },
      tables: { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' },
      tablesPrefix: 'onbehalf',
      port: 7071,
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
    expect(parseConfig({ ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: CLIENT, ...credentials }).credential).toEqual(expected);
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

  it('MCP_SESSION_MODE must be stateless or stateful', () => {
    expect(parseConfig({ ...PROD, MCP_SESSION_MODE: 'stateful' }).sessionMode).toBe('stateful');
    expectRefused({ ...PROD, MCP_SESSION_MODE: 'sticky' }, 'setting_invalid', 'MCP_SESSION_MODE');
  });

  it('TABLES_CONNECTION_STRING and TABLES_ENDPOINT together: setting_conflict', () => {
    expectRefused({ ...PROD, TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true', TABLES_ENDPOINT: 'https://acct.table.core.windows.net' }, 'setting_conflict', 'TABLES_ENDPOINT');
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
