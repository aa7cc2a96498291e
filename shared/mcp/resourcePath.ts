// The MCP resources a deployment serves: /mcp for every allowed tenant, /tenants/<tenant id>/mcp for one tenant's users.

/** What a request is about: the resource `/mcp`, or one tenant's (`tenant` is its id, lower case). */
export interface McpResource {
  readonly tenant: string | undefined;
  /** `/mcp` or `/tenants/<id>/mcp`: the resource's path, and what its metadata path ends with. */
  readonly path: string;
}

export const RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

const MCP = '/mcp';
// Lower case only: RFC 9728 wants the resource identifier byte for byte as the client used it, so each
// tenant has one spelling, the one Entra writes in `tid`.
const TENANT_MCP = /^\/tenants\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/mcp$/;

export const MCP_RESOURCE: McpResource = { tenant: undefined, path: MCP };

export function tenantResource(tenant: string): McpResource {
  return { tenant, path: `/tenants/${tenant}/mcp` };
}

/** The resource of an MCP endpoint path, or undefined when the path is none we serve. */
export function mcpResourceAt(pathname: string): McpResource | undefined {
  if (pathname === MCP) return MCP_RESOURCE;
  const tenant = TENANT_MCP.exec(pathname)?.[1];
  return tenant === undefined ? undefined : tenantResource(tenant);
}

/**
 * The resource a metadata path describes (RFC 9728 §3.1: the well-known segment before the resource's
 * path), or undefined. The bare well-known path describes `/mcp`, for clients that look there first.
 */
export function metadataResourceAt(pathname: string): McpResource | undefined {
  if (pathname === RESOURCE_METADATA_PATH) return MCP_RESOURCE;
  return pathname.startsWith(`${RESOURCE_METADATA_PATH}/`) ? mcpResourceAt(pathname.slice(RESOURCE_METADATA_PATH.length)) : undefined;
}
