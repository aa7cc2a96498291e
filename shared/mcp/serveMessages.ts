// The 2025-era leg: hands a POST's messages to the SDK's Streamable HTTP transport and assembles the answer
// itself, so that every request gets one: refused params are answered here, and whatever is still pending at
// the deadline (or was cancelled in its own batch, which the SDK never answers) does not hold the request open.
import { WebStandardStreamableHTTPServerTransport, type CallToolResult, type JSONRPCErrorResponse, type JSONRPCMessage } from '@modelcontextprotocol/server';
import type { VerifiedCaller } from '../auth/identity.js';
import { createServer, type CallerServer, type ServerDependencies } from './createServer.js';
import type { Deadline } from './deadline.js';
import { cancelledInBatch, isRequest, type RequestId } from './jsonRpcMessages.js';
import { spliceTools } from './listedTools.js';
import { refuseParams } from './refuseParams.js';

/** An answer to one request: a result or an error. */
export type Answer = JSONRPCMessage & { readonly id: RequestId };

export interface Served {
  readonly response: Response;
  /** The answers, by request id (a tools/list answer's tools are the stand-in the response's text replaces). */
  readonly answers: ReadonlyMap<RequestId, Answer>;
}

function isAnswer(message: JSONRPCMessage): message is Answer {
  return ('result' in message || 'error' in message) && 'id' in message && (typeof message.id === 'string' || typeof message.id === 'number');
}

/** The answer of a request still pending when the deadline passed (-32001: the SDKs' request timeout code). */
export function timedOut(id: RequestId, deadline: Deadline): JSONRPCErrorResponse {
  return {
    jsonrpc: '2.0',
    id,
    error: { code: -32001, message: `Request timed out after ${deadline.seconds} seconds; try again`, data: { code: 'request_timeout' } },
  };
}

/**
 * Serves `messages` (the body, `batch` when it was an array) for `caller`. Throws the `AuthError` a tool
 * raised that the client must answer by signing in again (claims challenge, refused assertion).
 */
export async function serveMessages(request: Request, messages: readonly unknown[], batch: boolean, caller: VerifiedCaller, deps: ServerDependencies, deadline: Deadline): Promise<Served> {
  const answers = new Map<RequestId, Answer>();
  const refused = await refuseParams(messages, 'legacy', caller, deps, deadline);
  for (const refusal of refused.values()) answers.set(refusal.id as RequestId, refusal as Answer);
  const forSdk = messages.filter((message) => !refused.has(message));

  const cancelled = cancelledInBatch(forSdk);
  const awaited = forSdk.filter(isRequest).map((message) => message.id).filter((id) => !cancelled.has(id));
  let sdkResponse: Response | undefined;
  let authFailure: (() => Error | undefined) | undefined;
  let settleLate: CallerServer['settleLate'] | undefined;
  let listedTools: CallerServer['listedTools'] | undefined;
  if (forSdk.length > 0) {
    const created = createServer(caller, deps, 'legacy');
    authFailure = created.authFailure;
    settleLate = created.settleLate;
    listedTools = created.listedTools;
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    let allAnswered: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      allAnswered = resolve;
    });
    // Done early only once the transport has taken every message (a body it refuses is answered by it)
    // and every request not cancelled in its own batch has its answer.
    let delivered = 0;
    const settleIfDone = () => {
      if (delivered === forSdk.length && awaited.every((id) => answers.has(id))) allAnswered();
    };
    // The transport would hold its JSON answer until every request in it is answered, which a request
    // cancelled in the same batch never is: answers are taken here as the server sends them, and the
    // answer is assembled below (serialised once, not once by the transport and again by us).
    const send = transport.send.bind(transport);
    transport.send = async (message, options) => {
      if (!isAnswer(message)) return send(message, options);
      answers.set(message.id, message);
      settleIfDone();
    };
    try {
      await created.server.connect(transport);
      const deliver = transport.onmessage;
      transport.onmessage = (message, extra) => {
        delivered++;
        deliver?.(message, extra);
        settleIfDone();
      };
      const handled = transport.handleRequest(request, { parsedBody: batch ? forSdk : forSdk[0] });
      sdkResponse = await Promise.race([handled, answered.then(() => undefined), deadline.passed.then(() => undefined)]);
    } finally {
      // Closing aborts the signal of every handler still running: their Graph calls end with it. On the
      // next turn, when the handlers that answered have let go of their signals: aborting one builds a
      // DOMException, which costs more than the rest of a warm request.
      setImmediate(() => void created.server.close());
    }
    if (sdkResponse !== undefined && sdkResponse.status !== 200 && sdkResponse.status !== 202) return { response: sdkResponse, answers };
  }

  const late = new Set(awaited.filter((id) => !answers.has(id)));
  let settled: ReadonlyMap<RequestId, CallToolResult> = new Map();
  if (late.size > 0) {
    deps.log.warn('request deadline passed', { pending: late.size, seconds: deadline.seconds });
    // Before answering: a write Graph may have acted on is answered as such, and every late write's audit row is
    // written now, since on Functions the work left after the answer may never finish.
    settled = await settleLate?.([...late], deadline.seconds) ?? settled;
  }
  const failure = authFailure?.();
  if (failure !== undefined) throw failure;

  // A late request's answer is what was settled for it, not whatever its aborted handler sent meanwhile.
  const answerTo = (id: RequestId): Answer | undefined => {
    if (!late.has(id)) return answers.get(id);
    const result = settled.get(id);
    return result === undefined ? undefined : { jsonrpc: '2.0', id, result };
  };
  const body = messages.filter(isRequest)
    .filter((message) => answers.has(message.id) || !cancelled.has(message.id))
    .map((message) => answerTo(message.id) ?? timedOut(message.id, deadline));
  // JSON-RPC 2.0 §6: with nothing to answer, the server returns nothing at all.
  if (body.length === 0) return { response: new Response(null, { status: 202 }), answers };
  const json = JSON.stringify(batch ? body : body[0]);
  const listed = listedTools?.();
  return { response: new Response(listed === undefined ? json : spliceTools(json, listed), { status: 200, headers: { 'content-type': 'application/json' } }), answers };
}
