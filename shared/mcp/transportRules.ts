// What a request must be before anything is spent on it beyond the token check: its method, its headers, and
// no session of a past deployment.
import { HttpError } from '../http/httpError.js';
import { DEFAULT_PROTOCOL_VERSION, PROTOCOL_VERSIONS } from './serverInfo.js';

const SUPPORTED: ReadonlySet<string> = new Set(PROTOCOL_VERSIONS);

/**
 * Refuses every method but POST (`method_not_allowed`, `Allow: POST`): the server keeps no sessions, so there
 * is no session to end (DELETE), and Functions cannot hold the standalone SSE stream a GET would open.
 */
export function requirePost(request: Request): void {
  if (request.method === 'POST') return;
  const why = request.method === 'GET' || request.method === 'DELETE' ? `${request.method} is not supported: this server keeps no sessions` : `${request.method} is not supported`;
  throw new HttpError('method_not_allowed', `${why}; send JSON-RPC with POST`, { headers: { allow: 'POST' } });
}

/**
 * Checks what the SDK's transport would check too, before anything is spent on the body; returns the
 * protocol version the request speaks. Throws `HttpError` `not_acceptable`, `unsupported_media_type`,
 * `protocol_version_unsupported`, or `session_not_found` for an `Mcp-Session-Id`: sessions were retired, and
 * 404 is what makes a 2025-era client of a deployment that kept them initialize again, without one.
 */
export function checkPostHeaders(request: Request): string {
  const accept = request.headers.get('accept') ?? '';
  if (!acceptsBoth(accept)) {
    throw new HttpError('not_acceptable', 'Not Acceptable: the Accept header must list application/json and text/event-stream');
  }
  const contentType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new HttpError('unsupported_media_type', 'Unsupported Media Type: send Content-Type: application/json');
  }
  if (request.headers.has('mcp-session-id')) {
    throw new HttpError('session_not_found', 'Session not found: this server keeps no sessions; send initialize again without Mcp-Session-Id');
  }
  const version = request.headers.get('mcp-protocol-version');
  if (version !== null && !SUPPORTED.has(version)) {
    throw new HttpError('protocol_version_unsupported', `Unsupported MCP-Protocol-Version ${version}; this server speaks ${PROTOCOL_VERSIONS.join(', ')}`);
  }
  return version ?? DEFAULT_PROTOCOL_VERSION;
}

// Exactly the SDK transport's test (a case-sensitive substring match: no wildcards, no q-values), so
// that nothing we pass is then answered 406 by the SDK in a shape of its own.
function acceptsBoth(accept: string): boolean {
  return accept.includes('application/json') && accept.includes('text/event-stream');
}
