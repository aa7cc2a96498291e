// POST /mcp: transport rules, caller verification, the budget, then the SDK's Streamable HTTP transport.
import { bearerToken } from '../auth/bearerToken.js';
import type { VerifyAccessToken } from '../auth/verifyAccessToken.js';
import { HttpError } from '../http/httpError.js';
import { readJsonBody } from '../http/readJsonBody.js';
import { guardRequest, type RequestGuardOptions } from '../http/requestGuard.js';
import type { Logger } from '../log/logger.js';
import { currentMcpRequest } from '../telemetry/spans/mcpRequest.js';
import type { ServerDependencies } from './createServer.js';
import { startDeadline, type Deadline } from './deadline.js';
import { checkShape, costOf, messagesOf } from './jsonRpcMessages.js';
import { serveMessages } from './serveMessages.js';
import { BATCHING_VERSIONS, DEFAULT_PROTOCOL_VERSION, PROTOCOL_VERSIONS } from './serverInfo.js';
import { takeBudget, type BudgetDependencies } from './takeBudget.js';
import { checkPostHeaders, requirePost } from './transportRules.js';

export interface McpHandlerDependencies extends Omit<ServerDependencies, 'log' | 'correlationId'>, BudgetDependencies {
  readonly guard: RequestGuardOptions;
  readonly verifyAccessToken: VerifyAccessToken;
  /** Overall deadline of one HTTP request. */
  readonly requestTimeoutMs: number;
}

const SUPPORTED: ReadonlySet<string> = new Set(PROTOCOL_VERSIONS);

interface InitializeMessage {
  method: 'initialize';
  params: { protocolVersion?: unknown };
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

async function handle(request: Request, log: Logger, deps: McpHandlerDependencies, replyHeaders: Headers, deadline: Deadline, correlationId: string): Promise<Response> {
  guardRequest(request, deps.guard);
  requirePost(request);
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
    if (Array.isArray(body) && !BATCHING_VERSIONS.has(version)) {
      throw new HttpError('batch_not_supported', `JSON-RPC batches are not part of MCP ${version}; send one message per request`);
    }
  } catch (error) {
    refusal = error instanceof Error ? error : new Error(String(error));
  }
  const messages = refusal === undefined ? messagesOf(body) : [];
  await takeBudget(deps, caller, costOf(messages), messages, { log, deadline, replyHeaders, correlationId });
  if (refusal !== undefined) throw refusal;
  return (await serveMessages(request, messages, Array.isArray(body), caller, { ...deps, log, correlationId }, deadline)).response;
}

/**
 * Answers one MCP request within its deadline. Throws `HttpError` or `AuthError` for `errorResponse`;
 * sets the RateLimit-* headers the answer must carry on `replyHeaders`. Tool errors and audit rows quote
 * `correlationId`.
 */
export async function handleMcpRequest(request: Request, log: Logger, deps: McpHandlerDependencies, replyHeaders: Headers, correlationId: string): Promise<Response> {
  const deadline = startDeadline(deps.requestTimeoutMs);
  try {
    return await handle(request, log, deps, replyHeaders, deadline, correlationId);
  } finally {
    deadline.clear();
  }
}
