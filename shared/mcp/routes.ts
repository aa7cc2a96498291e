// The HTTP routes, shared by the Functions triggers and the local host so both serve the same paths.

export interface Route {
  readonly name: string;
  /**
   * Path without the leading slash, as a Functions route template: `{name}` is one segment, `{*name}`
   * the rest of the path. The handler reads what it needs from the request URL itself.
   */
  readonly path: string;
  readonly methods: readonly ('GET' | 'POST' | 'DELETE' | 'OPTIONS')[];
  readonly handler: 'mcp' | 'protectedResourceMetadata' | 'health';
}

const MCP_METHODS = ['POST', 'GET', 'DELETE', 'OPTIONS'] as const;

export const ROUTES: readonly Route[] = [
  // OPTIONS: browser clients' CORS preflight.
  { name: 'mcp', path: 'mcp', methods: MCP_METHODS, handler: 'mcp' },
  // One tenant's users: its metadata names that tenant's authority (see shared/mcp/resourcePath.ts).
  { name: 'mcpTenant', path: 'tenants/{tenant}/mcp', methods: MCP_METHODS, handler: 'mcp' },
  // Every well-known document in one route: RFC 9728 metadata for each resource, and for any other
  // document a client probes for (authorization server metadata, OpenID configuration) a 404 that a
  // browser client can read, so its discovery moves on. One route, because the Functions host ranks
  // overlapping routes by function name, not by how specific they are.
  { name: 'wellKnown', path: '.well-known/{*document}', methods: ['GET', 'OPTIONS'], handler: 'protectedResourceMetadata' },
  { name: 'health', path: 'healthz', methods: ['GET'], handler: 'health' },
];

/** `{name}` matches one non-empty segment, `{*name}` anything that follows. */
function templatePattern(template: string): RegExp {
  const parts = template.split('/').map((segment) => {
    if (/^\{\*\w+\}$/.test(segment)) return '.*';
    if (/^\{\w+\}$/.test(segment)) return '[^/]+';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^/${parts.join('/')}$`);
}

// No two templates match one path, so the order of the list never decides.
const PATTERNS = ROUTES.map((route) => ({ route, pattern: templatePattern(route.path) }));

/** The route the Functions host chooses for `pathname`, for hosts that route themselves. */
export function routeFor(pathname: string): Route | undefined {
  return PATTERNS.find(({ pattern }) => pattern.test(pathname))?.route;
}
