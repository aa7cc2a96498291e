// RFC 9728 protected resource metadata: where clients learn which authorization server and scope to use.
import type { Config } from '../config/parseConfig.js';
import type { McpResource } from './resourcePath.js';

export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly resource_name: string;
}

export function requiredScopeUri(config: Pick<Config, 'clientId' | 'requiredScope'>): string {
  return `api://${config.clientId}/${config.requiredScope}`;
}

/**
 * The one authority a client of `resource` signs in at. A tenant's own resource names that tenant's.
 * `/mcp` names `ENTRA_TENANT_ID`'s: the app's home tenant, whose metadata's issuer is that same URL, so
 * clients that hold the issuer to RFC 8414 §3.3 accept it; or, where the deployment chose it,
 * `organizations`, which serves Entra-aware clients of every tenant but whose metadata names the
 * `{tenantid}` placeholder as issuer, which strict clients refuse. Never a list of allowed tenants:
 * public metadata must not publish the deployment's customers.
 */
export function signInAuthority(config: Pick<Config, 'authorityHost' | 'tenantId'>, resource: McpResource): string {
  return `${config.authorityHost}/${resource.tenant ?? config.tenantId.toLowerCase()}/v2.0`;
}

/** RFC 9728 metadata for `resource` at `base`: only what a client needs to sign in. */
export function protectedResourceMetadata(base: string, config: Config, resource: McpResource): ProtectedResourceMetadata {
  return {
    resource: `${base}${resource.path}`,
    authorization_servers: [signInAuthority(config, resource)],
    scopes_supported: [requiredScopeUri(config)],
    bearer_methods_supported: ['header'],
    resource_name: 'onbehalf',
  };
}
