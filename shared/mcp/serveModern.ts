// The 2026-07-28 leg: one request per POST through the SDK's fetch-shaped handler, which owns the revision's
// rules (the `_meta` envelope and its error codes, Mcp-Method/Mcp-Name against the body, `server/discover`,
// `resultType`, caching hints); answered within the request's deadline.
import { createMcpHandler, type McpServerFactory } from '@modelcontextprotocol/server';
import type { VerifiedCaller } from '../auth/identity.js';
import { createServer, type CallerServer, type ServerDependencies } from './createServer.js';
import type { Deadline } from './deadline.js';
import { auditRefusals } from './auditRefusals.js';
import { isRequest, writeToolCalled, type RequestId } from './jsonRpcMessages.js';
import { spliceListedTools } from './listedTools.js';
import { refuseParams } from './refuseParams.js';
import { timedOut } from './serveMessages.js';

export interface ModernLeg {
  /**
   * Serves `message` (the parsed body, one JSON-RPC message) for `caller`. Throws the `AuthError` a tool raised
   * that the client must answer by signing in again (claims challenge, refused assertion).
   */
  serve(request: Request, message: unknown, caller: VerifiedCaller, deps: ServerDependencies, deadline: Deadline): Promise<Response>;
}

/** What the factory builds for one request: its server, made for its caller. */
type Exchange = () => CallerServer;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * `subscriptions/listen` opens a stream that stays open for change notifications. This server has none to send
 * (nothing it lists changes while it runs, so it declares no `listChanged`), and a stream that never ends would
 * outlive every deadline (a Functions response is sent whole). It is answered as a method the server does not
 * have, as the SDK answers those: 404, -32601, with the request's id.
 */
function noSubscriptions(id: RequestId): Response {
  return json({
    jsonrpc: '2.0',
    id,
    error: { code: -32601, message: 'Method not found: this server sends no notifications, so it offers no subscriptions', data: { code: 'subscriptions_not_supported' } },
  }, 404);
}

/**
 * The answer of a request still running at the deadline, as the 2025 leg gives it: a write Graph may have acted
 * on is `outcome_unknown` (its audit row written first), anything else `request_timeout`. Closing the request's
 * server ends the exchange and aborts its handler's signal, and with it the Graph calls.
 */
async function answerLate(message: unknown, created: CallerServer | undefined, deps: ServerDependencies, deadline: Deadline): Promise<Response> {
  deps.log.warn('request deadline passed', { pending: 1, seconds: deadline.seconds });
  if (!isRequest(message)) {
    void created?.server.close();
    return new Response(null, { status: 202 });
  }
  // Decided at once, before the close: from here the call can no longer begin a write.
  const settling = created?.settleLate([message.id], deadline.seconds);
  void created?.server.close();
  const result = (await settling)?.get(message.id);
  const failure = created?.authFailure();
  if (failure !== undefined) throw failure;
  // Built here, not by the SDK: the revision's results name their type.
  return json(result === undefined ? timedOut(message.id, deadline) : { jsonrpc: '2.0', id: message.id, result: { ...result, resultType: 'complete' } });
}

/** One SDK handler for the app; each request's server is built by the factory for the request's own caller. */
export function createModernLeg(): ModernLeg {
  // Keyed by the Request handed to the SDK, which hands the same object to the factory: no caller outlives it.
  const exchanges = new WeakMap<Request, Exchange>();
  const factory: McpServerFactory = ({ requestInfo }) => {
    const exchange = requestInfo === undefined ? undefined : exchanges.get(requestInfo);
    if (exchange === undefined) throw new Error('no caller for this request');
    return exchange().server;
  };
  // 2025-era traffic never reaches this handler (it is routed to the 2025 leg first), so it need not serve it.
  const handler = createMcpHandler(factory, { legacy: 'reject' });

  return {
    async serve(request, message, caller, deps, deadline) {
      if (isRequest(message) && message.method === 'subscriptions/listen') return noSubscriptions(message.id);
      const refusal = (await refuseParams([message], 'modern', caller, deps, deadline)).get(message);
      if (refusal !== undefined) return json(refusal);

      // The body is already read: the SDK is handed it parsed, and reads nothing from the request but its headers.
      let created: CallerServer | undefined;
      exchanges.set(request, () => (created = createServer(caller, deps, 'modern')));
      const answered = await Promise.race([handler.fetch(request, { parsedBody: message }), deadline.passed.then(() => undefined)]);
      if (answered === undefined) return answerLate(message, created, deps, deadline);
      const failure = created?.authFailure();
      if (failure !== undefined) throw failure;
      const listed = created?.listedTools();
      if (listed !== undefined) return spliceListedTools(answered, listed);
      // The SDK answered a state its hook refused before any handler ran: the write tool it named is audited here.
      const refused = created?.stateRefusal();
      const tool = refused === undefined ? undefined : writeToolCalled(message, deps.catalog);
      if (refused !== undefined && tool !== undefined) await deadline.race(auditRefusals({ ...deps, caller }, [tool], refused.code)).catch(() => undefined);
      return answered;
    },
  };
}
