// Turns app settings into a typed Config once; a bad value fails here, naming the setting.
import { z } from 'zod';
import { ConfigError } from './configError.js';
import {
  DEV_AUTHORITY_HOST,
  DEV_CLIENT_ID,
  DEV_CLIENT_SECRET,
  DEV_GRAPH_BASE_URL,
  DEV_OTHER_TENANT_ID,
  DEV_TENANT_ID,
} from './devDefaults.js';
import type { SettingName } from './settings.js';

export type ClientCredential =
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'certificate'; readonly path: string }
  | { readonly kind: 'managedIdentity'; readonly clientId: string };

export type TablesConnection =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'endpoint'; readonly endpoint: string };

export interface Config {
  readonly devMode: boolean;
  /** Tenant of the app registration, or `organizations`. */
  readonly tenantId: string;
  readonly clientId: string;
  readonly credential: ClientCredential;
  /** Without a trailing slash, e.g. `https://login.microsoftonline.com`. */
  readonly authorityHost: string;
  /** Tenant ids allowed to call; `'*'` admits every tenant. */
  readonly allowedTenants: readonly string[] | '*';
  /** Every accepted `aud`: the client id, `api://<clientId>` and MCP_AUDIENCES. */
  readonly audiences: readonly string[];
  readonly requiredScope: string;
  /** Unset: local, only loopback `Host` names are served. */
  readonly publicUrl: URL | undefined;
  /** Lower-case `scheme://host[:port]` of extra browser origins. */
  readonly allowedOrigins: readonly string[];
  /** Without a trailing slash, e.g. `https://graph.microsoft.com`. */
  readonly graphBaseUrl: string;
  /** Undefined: every scope the tools use is granted. */
  readonly graphScopesGranted: readonly string[] | undefined;
  readonly sessionMode: 'stateless' | 'stateful';
  readonly session: { readonly idleMs: number; readonly maxMs: number };
  readonly rateLimit: { readonly tenantPerMinute: number; readonly userPerMinute: number };
  readonly tables: TablesConnection;
  /** Letters and digits; table names are `<prefix>Sessions`, `<prefix>RateLimits`, `<prefix>Audit`. */
  readonly tablesPrefix: string;
  readonly port: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MULTI_TENANT = new Set(['organizations', 'common']);

const guid = z.string().regex(GUID, 'must be a GUID');
const httpsUrl = z
  .url({ protocol: /^https$/, error: 'must be an https:// URL' })
  .transform((value) => value.replace(/\/+$/, ''));
const list = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item.length > 0));
const count = z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more');
const flag = z.enum(['0', '1', 'true', 'false']).transform((value) => value === '1' || value === 'true');

/** Reads one setting through its schema; empty strings count as unset. */
function read<T>(env: Env, name: SettingName, schema: z.ZodType<T>): T | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? 'is not valid';
    throw new ConfigError('setting_invalid', name, reason);
  }
  return parsed.data;
}

function missing(name: SettingName, why: string): never {
  throw new ConfigError('setting_missing', name, `is required ${why}`);
}

/** Origin form used for comparison: lower-case scheme, host and non-default port. */
function normalizeOrigin(value: string): string {
  return new URL(value).origin.toLowerCase();
}

/**
 * Parses the app settings. Throws `ConfigError` (`setting_invalid`, `setting_missing`,
 * `setting_conflict`, `dev_mode_in_azure`) naming the setting at fault.
 */
