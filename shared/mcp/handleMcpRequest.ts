// POST/GET/DELETE /mcp: transport rules, caller verification, then the SDK's stateless Streamable HTTP transport.
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { bearerToken } from '../auth/bearerToken.js';
import type { VerifyAccessToken } from '../auth/verifyAccessToken.js';
import { HttpError } from '../http/httpError.js';
import { readJsonBody } from '../http/readJsonBody.js';
import { guardRequest, type RequestGuardOptions } from '../http/requestGuard.js';
import type { Logger } from '../log/logger.js';
import { createServer, type ServerDependencies } from './createServer.js';
import { BATCHING_VERSIONS, DEFAULT_PROTOCOL_VERSION, PROTOCOL_VERSIONS } from './serverInfo.js';

export interface McpHandlerDependencies extends Omit<ServerDependencies, 'log'> {
  readonly guard: RequestGuardOptions;
  readonly verifyAccessToken: VerifyAccessToken;
}

const SUPPORTED: ReadonlySet<string> = new Set(PROTOCOL_VERSIONS);

/** Checks what the SDK would check too, before we spend a token verification on the request. */
function checkPostHeaders(request: Request): string {
  const accept = request.headers.get('accept') ?? '';
  if (!acceptsBoth(accept)) {
    throw new HttpError('not_acceptable', 'Not Acceptable: the Accept header must list application/json and text/event-stream');
  }
  const contentType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new HttpError('unsupported_media_type', 'Unsupported Media Type: send Content-Type: application/json');
  }
  const version = request.headers.get('mcp-protocol-version');
  if (version !== null && !SUPPORTED.has(version)) {
    throw new HttpError('protocol_version_unsupported', `Unsupported MCP-Protocol-Version ${version}; this server speaks ${PROTOCOL_VERSIONS.join(', ')}`);
  }
  return version ?? DEFAULT_PROTOCOL_VERSION;
}

function acceptsBoth(accept: string): boolean {
  const types = accept.split(',').map((part) => part.split(';')[0]?.trim().toLowerCase());
  const any = types.includes('*/*');
  return (any || types.includes('application/json') || types.includes('application/*')) &&
    (any || types.includes('text/event-stream') || types.includes('text/*'));
}

function isInitialize(message: unknown): message is { method: 'initialize'; params: { protocolVersion?: unknown } } {
  return typeof message === 'object' && message !== null && (message as { method?: unknown }).method === 'initialize' &&
    typeof (message as { params?: unknown }).params === 'object' && (message as { params?: unknown }).params !== null;
}

/** Negotiation: a client asking for a version we do not speak is answered with our newest. */
function negotiate(body: unknown): unknown {
  if (!isInitialize(body) || (typeof body.params.protocolVersion === 'string' && SUPPORTED.has(body.params.protocolVersion))) return body;
  return { ...body, params: { ...body.params, protocolVersion: PROTOCOL_VERSIONS[0] } };
}

/** Answers one MCP request; throws `HttpError` or `AuthError` for the caller of `errorResponse`. */
export async function handleMcpRequest(request: Request, log: Logger, deps: McpHandlerDependencies): Promise<Response> {
  guardRequest(request, deps.guard);
  if (request.method === 'GET' || request.method === 'DELETE') {
    // Stateless: no session to stream to or to end (and a stateless GET would open an SSE stream that never ends).
    throw new HttpError('method_not_allowed', `${request.method} is not supported: this server is stateless; send JSON-RPC with POST`, { headers: { allow: 'POST' } });
  }
  if (request.method !== 'POST') {
    throw new HttpError('method_not_allowed', `${request.method} is not supported; send JSON-RPC with POST`, { headers: { allow: 'POST' } });
  }

  const caller = await deps.verifyAccessToken(bearerToken(request.headers.get('authorization')));
  const version = checkPostHeaders(request);
  const body = negotiate(await readJsonBody(request));
  if (Array.isArray(body) && body.length === 0) {
    throw new HttpError('invalid_request', 'Invalid Request: an empty batch');
  }
  if (Array.isArray(body) && !BATCHING_VERSIONS.has(version)) {
    throw new HttpError('batch_not_supported', `JSON-RPC batches are not part of MCP ${version}; send one message per request`);
  }

  const { server, authFailure } = createServer(caller, { ...deps, log });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  try {
    await server.connect(transport);
    const response = await transport.handleRequest(request, { parsedBody: body });
    // MFA / Conditional Access and refused assertions are answered at the HTTP level, where clients re-authenticate.
    const failure = authFailure();
    if (failure !== undefined) throw failure;
    return response;
  } finally {
    void server.close();
  }
}
