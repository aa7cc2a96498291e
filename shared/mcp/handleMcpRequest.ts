// POST/GET/DELETE /mcp: transport rules, caller verification, budgets, sessions, then the SDK's Streamable HTTP transport.
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { actorOf, type AuditLog } from '../audit/auditLog.js';
import { writeAudit } from '../audit/writeAudit.js';
import { bearerToken } from '../auth/bearerToken.js';
import type { VerifiedCaller } from '../auth/identity.js';
import type { VerifyAccessToken } from '../auth/verifyAccessToken.js';
import { HttpError } from '../http/httpError.js';
import { readJsonBody } from '../http/readJsonBody.js';
import { guardRequest, type RequestGuardOptions } from '../http/requestGuard.js';
import type { RateLimiter } from '../limits/rateLimiter.js';
import type { Logger } from '../log/logger.js';
import type { SessionRecord } from '../session/sessionStore.js';
import { createServer, type ServerDependencies } from './createServer.js';
import { BATCHING_VERSIONS, DEFAULT_PROTOCOL_VERSION, PROTOCOL_VERSIONS } from './serverInfo.js';
import type { Sessions } from '../session/sessions.js';

export interface McpHandlerDependencies extends Omit<ServerDependencies, 'log' | 'sessionId'> {
  readonly guard: RequestGuardOptions;
  readonly verifyAccessToken: VerifyAccessToken;
  /** Present in stateful mode. */
  readonly sessions: Sessions | undefined;
  /** Absent when both budgets are off. */
  readonly limiter: RateLimiter | undefined;
  readonly audit: AuditLog;
}

const SUPPORTED: ReadonlySet<string> = new Set(PROTOCOL_VERSIONS);

/** Checks what the SDK would check too, before we spend anything on the request. */
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

// Exactly the SDK transport's test (a case-sensitive substring match: no wildcards, no q-values), so
// that nothing we pass is then answered 406 by the SDK in a shape of its own.
function acceptsBoth(accept: string): boolean {
  return accept.includes('application/json') && accept.includes('text/event-stream');
}

interface InitializeMessage {
  method: 'initialize';
  params: { protocolVersion?: unknown; clientInfo?: unknown; capabilities?: unknown };
}

function isInitialize(message: unknown): message is InitializeMessage {
  return typeof message === 'object' && message !== null && (message as { method?: unknown }).method === 'initialize' &&
    typeof (message as { params?: unknown }).params === 'object' && (message as { params?: unknown }).params !== null;
}

/** Negotiation: a client asking for a version we do not speak is answered with our newest. */
function negotiate(body: unknown): unknown {
  if (!isInitialize(body) || (typeof body.params.protocolVersion === 'string' && SUPPORTED.has(body.params.protocolVersion))) return body;
  return { ...body, params: { ...body.params, protocolVersion: PROTOCOL_VERSIONS[0] } };
}

function toolName(body: unknown): string {
  const message = body as { method?: unknown; params?: { name?: unknown } } | null;
  if (message?.method === 'tools/call' && typeof message.params?.name === 'string') return message.params.name;
  return typeof message?.method === 'string' ? message.method : 'request';
}

