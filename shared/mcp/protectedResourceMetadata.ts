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

export function protectedResourceMetadata(base: string, config: Config): ProtectedResourceMetadata {
  const tenants = config.allowedTenants === '*' ? ['organizations'] : config.allowedTenants;
  return {
    resource: `${base}${MCP_PATH}`,
    authorization_servers: tenants.map((tenant) => `${config.authorityHost}/${tenant}/v2.0`),
    scopes_supported: [requiredScopeUri(config)],
    bearer_methods_supported: ['header'],
    resource_name: 'onbehalf',
  };
}
