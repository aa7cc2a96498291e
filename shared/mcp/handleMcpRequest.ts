// POST /mcp: the DNS-rebinding guard, the caller's token, the request's admission and budget, then the leg of
// its era: 2026-07-28 through the SDK's fetch-shaped handler, the 2025 revisions through its Streamable HTTP transport.
import { bearerToken } from '../auth/bearerToken.js';
import type { VerifyAccessToken } from '../auth/verifyAccessToken.js';
import { guardRequest, type RequestGuardOptions } from '../http/requestGuard.js';
import type { Logger } from '../log/logger.js';
import { admitRequest, type Admitted } from './admitRequest.js';
import type { ServerDependencies } from './createServer.js';
import { startDeadline, type Deadline } from './deadline.js';
import { costOf, isRequest, type RequestId } from './jsonRpcMessages.js';
import { serveMessages } from './serveMessages.js';
import type { ModernLeg } from './serveModern.js';
import { takeBudget, type BudgetDependencies } from './takeBudget.js';
import { requirePost } from './transportRules.js';

/** What the answer must carry whatever it turns out to be, learnt while the request is handled. */
export interface Reply {
  /** The RateLimit-* headers. */
  readonly headers: Headers;
  /** The id of the one JSON-RPC request the body held, once read: a refusal after that answers it by id. */
  id: RequestId | null;
}

export interface McpHandlerDependencies extends Omit<ServerDependencies, 'log' | 'correlationId'>, BudgetDependencies {
  readonly guard: RequestGuardOptions;
  readonly verifyAccessToken: VerifyAccessToken;
  readonly modern: ModernLeg;
  /** Overall deadline of one HTTP request. */
  readonly requestTimeoutMs: number;
}

async function handle(request: Request, log: Logger, deps: McpHandlerDependencies, reply: Reply, deadline: Deadline, correlationId: string): Promise<Response> {
  guardRequest(request, deps.guard);
  requirePost(request);
  const caller = await deadline.race(deps.verifyAccessToken(bearerToken(request.headers.get('authorization'))));
  // The body is read before the budget is taken, since a 2025 batch costs one per request in it; a request
  // refused for its headers, body or shape still costs one.
  let admitted: Admitted | undefined;
  let refusal: Error | undefined;
  try {
    admitted = await admitRequest(request, deps.catalog, deadline);
  } catch (error) {
    refusal = error instanceof Error ? error : new Error(String(error));
  }
  const messages = admitted?.messages ?? [];
  if (admitted !== undefined && isRequest(admitted.body)) reply.id = admitted.body.id;
  await takeBudget(deps, caller, costOf(messages), messages, { log, deadline, replyHeaders: reply.headers, correlationId });
  if (admitted === undefined) throw refusal ?? new Error('request not admitted');
  const serverDeps = { ...deps, log, correlationId };
  if (admitted.era === 'modern') return deps.modern.serve(request, admitted.body, caller, serverDeps, deadline);
  return (await serveMessages(request, messages, Array.isArray(admitted.body), caller, serverDeps, deadline)).response;
}

/**
 * Answers one MCP request within its deadline. Throws `HttpError` or `AuthError` for `errorResponse`;
 * records on `reply` what the answer must carry, refusals included. Tool errors and audit rows quote
 * `correlationId`.
 */
export async function handleMcpRequest(request: Request, log: Logger, deps: McpHandlerDependencies, reply: Reply, correlationId: string): Promise<Response> {
  const deadline = startDeadline(deps.requestTimeoutMs);
  try {
    return await handle(request, log, deps, reply, deadline, correlationId);
  } finally {
    deadline.clear();
  }
}
