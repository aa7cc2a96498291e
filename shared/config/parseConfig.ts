// Turns app settings into a typed Config once; a bad value fails here, naming the setting.
import * as z from 'zod';
import { FUNCTIONS_ALONE, type ClientAddressSource } from '../http/clientAddress.js';
import { serializeOrigin } from '../http/origin.js';
import { clientAddressSource } from './clientAddressSource.js';
import { ConfigError } from './configError.js';
import {
  DEV_AUTHORITY_HOST,
  DEV_CLIENT_ID,
  DEV_CLIENT_SECRET,
  DEV_GRAPH_BASE_URL,
  DEV_OTHER_TENANT_ID,
  DEV_TENANT_ID,
} from './devDefaults.js';
import { SIGN_IN_SCOPES, TOOL_GRAPH_SCOPES } from './graphScopes.js';
import { hostedBy } from './hosting.js';
import { readOtlpExporterOptions, type OtlpExporterOptions, type OtlpSignal } from './otlpExporterOptions.js';
import { readAskSettings, type AskSettings } from './askSettings.js';
import { readPolicySettings, type PolicySettings } from './policySettings.js';
import { read, readNumber, type Env } from './readSetting.js';
import { readSdkSettings, type SdkSettings } from './sdkSettings.js';
import { refuseUnsupportedSettings } from './unsupportedSettings.js';
import type { SettingName } from './settings.js';
import { connectionStringEndpoint, isLoopbackHost } from './tablesEndpoint.js';
import { TOOLSET_LENDERS, TOOLSET_SCOPES, TOOLSETS, type Toolset } from './toolsets.js';

export type ClientCredential =
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'certificate'; readonly path: string }
  | { readonly kind: 'managedIdentity'; readonly clientId: string };

export type TablesConnection =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'endpoint'; readonly endpoint: string };

/** Application Insights through the Azure Monitor distro. */
export interface AzureMonitorSettings {
  readonly connectionString: string;
  /** `Authorization=AAD`: send with a managed identity (user-assigned when `clientId` is set); undefined: the connection string's key. */
  readonly managedIdentity: { readonly clientId: string | undefined } | undefined;
}

/**
 * OTLP over HTTP: the URL each signal is sent to (its own `OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT` as given, else
 * the general endpoint with `/v1/<signal>` appended, as the OTLP exporter specification says); a signal with
 * neither is not exported. Each signal's headers, timeout and compression come from `OTEL_EXPORTER_OTLP_*` too.
 */
export interface OtlpSettings {
  readonly traces: string | undefined;
  readonly metrics: string | undefined;
  readonly logs: string | undefined;
  readonly protocol: 'http/protobuf' | 'http/json';
  readonly options: Readonly<Record<OtlpSignal, OtlpExporterOptions>>;
}

/** The standard OTEL_TRACES_SAMPLER values, and Application Insights' own two (with its connection string only). */
export const TRACE_SAMPLERS = [
  'always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio',
  'microsoft.rate_limited', 'microsoft.fixed_percentage',
] as const;

/** An operator's OTEL_TRACES_SAMPLER: its name and OTEL_TRACES_SAMPLER_ARG (a ratio, or traces per second), where it takes one. */
export interface TraceSampler {
  readonly name: (typeof TRACE_SAMPLERS)[number];
  readonly arg: number | undefined;
}

