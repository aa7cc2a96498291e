// The base URL clients reach us at: the configured public URL, or (local) the request's own origin.

export function publicBase(request: Request, publicUrl: URL | undefined): string {
  const base = publicUrl ?? new URL(request.url);
  return publicUrl !== undefined ? publicUrl.href.replace(/\/+$/, '') : base.origin;
}

export const MCP_PATH = '/mcp';
export const RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';
