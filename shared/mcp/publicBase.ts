// The base URL clients reach us at: the configured public URL, or (local) the request's own origin.

export function publicBase(request: Request, publicUrl: URL | undefined): string {
  return publicUrl === undefined ? new URL(request.url).origin : publicUrl.href.replace(/\/+$/, '');
}

export const MCP_PATH = '/mcp';
export const RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';