async function serve(request: Request, body: unknown, caller: VerifiedCaller, deps: McpHandlerDependencies, log: Logger, sessionId: string | undefined): Promise<Response> {
  const { server, authFailure } = createServer(caller, { ...deps, log, sessionId });
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

async function refuseForeignSession(record: SessionRecord, caller: VerifiedCaller, what: string, deps: McpHandlerDependencies, log: Logger): Promise<never> {
  log.warn('session used by another user', { session: record.id, tenant: caller.identity.tid, jti: caller.tokenHash });
  await writeAudit(deps.audit, {
    time: Date.now(),
    ...actorOf(caller.identity),
    sessionId: record.id,
    tool: what,
    targetId: undefined,
    outcome: 'refused',
    errorCode: 'session_user_mismatch',
    correlationId: crypto.randomUUID(),
  }, log);
  throw new HttpError('session_user_mismatch', 'Session user mismatch: this session belongs to another user; initialize a session of your own');
}

/**
 * Answers one MCP request. Throws `HttpError` or `AuthError` for `errorResponse`; sets the
 * RateLimit-* and Mcp-Session-Id headers the answer must carry on `replyHeaders`.
 */
export async function handleMcpRequest(request: Request, log: Logger, deps: McpHandlerDependencies, replyHeaders: Headers): Promise<Response> {
  guardRequest(request, deps.guard);
  const sessions = deps.sessions;
  if (request.method === 'DELETE' && sessions !== undefined) {
    const caller = await deps.verifyAccessToken(bearerToken(request.headers.get('authorization')));
    const record = await sessions.require(request.headers.get('mcp-session-id'));
    if (record.tid !== caller.identity.tid || record.oid !== caller.identity.oid) await refuseForeignSession(record, caller, 'DELETE', deps, log);
    await sessions.end(record.id);
    return new Response(null, { status: 204 });
  }
  if (request.method !== 'POST') {
    // No standalone SSE stream: Functions cannot hold one open, and a stateless GET would never end.
    const why = request.method === 'GET' || request.method === 'DELETE' ? `${request.method} is not supported: this server is ${sessions === undefined ? 'stateless' : 'answering on POST only'}` : `${request.method} is not supported`;
    throw new HttpError('method_not_allowed', `${why}; send JSON-RPC with POST`, { headers: { allow: sessions === undefined ? 'POST' : 'POST, DELETE' } });
  }

  const caller = await deps.verifyAccessToken(bearerToken(request.headers.get('authorization')));
  const budget = await deps.limiter?.take(caller.identity.tid, caller.identity.oid, log);
  if (budget !== undefined) {
    replyHeaders.set('ratelimit-limit', String(budget.limit));
    replyHeaders.set('ratelimit-remaining', String(budget.remaining));
    replyHeaders.set('ratelimit-reset', String(budget.resetSeconds));
    if (!budget.allowed) {
      throw new HttpError('rate_limited', `Too many requests; retry in ${budget.resetSeconds} seconds`, { headers: { 'retry-after': String(budget.resetSeconds) } });
    }
  }
  const version = checkPostHeaders(request);
  const body = negotiate(await readJsonBody(request));
  if (Array.isArray(body) && body.length === 0) {
    throw new HttpError('invalid_request', 'Invalid Request: an empty batch');
  }
  if (Array.isArray(body) && !BATCHING_VERSIONS.has(version)) {
    throw new HttpError('batch_not_supported', `JSON-RPC batches are not part of MCP ${version}; send one message per request`);
  }
  if (sessions === undefined) return serve(request, body, caller, deps, log, undefined);

  const sessionHeader = request.headers.get('mcp-session-id');
  if (isInitialize(body)) {
    if (sessionHeader !== null) throw new HttpError('invalid_request', 'Invalid Request: initialize starts a new session; send it without Mcp-Session-Id');
    const response = await serve(request, body, caller, deps, log, undefined);
    const text = await response.text();
    const result = (JSON.parse(text) as { result?: { protocolVersion?: string } }).result;
    if (result !== undefined) {
      const id = await sessions.begin(caller, result.protocolVersion ?? version, body.params.clientInfo, body.params.capabilities);
      replyHeaders.set('mcp-session-id', id);
    }
    return new Response(text, { status: response.status, headers: response.headers });
  }
  const record = await sessions.require(sessionHeader);
  if (record.tid !== caller.identity.tid || record.oid !== caller.identity.oid) await refuseForeignSession(record, caller, toolName(body), deps, log);
  const response = await serve(request, body, caller, deps, log, record.id);
  await sessions.seen(record, log);
  replyHeaders.set('mcp-session-id', record.id);
  return response;
}
