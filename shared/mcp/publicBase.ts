// The base URL clients reach us at: the configured public URL, or (local) the request's own scheme and Host.
import { requestHost } from '../http/requestGuard.js';

/**
 * `MCP_PUBLIC_URL` without its trailing slash; unset (local), the request's scheme and its `Host`,
 * which the rebinding guard has admitted as a loopback name. Never the authority of the request URL:
 * an absolute-form target (`POST http://evil.example/mcp`) would choose it.
 */
export function publicBase(request: Request, publicUrl: URL | undefined): string {
  if (publicUrl !== undefined) return publicUrl.href.replace(/\/+$/, '');
  const scheme = request.url.startsWith('https:') ? 'https:' : 'http:';
  return `${scheme}//${requestHost(request)?.host ?? 'localhost'}`;
}