/** Where traces, metrics and logs go; both unset: telemetry is off. */
export interface TelemetrySettings {
  readonly azureMonitor: AzureMonitorSettings | undefined;
  readonly otlp: OtlpSettings | undefined;
  /** OTEL_TRACES_SAMPLER as parsed; unset: `DEFAULT_TRACE_SAMPLER` (at OTEL_TRACES_SAMPLER_ARG's ratio, if set). */
  readonly sampler: TraceSampler;
  /** Resource, batching and metric export, the same whichever exporter is on. */
  readonly sdk: SdkSettings;
}

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
  /** The areas whose tools are offered (when their scopes are granted); all of them by default. */
  readonly toolsets: readonly Toolset[];
  /** Who may use which of the offered tools: MCP_TOOL_POLICY, MCP_ALLOWED_CLIENT_APPS, MCP_READ_ONLY. */
  readonly policy: PolicySettings;
  /** MCP_CONFIRM_WRITES and the keys that seal `requestState`. */
  readonly ask: AskSettings;
  readonly rateLimit: { readonly tenantPerMinute: number; readonly userPerMinute: number };
  /** MCP_CLIENT_ADDRESS_SOURCE: where the key of the refused-request budget is read. */
  readonly clientAddressSource: ClientAddressSource;
  /** Overall deadline of one HTTP request. */
  readonly requestTimeoutMs: number;
  readonly tables: TablesConnection;
  /** Letters and digits; table names are `<prefix>RateLimits`, `<prefix>Audit`, `<prefix>RequestStates`. */
  readonly tablesPrefix: string;
  readonly port: number;
  readonly telemetry: TelemetrySettings;
}

export type { Env } from './readSetting.js';

const MAX_PER_MINUTE = 1_000_000;

/**
 * Longest MCP_REQUEST_TIMEOUT_SECONDS: an answer must leave before Azure's front end drops an HTTP request
 * (230 s) and well before host.json's functionTimeout ends the invocation.
 */
export const MAX_REQUEST_TIMEOUT_SECONDS = 220;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MULTI_TENANT = new Set(['organizations', 'common']);

const guid = z.string().regex(GUID, 'must be a GUID');
const httpsUrl = z
  .url({ protocol: /^https$/, error: 'must be an https:// URL' })
  .transform((value) => value.replace(/\/+$/, ''));
/**
 * An https origin written as its own canonical form: every URL we build starts from it, so a path, a query, a
 * fragment, credentials or an upper-case scheme would break (or leak from) each one.
 */
const httpsOrigin = z.string().superRefine((value, context) => {
  const reason = originProblem(value);
  if (reason !== undefined) context.addIssue({ code: 'custom', message: reason });
}).transform((value) => new URL(value).origin);
const list = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item.length > 0));
const flag = z.enum(['0', '1', 'true', 'false']).transform((value) => value === '1' || value === 'true');

function originProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an https:// URL';
  }
  if (url.protocol !== 'https:') return 'must be an https:// URL';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (/[?#]/.test(value) || url.pathname !== '/') return 'must be an origin such as https://login.microsoftonline.com: no path, query or fragment';
  if (value.replace(/\/$/, '') !== url.origin) return 'must be written as https://host[:port], in lower case and without the default port';
  return undefined;
}

/** The public URL: https (http only for a loopback host, never hosted), no credentials, query or fragment. */
function publicUrlProblem(value: string, hosted: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute https:// URL';
  }
  const loopbackHttp = url.protocol === 'http:' && isLoopbackHost(url.hostname) && !hosted;
  if (url.protocol !== 'https:' && !loopbackHttp) return 'must be an https:// URL (http:// only for localhost, and never in Azure)';
  // Credentials here would be published in the protected resource metadata for anyone to read.
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (/[?#]/.test(value)) return 'must not have a query or fragment';
  return undefined;
}

/** The granted scopes, separated by commas and/or spaces; each must be one the tools ask for. */
function grantedScopes(value: string): string[] {
  const known = new Map<string, string>(TOOL_GRAPH_SCOPES.map((scope) => [scope.toLowerCase(), scope]));
  const signIn = new Set<string>(SIGN_IN_SCOPES);
  const names = value.split(/[\s,]+/).filter((name) => name !== '');
  const unknown = names.filter((name) => !known.has(name.toLowerCase()) && !signIn.has(name.toLowerCase()));
  if (unknown.length > 0) {
    // Named only when they look like scope names: a pasted secret must not end up in a log.
    const shown = unknown.filter((name) => /^[A-Za-z][\w.]{0,63}$/.test(name)).slice(0, 10);
    const named = shown.length === unknown.length ? shown.join(', ') : `${unknown.length} entries that are not scope names`;
    throw new ConfigError('setting_invalid', 'GRAPH_SCOPES_GRANTED', `names scopes no tool uses: ${named}; use names from ${TOOL_GRAPH_SCOPES.join(', ')}`);
  }
  const granted = names.flatMap((name) => known.get(name.toLowerCase()) ?? []);
  if (granted.length === 0) {
    throw new ConfigError('setting_invalid', 'GRAPH_SCOPES_GRANTED', `grants no scope a tool uses, so no tool would be offered; list some of ${TOOL_GRAPH_SCOPES.join(', ')}, or leave it unset`);
  }
  return [...new Set(granted)];
}

/** Where the connection string points decides how it may be used: plain http only to the emulator, the emulator never in Azure. */
function checkConnectionString(connectionString: string, inAzure: boolean): void {
  const endpoint = connectionStringEndpoint(connectionString);
  if (endpoint === undefined) {
    throw new ConfigError('setting_invalid', 'TABLES_CONNECTION_STRING', 'must name a Table endpoint: TableEndpoint=..., AccountName=..., or UseDevelopmentStorage=true');
  }
  const loopback = isLoopbackHost(endpoint.hostname);
  if (loopback && inAzure) {
    throw new ConfigError('setting_invalid', 'TABLES_CONNECTION_STRING', 'points at the local emulator (a loopback host), which Azure does not have; set TABLES_ENDPOINT instead');
  }
  if (endpoint.protocol !== 'https:' && !loopback) {
    throw new ConfigError('setting_invalid', 'TABLES_CONNECTION_STRING', 'must use https for anything but the local emulator');
  }
}

function missing(name: SettingName, why: string): never {
  throw new ConfigError('setting_missing', name, `is required ${why}`);
}

const KNOWN_TOOLSETS: ReadonlySet<string> = new Set(TOOLSETS);

/**
 * MCP_TOOLSETS: known area names, in catalog order; a typo must fail the start, not silently hide an area, and so
 * must an area chosen whose every scope GRAPH_SCOPES_GRANTED leaves out (it would offer no tool, without a word).
 */
function readToolsets(env: Env, granted: readonly string[] | undefined): readonly Toolset[] {
  const chosen = read(env, 'MCP_TOOLSETS', list);
  if (chosen === undefined) return TOOLSETS;
  const names = chosen.map((name) => name.toLowerCase());
  // Tool set names are not secrets; a few, shortened, say what was mistyped.
  const unknown = [...new Set(names.filter((name) => !KNOWN_TOOLSETS.has(name)))].slice(0, 5).map((name) => name.slice(0, 40));
  if (unknown.length > 0) throw new ConfigError('setting_invalid', 'MCP_TOOLSETS', `unknown tool sets: ${unknown.join(', ')}; choose from ${TOOLSETS.join(', ')}`);
  if (names.length === 0) throw new ConfigError('setting_invalid', 'MCP_TOOLSETS', `must name at least one of ${TOOLSETS.join(', ')}`);
  const toolsets = TOOLSETS.filter((name) => names.includes(name));
  const stranded = toolsets.filter((set) => TOOLSET_LENDERS[set]?.some((lender) => toolsets.includes(lender)) === false);
  if (stranded.length > 0) {
    const needs = stranded.map((set) => `${set} needs one of ${(TOOLSET_LENDERS[set] ?? []).join(', ')}`).join('; ');
    throw new ConfigError('setting_invalid', 'MCP_TOOLSETS', `names tool sets that would offer no tool without an area they read through: ${needs}`);
  }
  const grantedSet = granted === undefined ? undefined : new Set(granted);
  const empty = grantedSet === undefined ? [] : toolsets.filter((set) => !TOOLSET_SCOPES[set].some((scope) => grantedSet.has(scope)));
  if (empty.length > 0) {
    const needs = empty.map((set) => `${set} needs one of ${TOOLSET_SCOPES[set].join(', ')}`).join('; ');
    throw new ConfigError('setting_invalid', 'MCP_TOOLSETS', `names tool sets that would offer no tool, as GRAPH_SCOPES_GRANTED grants none of their scopes: ${needs}`);
  }
  return toolsets;
}

/** `Key=value;Key=value` (connection and authentication strings), keys compared case-insensitively. */
function pairs(value: string): Map<string, string> | undefined {
  const map = new Map<string, string>();
  for (const part of value.split(';').map((item) => item.trim()).filter((item) => item !== '')) {
    const at = part.indexOf('=');
    if (at <= 0) return undefined;
    map.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return map;
}

/**
 * Why an exporter endpoint must not be used: telemetry leaves with a bearer token or an ingestion key, so plain
 * http only to a loopback host (a collector beside the app), and no user name or password in the URL (credentials
 * go in headers, never where a URL gets logged).
 */
function exportEndpointProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http(s):// URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s):// URL';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password (send credentials as headers)';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return 'must use https for any host but loopback';
  return undefined;
}

const exportEndpoint = z.string().superRefine((value, context) => {
  const reason = exportEndpointProblem(value);
  if (reason !== undefined) context.addIssue({ code: 'custom', message: reason });
});

const connectionString = z.string().superRefine((value, context) => {
  const map = pairs(value);
  if (!GUID.test(map?.get('instrumentationkey') ?? '')) {
    context.addIssue({ code: 'custom', message: 'must be an Application Insights connection string: InstrumentationKey=<GUID>;IngestionEndpoint=...' });
    return;
  }
  for (const [key, name] of [['ingestionendpoint', 'IngestionEndpoint'], ['liveendpoint', 'LiveEndpoint']] as const) {
    const endpoint = map?.get(key);
    const reason = endpoint === undefined ? undefined : exportEndpointProblem(endpoint);
    if (reason !== undefined) context.addIssue({ code: 'custom', message: `its ${name} ${reason}` });
  }
});
const authenticationString = z.string()
  .transform((value) => pairs(value))
  .refine((map) => map?.get('authorization')?.toUpperCase() === 'AAD', 'must be Authorization=AAD, optionally with ;ClientId=<managed identity client id>')
  .refine((map) => !map?.has('clientid') || GUID.test(map.get('clientid') ?? ''), 'ClientId must be a GUID')
  .transform((map) => ({ clientId: map?.get('clientid')?.toLowerCase() }));
const otlpProtocol = z.enum(['http/protobuf', 'http/json'], { error: 'must be http/protobuf or http/json (gRPC is not supported)' });
const disabled = z.string().transform((value) => value.toLowerCase()).pipe(z.enum(['true', 'false'], { error: 'must be true or false' }));

const SIGNAL_ENDPOINTS = {
  traces: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  metrics: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
  logs: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
} as const satisfies Record<string, SettingName>;

/** Each signal's URL: its own endpoint as given, else the general one with `/v1/<signal>`; none set: no OTLP. */
function readOtlp(env: Env): OtlpSettings | undefined {
  const general = read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', exportEndpoint);
  // Read whatever else is set: a bad value stops the start even before an endpoint is added.
  const protocol = read(env, 'OTEL_EXPORTER_OTLP_PROTOCOL', otlpProtocol) ?? 'http/protobuf';
  const url = (signal: keyof typeof SIGNAL_ENDPOINTS): string | undefined =>
    read(env, SIGNAL_ENDPOINTS[signal], exportEndpoint) ?? (general === undefined ? undefined : `${general.replace(/\/+$/, '')}/v1/${signal}`);
  const urls = { traces: url('traces'), metrics: url('metrics'), logs: url('logs') };
  const options = { traces: readOtlpExporterOptions(env, 'traces'), metrics: readOtlpExporterOptions(env, 'metrics'), logs: readOtlpExporterOptions(env, 'logs') };
  if (urls.traces === undefined && urls.metrics === undefined && urls.logs === undefined) return undefined;
  return { ...urls, protocol, options };
}

// The Azure Monitor distro's own spellings of the ratio samplers, taken as the standard ones.
const SAMPLER_ALIASES: Readonly<Record<string, TraceSampler['name']>> = { trace_id_ratio: 'traceidratio', parentbased_trace_id_ratio: 'parentbased_traceidratio' };
const RATIO_SAMPLERS: ReadonlySet<TraceSampler['name']> = new Set(['traceidratio', 'parentbased_traceidratio', 'microsoft.fixed_percentage']);
const decimal = z.string().regex(/^\d{1,9}(\.\d{1,9})?$/, 'must be a decimal number such as 0.25').transform(Number);

/**
 * Without OTEL_TRACES_SAMPLER: one new trace in ten is kept, and a caller's (or the Functions host's) traceparent
 * decides for the trace it continues. Metrics count every request and records are never sampled, so the workbook's
 * counts, every refusal and failure (a record with its correlation id) and every write (an audit row) are all there
 * whatever the sampler drops; span creation and export, most of what telemetry costs a request, are paid for one
 * request in ten. OTEL_TRACES_SAMPLER_ARG alone sets the ratio (1: every trace).
 */
export const DEFAULT_TRACE_SAMPLER: TraceSampler = { name: 'parentbased_traceidratio', arg: 0.1 };

/**
 * OTEL_TRACES_SAMPLER and its argument, checked here rather than left to the SDK, which would log a warning and
 * fall back to another sampler: the operator's choice must be applied as written or stop the start.
 */
function readSampler(env: Env, appInsights: boolean): TraceSampler {
  const raw = read(env, 'OTEL_TRACES_SAMPLER', z.string().transform((value) => value.toLowerCase()).transform((value) => SAMPLER_ALIASES[value] ?? value)
    .pipe(z.enum(TRACE_SAMPLERS, { error: `must be one of ${TRACE_SAMPLERS.join(', ')}` })));
  if (raw === undefined) {
    return { name: DEFAULT_TRACE_SAMPLER.name, arg: read(env, 'OTEL_TRACES_SAMPLER_ARG', decimal.pipe(z.number().max(1, 'must be a ratio from 0 to 1'))) ?? DEFAULT_TRACE_SAMPLER.arg };
  }
  if (raw.startsWith('microsoft.') && !appInsights) {
    throw new ConfigError('setting_invalid', 'OTEL_TRACES_SAMPLER', `${raw} is Application Insights' own sampler: it needs APPLICATIONINSIGHTS_CONNECTION_STRING`);
  }
  if (RATIO_SAMPLERS.has(raw)) {
    return { name: raw, arg: read(env, 'OTEL_TRACES_SAMPLER_ARG', decimal.pipe(z.number().max(1, 'must be a ratio from 0 to 1'))) ?? 1 };
  }
  if (raw === 'microsoft.rate_limited') return { name: raw, arg: read(env, 'OTEL_TRACES_SAMPLER_ARG', decimal) ?? 5 };
  // The others take no argument; the specification says to ignore one.
  return { name: raw, arg: undefined };
}

/** Azure Monitor when its connection string is set, OTLP when an endpoint is, both when both are; `OTEL_SDK_DISABLED=true` turns both off. */
function readTelemetry(env: Env): TelemetrySettings {
  // Checked even while telemetry is off: a mistake must not wait to stop the start until it is turned on.
  const sdk = readSdkSettings(env);
  refuseUnsupportedSettings(env, read(env, 'OTEL_EXPORTER_OTLP_PROTOCOL', otlpProtocol) ?? 'http/protobuf');
  if (read(env, 'OTEL_SDK_DISABLED', disabled) === 'true') return { azureMonitor: undefined, otlp: undefined, sampler: DEFAULT_TRACE_SAMPLER, sdk };
  const appInsights = read(env, 'APPLICATIONINSIGHTS_CONNECTION_STRING', connectionString);
  return {
    sdk,
    azureMonitor: appInsights === undefined ? undefined : {
      connectionString: appInsights,
      managedIdentity: read(env, 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', authenticationString),
    },
    otlp: readOtlp(env),
    sampler: readSampler(env, appInsights !== undefined),
  };
}

/**
 * Parses the app settings. Throws `ConfigError` (`setting_invalid`, `setting_missing`,
 * `setting_conflict`, `dev_mode_in_azure`) naming the setting at fault.
 */
export function parseConfig(env: Env): Config {
  const hostedSignal = hostedBy(env);
  const inAzure = hostedSignal !== undefined;
  const devMode = read(env, 'MCP_DEV_MODE', flag) ?? false;
  if (devMode && inAzure) {
    throw new ConfigError('dev_mode_in_azure', 'MCP_DEV_MODE', `dev mode cannot run in Azure (${hostedSignal} says it is hosted); remove the setting`);
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

  const authorityHost = read(env, 'ENTRA_AUTHORITY_HOST', httpsOrigin) ?? (devMode ? DEV_AUTHORITY_HOST : 'https://login.microsoftonline.com');

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

  const publicUrl = read(env, 'MCP_PUBLIC_URL', z.string().superRefine((value, context) => {
    const reason = publicUrlProblem(value, inAzure);
    if (reason !== undefined) context.addIssue({ code: 'custom', message: reason });
  }).transform((value) => new URL(value)));
  if (inAzure && publicUrl === undefined) {
    throw new ConfigError('setting_missing', 'MCP_PUBLIC_URL', 'is required in Azure: requests are only served for the public host name');
  }
  const originsRaw = read(env, 'MCP_ALLOWED_ORIGINS', list) ?? [];
  // Serialised exactly as the guard serialises a request's Origin, so the two compare as strings.
  const allowedOrigins = originsRaw.map((origin) => {
    const serialized = serializeOrigin(origin);
    if (serialized === undefined) {
      throw new ConfigError('setting_invalid', 'MCP_ALLOWED_ORIGINS', 'must be origins such as https://app.example.com or chrome-extension://<id> (no path, query or userinfo), separated by commas');
    }
    return serialized;
  });

  const graphBaseUrl = read(env, 'GRAPH_BASE_URL', httpsOrigin) ?? (devMode ? DEV_GRAPH_BASE_URL : 'https://graph.microsoft.com');
  const scopesRaw = read(env, 'GRAPH_SCOPES_GRANTED', z.string());
  const graphScopesGranted = scopesRaw === undefined ? undefined : grantedScopes(scopesRaw);
  const toolsets = readToolsets(env, graphScopesGranted);

  const rateLimit = {
    tenantPerMinute: readNumber(env, 'RATE_LIMIT_TENANT_PER_MINUTE', 0, MAX_PER_MINUTE) ?? 600,
    userPerMinute: readNumber(env, 'RATE_LIMIT_USER_PER_MINUTE', 0, MAX_PER_MINUTE) ?? 120,
  };

  const requestTimeoutMs = (readNumber(env, 'MCP_REQUEST_TIMEOUT_SECONDS', 1, MAX_REQUEST_TIMEOUT_SECONDS) ?? 60) * 1000;

  const connectionString = read(env, 'TABLES_CONNECTION_STRING', z.string());
  const endpoint = read(env, 'TABLES_ENDPOINT', httpsUrl);
  if (connectionString !== undefined && endpoint !== undefined) {
    throw new ConfigError('setting_conflict', 'TABLES_ENDPOINT', 'set TABLES_CONNECTION_STRING or TABLES_ENDPOINT, not both');
  }
  if (inAzure && connectionString === undefined && endpoint === undefined) {
    throw new ConfigError('setting_missing', 'TABLES_ENDPOINT', 'is required in Azure (the local emulator is not there)');
  }
  if (connectionString !== undefined) checkConnectionString(connectionString, inAzure);
  const tables: TablesConnection = endpoint !== undefined
    ? { kind: 'endpoint', endpoint }
    : { kind: 'connectionString', connectionString: connectionString ?? 'UseDevelopmentStorage=true' };

  const tablesPrefix = read(env, 'TABLES_PREFIX', z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/, 'must be letters and digits, starting with a letter')) ?? 'onbehalf';

  const port = readNumber(env, 'PORT', 1, 65535) ?? 7071;

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
    toolsets,
    policy: readPolicySettings(env),
    ask: readAskSettings((name, schema) => read(env, name, schema), devMode),
    rateLimit,
    clientAddressSource: read(env, 'MCP_CLIENT_ADDRESS_SOURCE', clientAddressSource) ?? FUNCTIONS_ALONE,
    requestTimeoutMs,
    tables,
    tablesPrefix,
    port,
    telemetry: readTelemetry(env),
  };
}
