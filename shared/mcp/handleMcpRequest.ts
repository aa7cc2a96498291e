// POST/GET/DELETE /mcp: transport rules, caller verification, budgets, sessions, then the SDK's Streamable HTTP transport.
import { bearerToken } from '../auth/bearerToken.js';
import type { VerifiedCaller } from '../auth/identity.js';
import type { VerifyAccessToken } from '../auth/verifyAccessToken.js';
import { HttpError } from '../http/httpError.js';
import { readJsonBody } from '../http/readJsonBody.js';
import { guardRequest, type RequestGuardOptions } from '../http/requestGuard.js';
import type { AuditAllowance } from '../limits/auditAllowance.js';
import type { RateLimiter } from '../limits/rateLimiter.js';
import type { Logger } from '../log/logger.js';
import type { SessionRecord } from '../session/sessionStore.js';
import type { Sessions } from '../session/sessions.js';
import { currentMcpRequest } from '../telemetry/spans/mcpRequest.js';
import { auditRefusals } from './auditRefusals.js';
import type { ServerDependencies } from './createServer.js';
import { startDeadline, type Deadline } from './deadline.js';
import { checkShape, costOf, messagesOf, writeToolCalls } from './jsonRpcMessages.js';
import { serveMessages } from './serveMessages.js';
import { BATCHING_VERSIONS, DEFAULT_PROTOCOL_VERSION, PROTOCOL_VERSIONS } from './serverInfo.js';

export interface McpHandlerDependencies extends Omit<ServerDependencies, 'log' | 'sessionId' | 'correlationId'> {
  readonly guard: RequestGuardOptions;
  readonly verifyAccessToken: VerifyAccessToken;
  /** Present in stateful mode. */
  readonly sessions: Sessions | undefined;
  /** Absent when both budgets are off. */
  readonly limiter: RateLimiter | undefined;
  /** Bounds the audit rows of calls refused for their budget. */
  readonly refusalAudit: AuditAllowance;
  /** Overall deadline of one HTTP request. */
  readonly requestTimeoutMs: number;
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
  id: string | number;
  params: { protocolVersion?: unknown; clientInfo?: unknown; capabilities?: unknown };
}

function isInitialize(message: unknown): message is InitializeMessage {
  return typeof message === 'object' && message !== null && (message as { method?: unknown }).method === 'initialize' &&
    typeof (message as { params?: unknown }).params === 'object' && (message as { params?: unknown }).params !== null;
}

/** Negotiation: a client asking for a version we do not speak is answered with our newest (a version that is no string is invalid params). */
function negotiate(body: unknown): unknown {
  if (!isInitialize(body) || typeof body.params.protocolVersion !== 'string' || SUPPORTED.has(body.params.protocolVersion)) return body;
  return { ...body, params: { ...body.params, protocolVersion: PROTOCOL_VERSIONS[0] } };
}

function toolName(body: unknown): string {
  const message = body as { method?: unknown; params?: { name?: unknown } } | null;
  if (message?.method === 'tools/call' && typeof message.params?.name === 'string') return message.params.name;
  return typeof message?.method === 'string' ? message.method : 'request';
}

/** What one request has to hand while it is answered. */
interface Context {
  readonly request: Request;
  readonly log: Logger;
  readonly deps: McpHandlerDependencies;
  readonly replyHeaders: Headers;
  readonly deadline: Deadline;
  /** The server's own id for this request, quoted by its tool errors and audit rows. */
  readonly correlationId: string;
}

/**
 * Takes `cost` from the caller's budgets and sets the RateLimit-* headers. Over budget: each write-tool
 * call in `messages` is audited (within the refusal allowance; without a session id, which is not read
 * yet and so not known to be the caller's) and `HttpError` `rate_limited` thrown.
 */
async function takeBudget(context: Context, caller: VerifiedCaller, cost: number, messages: readonly unknown[]): Promise<void> {
  const { deps, log, replyHeaders, correlationId } = context;
  const budget = deps.limiter === undefined ? undefined : await context.deadline.race(deps.limiter.take(caller.identity.tid, caller.identity.oid, log, cost));
  if (budget === undefined) return;
  replyHeaders.set('ratelimit-limit', String(budget.limit));
  replyHeaders.set('ratelimit-remaining', String(budget.remaining));
  replyHeaders.set('ratelimit-reset', String(budget.resetSeconds));
  if (budget.allowed) return;
  const writes = writeToolCalls(messages, deps.catalog);
  const allowed = deps.refusalAudit.take(caller.identity.tid, caller.identity.oid, writes.length);
  if (allowed < writes.length) log.warn('refused calls not audited: over the refusal allowance', { tenant: caller.identity.tid, count: writes.length - allowed });
  if (allowed > 0) await context.deadline.race(auditRefusals({ audit: deps.audit, log, caller, sessionId: undefined, correlationId }, writes.slice(0, allowed), 'rate_limited')).catch(() => undefined);
  throw new HttpError('rate_limited', `Too many requests; retry in ${budget.resetSeconds} seconds`, { headers: { 'retry-after': String(budget.resetSeconds) } });
}

/**
 * A session serves the user and the client app that began it, nobody else. A refusal is audited (one row
 * per write-tool call in `messages`, or one naming `what`), in the session owner's tenant too.
 */
