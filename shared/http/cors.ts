// CORS for browser-based MCP clients, granted only to origins the DNS-rebinding guard already admits.
import { HttpError } from './httpError.js';
import { guardRequest, type RequestGuardOptions } from './requestGuard.js';

// What MCP clients send: the bearer token and body type, the 2025-era protocol version and SSE resumption
// headers, a session id of a past deployment (which must reach the server to be told to initialize again), and
// the 2026-07-28 Mcp-Method / Mcp-Name routing headers.
const ALLOWED_HEADERS = 'authorization, content-type, accept, mcp-protocol-version, mcp-session-id, last-event-id, mcp-method, mcp-name';
// A browser client must read these: the challenge that starts OAuth, and the budgets.
const EXPOSED_HEADERS = 'mcp-protocol-version, www-authenticate, retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset';

/**
 * The CORS headers an answer to `request` carries: none without an `Origin`, or when the guard
 * refuses it (the refusal itself then carries none, so the page learns nothing).
 */
export function corsHeaders(request: Request, guard: RequestGuardOptions): Record<string, string> {
  const origin = request.headers.get('origin');
  if (origin === null) return {};
  try {
    guardRequest(request, guard);
  } catch {
    return {};
  }
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED_HEADERS, vary: 'Origin' };
}

/** Answers a preflight; throws `HttpError` (`host_not_allowed`, `origin_not_allowed`) like any other request. */
export function preflight(request: Request, guard: RequestGuardOptions, methods: string): Response {
  guardRequest(request, guard);
  if (request.headers.get('origin') === null) {
    throw new HttpError('method_not_allowed', 'OPTIONS is only answered for browser preflight requests', { headers: { allow: methods } });
  }
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(request, guard),
      'access-control-allow-methods': methods,
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': '600',
    },
  });
}
