// Entra v2 scopes: one resource per request (named by its App ID URI or GUID prefix), plus the OpenID Connect ones.
import { GRAPH_AUDIENCE } from './claims.js';
import { EntraError } from './entraError.js';
import type { ApiRegistration } from './registrations.js';

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'offline_access']);

/** The resource a request's access token is for: our API, or Microsoft Graph (also when only OIDC scopes were asked). */
export type Resource = 'server' | 'graph';

export interface RequestedScopes {
  readonly resource: Resource;
  /** Short scope values of that resource (`access_as_user`, `User.Read`). */
  readonly resourceScopes: readonly string[];
  readonly oidc: readonly string[];
}

const OIDC_WORDS: Record<string, string> = {
  openid: 'Sign you in',
  profile: 'View your basic profile',
  email: 'View your email address',
  offline_access: 'Maintain access to data you have given it access to',
};

const GRAPH_WORDS: Record<string, string> = {
  'User.Read': 'Sign you in and read your profile',
  'Mail.Read': 'Read your mail',
  'Calendars.Read': 'Read your calendars',
  'Files.Read.All': 'Read all files that you can access',
};

/**
 * Parses `scope`. Throws `EntraError` `invalid_scope` (AADSTS70011 unknown scope, AADSTS28000 more than
 * one resource) and `invalid_request` (AADSTS900144 no scope).
 */
export function parseScopes(value: string | null, server: ApiRegistration): RequestedScopes {
  const items = (value ?? '').split(/\s+/).filter((item) => item !== '');
  if (items.length === 0) throw new EntraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
  const oidc: string[] = [];
  const byResource = new Map<Resource, string[]>();
  const add = (resource: Resource, scope: string) => {
    const list = byResource.get(resource) ?? [];
    if (!list.includes(scope)) list.push(scope);
    byResource.set(resource, list);
  };
  for (const item of items) {
    if (OIDC_SCOPES.has(item)) {
      if (!oidc.includes(item)) oidc.push(item);
      continue;
    }
    const slash = item.lastIndexOf('/');
    const prefix = slash < 0 ? '' : item.slice(0, slash).toLowerCase();
    const scope = slash < 0 ? item : item.slice(slash + 1);
    if (prefix === '' || prefix === GRAPH_AUDIENCE || prefix === GRAPH_APP_ID) {
      add('graph', scope);
    } else if (prefix === server.clientId || server.identifierUris.some((uri) => uri.toLowerCase() === prefix)) {
      if (scope !== '.default' && !(scope in server.scopes)) {
        throw new EntraError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${item} is not valid.`);
      }
      add('server', scope);
    } else {
      throw new EntraError(400, 'invalid_resource', 500011, `The resource principal named ${prefix} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    }
  }
  if (byResource.size > 1) {
    throw new EntraError(400, 'invalid_scope', 28000, 'Provided value for the input parameter scope is not valid because it contains more than one resource.');
  }
  const [entry] = byResource;
  if (entry === undefined) return { resource: 'graph', resourceScopes: [], oidc };
  const [resource, scopes] = entry;
  // `.default` stands for every scope the API exposes (all of them consented statically).
  const resourceScopes = resource === 'server' && scopes.includes('.default') ? Object.keys(server.scopes) : scopes;
  return { resource, resourceScopes, oidc };
}

/**
 * Entra v2 takes the resource from the scopes; an RFC 8707 `resource` parameter is accepted only when it
 * is, byte for byte, an App ID URI of the app that owns them (an MCP server's URL is refused unless the
 * registration lists it). Throws `EntraError` `invalid_target` (AADSTS9010010).
 */
export function checkResourceParameter(resource: string | null, requested: RequestedScopes, server: ApiRegistration): void {
  if (resource === null) return;
  const accepted = requested.resource === 'server' ? server.identifierUris : [GRAPH_AUDIENCE];
  if (!accepted.includes(resource)) {
    throw new EntraError(400, 'invalid_target', 9010010, "The resource parameter provided in the request doesn't match with the requested scopes.");
  }
}

/** Keys a consent is remembered by: `openid`, `<server id>/access_as_user`, `graph/User.Read`. */
export function consentKeys(requested: RequestedScopes, server: ApiRegistration): string[] {
  const prefix = requested.resource === 'server' ? server.clientId : 'graph';
  return [...requested.oidc, ...requested.resourceScopes.map((scope) => `${prefix}/${scope}`)];
}

/** What the consent page says for a consent key. */
export function describeConsentKey(key: string, server: ApiRegistration): { readonly scope: string; readonly words: string } {
  if (key in OIDC_WORDS) return { scope: key, words: OIDC_WORDS[key] ?? key };
  const [prefix, scope = ''] = key.split('/');
  if (prefix === server.clientId) return { scope, words: server.scopes[scope] ?? scope };
  return { scope, words: `${GRAPH_WORDS[scope] ?? scope} (Microsoft Graph)` };
}

/** The `scope` a token answer names: the resource's scopes (the OIDC ones only when there is no other resource). */
export function grantedScopes(requested: RequestedScopes, server: ApiRegistration): string[] {
  if (requested.resource === 'server') return requested.resourceScopes.map((scope) => `api://${server.clientId}/${scope}`);
  return requested.resourceScopes.length > 0 ? [...requested.resourceScopes] : requested.oidc.filter((scope) => scope !== 'offline_access');
}