async function requireOwner(context: Context, record: SessionRecord, caller: VerifiedCaller, messages: readonly unknown[], what: string): Promise<void> {
  const { identity } = caller;
  const code = record.tid !== identity.tid || record.oid !== identity.oid
    ? 'session_user_mismatch'
    : record.appId !== identity.appId ? 'session_client_mismatch' : undefined;
  if (code === undefined) return;
  context.log.warn('session used by another caller', { code, session: record.id, tenant: identity.tid, jti: caller.tokenHash });
  const writes = writeToolCalls(messages, context.deps.catalog);
  const refusal = { audit: context.deps.audit, log: context.log, caller, sessionId: record.id, correlationId: context.correlationId };
  await context.deadline.race(auditRefusals(refusal, writes.length > 0 ? writes : [what], code, record.tid)).catch(() => undefined);
  throw code === 'session_user_mismatch'
    ? new HttpError(code, 'Session user mismatch: this session belongs to another user; initialize a session of your own')
    : new HttpError(code, 'Session client mismatch: this session belongs to another client application of yours; initialize a session of its own');
}

async function endSession(context: Context, sessions: Sessions): Promise<Response> {
  const { request, deps, deadline } = context;
  const caller = await deadline.race(deps.verifyAccessToken(bearerToken(request.headers.get('authorization'))));
  // Before the session is looked up: refused DELETEs are audited, and the budget bounds how many.
  await takeBudget(context, caller, 1, []);
  const record = await deadline.race(sessions.require(request.headers.get('mcp-session-id')));
  currentMcpRequest().session(record.id);
  await requireOwner(context, record, caller, [], 'DELETE');
  await deadline.race(sessions.end(record.id));
  return new Response(null, { status: 204 });
}

async function handle(context: Context): Promise<Response> {
  const { request, log, deps, replyHeaders, deadline } = context;
  guardRequest(request, deps.guard);
  const sessions = deps.sessions;
  if (request.method === 'DELETE' && sessions !== undefined) return endSession(context, sessions);
  if (request.method !== 'POST') {
    // No standalone SSE stream: Functions cannot hold one open, and a stateless GET would never end.
    const why = request.method === 'GET' || request.method === 'DELETE' ? `${request.method} is not supported: this server is ${sessions === undefined ? 'stateless' : 'answering on POST only'}` : `${request.method} is not supported`;
    throw new HttpError('method_not_allowed', `${why}; send JSON-RPC with POST`, { headers: { allow: sessions === undefined ? 'POST' : 'POST, DELETE' } });
  }

  const caller = await deadline.race(deps.verifyAccessToken(bearerToken(request.headers.get('authorization'))));
  // The body is read before the budget is taken, since a batch costs one per request in it; a body
  // refused for its headers or shape still costs one.
  let version = DEFAULT_PROTOCOL_VERSION;
  let body: unknown;
  let refusal: Error | undefined;
  try {
    version = checkPostHeaders(request);
    body = negotiate(await deadline.race(readJsonBody(request)));
    checkShape(body);
    currentMcpRequest().message(body, version, deps.catalog.tools);
    // Stateless, the header's version is all there is; a session's own version is checked once it is read.
    if (sessions === undefined && Array.isArray(body) && !BATCHING_VERSIONS.has(version)) {
      throw new HttpError('batch_not_supported', `JSON-RPC batches are not part of MCP ${version}; send one message per request`);
    }
  } catch (error) {
    refusal = error instanceof Error ? error : new Error(String(error));
  }
  const messages = refusal === undefined ? messagesOf(body) : [];
  const sessionHeader = sessions === undefined ? null : request.headers.get('mcp-session-id');
  await takeBudget(context, caller, costOf(messages), messages);
  if (refusal !== undefined) throw refusal;
  const batch = Array.isArray(body);
  const serverDeps = (sessionId: string | undefined) => ({ ...deps, log, sessionId, correlationId: context.correlationId });

  if (sessions === undefined) return (await serveMessages(request, messages, batch, caller, serverDeps(undefined), deadline)).response;

  if (isInitialize(body)) {
    if (sessionHeader !== null) throw new HttpError('invalid_request', 'Invalid Request: initialize starts a new session; send it without Mcp-Session-Id');
    const { response, answers } = await serveMessages(request, messages, false, caller, serverDeps(undefined), deadline);
    const result = (answers.get(body.id) as { result?: { protocolVersion?: unknown } } | undefined)?.result;
    if (response.status === 200 && result !== undefined) {
      const negotiated = typeof result.protocolVersion === 'string' ? result.protocolVersion : version;
      const id = await deadline.race(sessions.begin(caller, negotiated, body.params.clientInfo, body.params.capabilities));
      currentMcpRequest().session(id);
      replyHeaders.set('mcp-session-id', id);
    }
    return response;
  }
  const record = await deadline.race(sessions.require(sessionHeader));
  currentMcpRequest().session(record.id);
  await requireOwner(context, record, caller, messages, batch ? 'request' : toolName(body));
  // The version the session negotiated decides, whatever a later request's header says.
  if (batch && !BATCHING_VERSIONS.has(record.protocolVersion)) {
    throw new HttpError('batch_not_supported', `JSON-RPC batches are not part of MCP ${record.protocolVersion}, which this session negotiated; send one message per request`);
  }
  const { response } = await serveMessages(request, messages, batch, caller, serverDeps(record.id), deadline);
  replyHeaders.set('mcp-session-id', record.id);
  // Last-seen is best effort: the answer is ready, and the deadline does not wait for the write.
  await deadline.race(sessions.seen(record, log)).catch(() => undefined);
  return response;
}

/**
 * Answers one MCP request within its deadline. Throws `HttpError` or `AuthError` for `errorResponse`;
 * sets the RateLimit-* and Mcp-Session-Id headers the answer must carry on `replyHeaders`. Tool errors and
 * audit rows quote `correlationId`.
 */
export async function handleMcpRequest(request: Request, log: Logger, deps: McpHandlerDependencies, replyHeaders: Headers, correlationId: string): Promise<Response> {
  const deadline = startDeadline(deps.requestTimeoutMs);
  try {
    return await handle({ request, log, deps, replyHeaders, deadline, correlationId });
  } finally {
    deadline.clear();
  }
}