export function parseConfig(env: Env): Config {
  const inAzure = (env['WEBSITE_INSTANCE_ID'] ?? '') !== '';
  const devMode = read(env, 'MCP_DEV_MODE', flag) ?? false;
  if (devMode && inAzure) {
    throw new ConfigError('dev_mode_in_azure', 'MCP_DEV_MODE', 'dev mode cannot run in Azure (WEBSITE_INSTANCE_ID is set); remove the setting');
  }
  const where = devMode ? '' : 'unless MCP_DEV_MODE=1';

  const tenantId = read(env, 'ENTRA_TENANT_ID', z.union([guid, z.enum(['organizations', 'common'])])) ??
    (devMode ? DEV_TENANT_ID : missing('ENTRA_TENANT_ID', where));
  const clientId = read(env, 'ENTRA_CLIENT_ID', guid) ?? (devMode ? DEV_CLIENT_ID : missing('ENTRA_CLIENT_ID', where));

  const credentials: ClientCredential[] = [];
  const secret = read(env, 'ENTRA_CLIENT_SECRET', z.string());
  if (secret !== undefined) credentials.push({ kind: 'secret', secret });
  const certificatePath = read(env, 'ENTRA_CLIENT_CERTIFICATE_PATH', z.string());
  if (certificatePath !== undefined) credentials.push({ kind: 'certificate', path: certificatePath });
  const managedIdentity = read(env, 'ENTRA_MANAGED_IDENTITY_CLIENT_ID', guid);
  if (managedIdentity !== undefined) credentials.push({ kind: 'managedIdentity', clientId: managedIdentity });
  if (credentials.length > 1) {
    throw new ConfigError('setting_conflict', 'ENTRA_CLIENT_SECRET', 'set exactly one of ENTRA_CLIENT_SECRET, ENTRA_CLIENT_CERTIFICATE_PATH, ENTRA_MANAGED_IDENTITY_CLIENT_ID');
  }
  const credential = credentials[0] ?? (devMode
    ? { kind: 'secret', secret: DEV_CLIENT_SECRET } as const
    : missing('ENTRA_MANAGED_IDENTITY_CLIENT_ID', 'or ENTRA_CLIENT_SECRET or ENTRA_CLIENT_CERTIFICATE_PATH: the On-Behalf-Of exchange needs a client credential'));

  const authorityHost = read(env, 'ENTRA_AUTHORITY_HOST', httpsUrl) ?? (devMode ? DEV_AUTHORITY_HOST : 'https://login.microsoftonline.com');

  const allowedRaw = read(env, 'ENTRA_ALLOWED_TENANTS', list);
  let allowedTenants: readonly string[] | '*';
  if (allowedRaw?.length === 1 && allowedRaw[0] === '*') {
    allowedTenants = '*';
  } else if (allowedRaw !== undefined && allowedRaw.length > 0) {
    const bad = allowedRaw.find((item) => !GUID.test(item));
    if (bad !== undefined) throw new ConfigError('setting_invalid', 'ENTRA_ALLOWED_TENANTS', 'must be tenant GUIDs separated by commas, or *');
    allowedTenants = allowedRaw.map((item) => item.toLowerCase());
  } else if (MULTI_TENANT.has(tenantId)) {
    throw new ConfigError('setting_missing', 'ENTRA_ALLOWED_TENANTS', `is required when ENTRA_TENANT_ID=${tenantId}: list the tenant GUIDs allowed to call, or * for every tenant`);
  } else {
    allowedTenants = devMode ? [DEV_TENANT_ID, DEV_OTHER_TENANT_ID] : [tenantId.toLowerCase()];
  }

  const extraAudiences = read(env, 'MCP_AUDIENCES', list) ?? [];
  const requiredScope = read(env, 'MCP_REQUIRED_SCOPE', z.string().regex(/^[\w.-]+$/, 'must be one scope name, e.g. access_as_user')) ?? 'access_as_user';

  const publicUrl = read(env, 'MCP_PUBLIC_URL', z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).transform((value) => new URL(value)));
  if (inAzure && publicUrl === undefined) {
    throw new ConfigError('setting_missing', 'MCP_PUBLIC_URL', 'is required in Azure: requests are only served for the public host name');
  }
  const originsRaw = read(env, 'MCP_ALLOWED_ORIGINS', list) ?? [];
  const allowedOrigins = originsRaw.map((origin) => {
    try {
      return normalizeOrigin(origin);
    } catch (cause) {
      throw new ConfigError('setting_invalid', 'MCP_ALLOWED_ORIGINS', 'must be origins such as https://app.example.com, separated by commas', { cause });
    }
  });

  const graphBaseUrl = read(env, 'GRAPH_BASE_URL', httpsUrl) ?? (devMode ? DEV_GRAPH_BASE_URL : 'https://graph.microsoft.com');
  const graphScopesGranted = read(env, 'GRAPH_SCOPES_GRANTED', list);

  const sessionMode = read(env, 'MCP_SESSION_MODE', z.enum(['stateless', 'stateful'], { error: 'must be stateless or stateful' })) ?? 'stateless';
  const positive = z.coerce.number().int('must be a whole number').min(1, 'must be 1 or more');
  const session = {
    idleMs: (read(env, 'MCP_SESSION_IDLE_MINUTES', positive) ?? 60) * 60_000,
    maxMs: (read(env, 'MCP_SESSION_MAX_HOURS', positive) ?? 24) * 3_600_000,
  };
  const rateLimit = {
    tenantPerMinute: read(env, 'RATE_LIMIT_TENANT_PER_MINUTE', count) ?? 600,
    userPerMinute: read(env, 'RATE_LIMIT_USER_PER_MINUTE', count) ?? 120,
  };

  const connectionString = read(env, 'TABLES_CONNECTION_STRING', z.string());
  const endpoint = read(env, 'TABLES_ENDPOINT', httpsUrl);
  if (connectionString !== undefined && endpoint !== undefined) {
    throw new ConfigError('setting_conflict', 'TABLES_ENDPOINT', 'set TABLES_CONNECTION_STRING or TABLES_ENDPOINT, not both');
  }
  if (inAzure && connectionString === undefined && endpoint === undefined) {
    throw new ConfigError('setting_missing', 'TABLES_ENDPOINT', 'is required in Azure (the local emulator is not there)');
  }
  const tables: TablesConnection = endpoint !== undefined
    ? { kind: 'endpoint', endpoint }
    : { kind: 'connectionString', connectionString: connectionString ?? 'UseDevelopmentStorage=true' };

  const tablesPrefix = read(env, 'TABLES_PREFIX', z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/, 'must be letters and digits, starting with a letter')) ?? 'onbehalf';

  const port = read(env, 'PORT', z.coerce.number().int().min(1, 'must be a TCP port').max(65535, 'must be a TCP port')) ?? 7071;

  return {
    devMode,
    tenantId,
    clientId: clientId.toLowerCase(),
    credential,
    authorityHost,
    allowedTenants,
    audiences: [...new Set([clientId.toLowerCase(), `api://${clientId.toLowerCase()}`, ...extraAudiences])],
    requiredScope,
    publicUrl,
    allowedOrigins,
    graphBaseUrl,
    graphScopesGranted,
    sessionMode,
    session,
    rateLimit,
    tables,
    tablesPrefix,
    port,
  };
}
