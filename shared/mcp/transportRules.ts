// What a request must be before anything is spent on it beyond the token check: its method and media type,
// and, for a 2025-era request, the headers that era's transport requires and no session of a past deployment.
// The 2026-07-28 revision's own rules (its envelope, its headers against the body) are the SDK's.
import { HttpError } from '../http/httpError.js';
import { ALL_PROTOCOL_VERSIONS, DEFAULT_PROTOCOL_VERSION, PROTOCOL_VERSIONS } from './serverInfo.js';

const LEGACY: ReadonlySet<string> = new Set(PROTOCOL_VERSIONS);

/**
 * Refuses every method but POST (`method_not_allowed`, `Allow: POST`): the server keeps no sessions, so there
 * is no session to end (DELETE), and Functions cannot hold the standalone SSE stream a GET would open.
 */
export function requirePost(request: Request): void {
  if (request.method === 'POST') return;
  const why = request.method === 'GET' || request.method === 'DELETE' ? `${request.method} is not supported: this server keeps no sessions` : `${request.method} is not supported`;
  throw new HttpError('method_not_allowed', `${why}; send JSON-RPC with POST`, { headers: { allow: 'POST' } });
}

/** Throws `HttpError` `unsupported_media_type` unless the body is declared JSON (both eras' rule). */
export function requireJson(request: Request): void {
  const contentType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new HttpError('unsupported_media_type', 'Unsupported Media Type: send Content-Type: application/json');
  }
}

/**
 * The 2025-era transport's header rules, checked as the SDK's transport checks them; returns the protocol
 * version the request speaks. Throws `HttpError` `not_acceptable`, `protocol_version_unsupported`, or
 * `session_not_found` for an `Mcp-Session-Id`: sessions were retired, and 404 is what makes a client of a
 * deployment that kept them initialize again, without one.
 */
export function checkLegacyHeaders(request: Request): string {
  const accept = request.headers.get('accept') ?? '';
  if (!acceptsBoth(accept)) {
    throw new HttpError('not_acceptable', 'Not Acceptable: the Accept header must list application/json and text/event-stream');
  }
  if (request.headers.has('mcp-session-id')) {
    throw new HttpError('session_not_found', 'Session not found: this server keeps no sessions; send initialize again without Mcp-Session-Id');
  }
  const version = request.headers.get('mcp-protocol-version');
  if (version !== null && !LEGACY.has(version)) {
    throw new HttpError('protocol_version_unsupported', `Unsupported MCP-Protocol-Version ${version}; this server speaks ${ALL_PROTOCOL_VERSIONS.join(', ')}`);
  }
  return version ?? DEFAULT_PROTOCOL_VERSION;
}

// Exactly the SDK transport's test (a case-sensitive substring match: no wildcards, no q-values), so
// that nothing we pass is then answered 406 by the SDK in a shape of its own.
function acceptsBoth(accept: string): boolean {
  return accept.includes('application/json') && accept.includes('text/event-stream');
}
