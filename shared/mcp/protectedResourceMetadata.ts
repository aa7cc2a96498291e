// RFC 9728 protected resource metadata: where clients learn which authorization server and scope to use.
import type { Config } from '../config/parseConfig.js';
import { MCP_PATH } from './publicBase.js';

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
 * The one authority a client signs in at: the home tenant's when only it may call, else
 * `organizations`. Listing each allowed tenant would publish the deployment's customer list, and a
 * client needs none of it: Entra sends each user to their own tenant from `organizations`.
 */
export function signInAuthority(config: Pick<Config, 'authorityHost' | 'tenantId' | 'allowedTenants'>): string {
  const { allowedTenants } = config;
  const homeOnly = allowedTenants !== '*' && allowedTenants.length === 1 && allowedTenants[0] === config.tenantId.toLowerCase();
  return `${config.authorityHost}/${homeOnly ? config.tenantId.toLowerCase() : 'organizations'}/v2.0`;
}

/** RFC 9728 metadata for the resource at `base`: only what a client needs to sign in. */
export function protectedResourceMetadata(base: string, config: Config): ProtectedResourceMetadata {
  return {
    resource: `${base}${MCP_PATH}`,
    authorization_servers: [signInAuthority(config)],
    scopes_supported: [requiredScopeUri(config)],
    bearer_methods_supported: ['header'],
    resource_name: 'onbehalf',
  };
}
