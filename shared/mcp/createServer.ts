// Builds the MCP server for one verified caller: tools/list from the precomputed catalog, tools/call validated with zod.
import { isInputRequiredResult, Server, type CacheHint, type CallToolResult, type InputRequiredResult, type jsonSchemaValidator, type ServerContext } from '@modelcontextprotocol/server';
import { ZodError } from 'zod';
import type { AuditLog } from '../audit/auditLog.js';
import { AuthError } from '../auth/authError.js';
import type { Documents } from '../documents/documents.js';
import type { VerifiedCaller } from '../auth/identity.js';
import type { Graph, GraphFor } from '../graph/createGraph.js';
import { GraphError } from '../graph/graphError.js';
import type { Logger } from '../log/logger.js';
import type { ToolPolicy } from '../policy/toolPolicy.js';
import { noteToolCall } from '../telemetry/spans/mcpRequest.js';
import type { ToolCatalog } from '../tools/catalog.js';
import type { ToolDefinition } from '../tools/defineTool.js';
import { RequestStateError } from '../requestState/requestStateError.js';
import type { SealedState } from '../requestState/stateSeal.js';
import { ALL_PROTOCOL_VERSIONS, SERVER_NAME, SERVER_VERSION } from './serverInfo.js';
import type { AskDependencies } from './askDependencies.js';
import { askForConsent, beforeTool, type CallInRound } from './askTheUser.js';
import { auditToolCall } from './auditToolCall.js';
import { lenderFor } from './lenderFor.js';
import { TOOLS_STAND_IN } from './listedTools.js';
import { readRound } from './inputRound.js';
import { describeIssues } from './invalidParams.js';
import { policyRefusal } from './policyRefusal.js';
import type { Era, RequestId } from './jsonRpcMessages.js';
import { TOOL_ERROR_META_KEY, toolErrorResult } from './toolErrorResult.js';
import { startWriteCall, watchWrites, type WriteCall } from './writeCalls.js';

export interface ServerDependencies {
  readonly catalog: ToolCatalog;
  /** Which of the catalog's tools each caller may list and call. */
  readonly policy: ToolPolicy;
  /** One validator for every server: building one per request costs more than the request. */
  readonly validator: jsonSchemaValidator;
  readonly graphFor: GraphFor;
  /** The instance's document conversions (workers, queue), shared by every request. */
  readonly documents: Documents;
  readonly audit: AuditLog;
  readonly log: Logger;
  /** Confirmation before acting, and the state of multi-round calls. */
  readonly ask: AskDependencies;
  /** The request's own id: what its tool errors and audit rows quote. */
  readonly correlationId: string;
}

/** Auth failures that must reach the client as an HTTP challenge, not as a tool result. */
const ESCALATED = new Set<AuthError['code']>(['claims_challenge', 'assertion_refused']);

export interface CallerServer {
  readonly server: Server;
  /** Set when a tool hit a failure the client must answer by signing in again. */
  readonly authFailure: () => AuthError | undefined;
  /**
   * At the deadline, for the requests still unanswered: the answers of write-tool calls, each with its audit row
   * written before it returns (work left after a Functions invocation answers may never finish). A call that ended
   * meanwhile keeps its own result; one that began a Graph write is `outcome_unknown` (row outcome `unknown`);
   * one that had not is left to the caller's generic timeout (row `failed`, `request_timeout`), and can no longer
   * begin one. Never rejects.
   */
  readonly settleLate: (ids: readonly RequestId[], seconds: number) => Promise<ReadonlyMap<RequestId, CallToolResult>>;
  /** Set when the SDK's verification hook refused the state a request brought (its answer is the SDK's -32602). */
  readonly stateRefusal: () => RequestStateError | undefined;
  /**
   * The JSON of the tools the tools/list answers listed, which the SDK was handed as a stand-in (`TOOLS_STAND_IN`)
   * and must be spliced into the answer (`spliceListedTools`); undefined when no list was answered.
   */
  readonly listedTools: () => string | undefined;
}

const INSTRUCTIONS = 'Tools act in Microsoft 365 as the signed-in user, with only that user\'s permissions.';

/**
 * The 2026-07-28 caching hints of tools/list and server/discover. `private` is what keeps one user's list
 * from serving another: the revision forbids sharing a private result across authorization contexts (a
 * different access token needs a different cache), so a client that serves many users with a token each,
 * as Foundry does, keeps one cache per user, and no gateway may keep one for all. A `public` list could be
 * served to anyone by any cache in between. The list is the same for everyone of a deployment today, but
 * it is the caller's to know, and it will differ per user once tools depend on app roles. Five minutes:
 * the list changes only when the deployment's settings do.
 */
export const LIST_CACHE_HINT: CacheHint = { ttlMs: 300_000, cacheScope: 'private' };

/**
 * The server for one request of `era` from `caller`. The SDK's `requestState` hook opens the state a 2026-07-28
 * round brings (its seal and lifetime) before any handler runs; the handler then uses it once, for this caller and
 * call (`beforeTool`).
 */
export function createServer(caller: VerifiedCaller, deps: ServerDependencies, era: Era): CallerServer {
  let authFailure: AuthError | undefined;
  let stateRefusal: RequestStateError | undefined;
  const openState = async (wire: string): Promise<SealedState> => {
    try {
      if (deps.ask.seal === undefined) throw new RequestStateError('state_invalid', 'this server seals no state (no key is set)');
      return await deps.ask.seal.open(wire);
    } catch (error) {
      stateRefusal = error instanceof RequestStateError ? error : new RequestStateError('state_invalid', 'the requestState could not be opened', { cause: error });
      deps.log.warn('request state refused', { code: stateRefusal.code, correlationId: deps.correlationId });
      throw stateRefusal;
    }
  };
  const server = new Server(
    { name: SERVER_NAME, version: SERVER_VERSION, title: 'onbehalf: Microsoft Graph as the signed-in user' },
    {
      // Tools only, and no `listChanged`: the list never changes while a deployment runs, so nothing is sent.
      capabilities: { tools: {} },
      instructions: INSTRUCTIONS,
      jsonSchemaValidator: deps.validator,
      supportedProtocolVersions: [...ALL_PROTOCOL_VERSIONS],
      cacheHints: { 'tools/list': LIST_CACHE_HINT, 'server/discover': LIST_CACHE_HINT },
      requestState: { verify: openState },
      // A 2025-era client gets no multi-round call from this server: it never returns input_required there.
      inputRequired: { legacyShim: false },
    },
  );
  // Write-tool calls in flight, by request id (unique within a batch), for what the deadline must settle.
  const writes = new Map<RequestId, WriteCall>();
  // Each caller lists only what the policy lets them call, in a fresh result each time: the SDK attaches the
  // cache hint to the object it is handed. The answer is serialised around a stand-in for the tools (tens of KB,
  // the same for everyone allowed the same tools), and the list's text, serialised once, replaces the stand-in. A
  // 2025 batch may list twice: one caller, one list.
  let listedTools: string | undefined;
  server.setRequestHandler('tools/list', () => {
    const tools = deps.catalog.listedFor(deps.policy.toolsFor(caller.identity));
    listedTools = deps.catalog.listedJson(tools);
    return { tools: listedTools === undefined ? tools : TOOLS_STAND_IN } as never;
  });
  server.setRequestHandler('tools/call', async (request, ctx): Promise<CallToolResult | InputRequiredResult> => {
    const result = await callTool(request.params.name, request.params.arguments, ctx);
    // A round that asks the person is not a call's end: it is counted when the call ends.
    if (isInputRequiredResult(result)) return result;
    // An abandoned call was counted when the deadline settled it.
    if (writes.get(ctx.mcpReq.id)?.abandoned === true) return result;
    const error = result._meta?.[TOOL_ERROR_META_KEY] as { code?: string } | undefined;
    noteToolCall(request.params.name, deps.catalog.tools, { isError: result.isError, code: error?.code });
    return result;
  });

  /**
   * One tools/call: the tool's answer, an error result with a typed code, or (2026-07-28) a round that asks the
   * person first; write tools are audited however the call ends.
   */
  async function callTool(name: string, args: Record<string, unknown> | undefined, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> {
    const { signal, id: requestId } = ctx.mcpReq;
    const tool = deps.catalog.tools.get(name);
    if (tool === undefined) {
      return toolErrorResult('tool_unknown', `No tool named ${name}`, 'Call tools/list to see the tools this server offers you.');
    }
    // Before the arguments are read and long before any token exchange.
    const notAllowed = await policyRefusal(caller, tool, deps);
    if (notAllowed !== undefined) return notAllowed;
    const input = tool.input.safeParse(args ?? {});
    if (!input.success) {
      const refused = toolErrorResult('input_invalid', `Invalid arguments for ${tool.name}: ${describeIssues(input.error.issues)}`, 'Fix the arguments to match the tool\'s input schema and call again.');
      if (!tool.annotations.readOnlyHint) await auditToolCall({ ...deps, caller, tool, input: {}, structured: undefined, result: refused, refused: true });
      return refused;
    }
    const round: CallInRound = { deps, caller, tool, input: input.data, round: readRound(era, ctx) };
    // Before any Graph request: nothing reaches Graph for a tool that needs the person's accept without it.
    const verdict = await beforeTool(round);
    if (!verdict.go) return verdict.answer;
    // The round's Table operations may have outlasted the request: no write begins once it has been answered.
    if (signal.aborted) return toolErrorResult('request_timeout', `${tool.name}: the request ended before the change was sent.`, 'Try again.');
    const write = tool.annotations.readOnlyHint ? undefined : startWriteCall(tool, input.data);
    if (write !== undefined) writes.set(requestId, write);
    let result: CallToolResult;
    let structured: Record<string, unknown> | undefined;
    try {
      const direct = deps.graphFor(caller, tool.scopes, signal);
      const graph = write === undefined ? direct : watchWrites(direct, write);
      const output = await tool.handler(input.data, { identity: caller.identity, graph, log: deps.log, signal, documents: deps.documents, graphAs: (name) => borrowed(tool, name, signal) });
      structured = tool.output.parse(output.structured);
      result = { content: [{ type: 'text', text: output.text }], structuredContent: structured };
    } catch (caught) {
      // Inputs are valid by now: a schema failing here (a tool's check of what Graph sent, or the result
      // built from it) means Graph answered in a shape it does not document.
      const error = caught instanceof ZodError
        ? new GraphError('upstream_invalid', `Microsoft Graph answered with fields of unexpected types (${describeIssues(caught.issues)})`, { cause: caught })
        : caught;
      if (error instanceof AuthError && ESCALATED.has(error.code)) authFailure = error;
      result = toolErrorResult.fromError(error, tool.name, deps.log, deps.correlationId);
      if (error instanceof AuthError && error.code === 'consent_required' && (write === undefined || !write.abandoned)) {
        const asked = await askForConsent(round, error, verdict.confirmed);
        if (asked !== undefined) {
          // Nothing reached Graph (the exchange for its token failed), so the next round starts the call afresh.
          if (write !== undefined) writes.delete(requestId);
          return asked;
        }
      }
    }
    // Past the deadline, this call's answer and audit row were settled without it.
    if (write === undefined || write.abandoned) return result;
    const answered = result;
    write.finished = auditToolCall({ ...deps, caller, tool, input: input.data, structured, result, refused: false }).then(() => answered);
    return write.finished;
  }

  function borrowed(tool: ToolDefinition, name: string, signal: AbortSignal): Graph | undefined {
    const lender = lenderFor(tool, name, deps.catalog, deps.policy, caller);
    return lender === undefined ? undefined : deps.graphFor(caller, lender.scopes, signal);
  }

  async function settleLate(ids: readonly RequestId[], seconds: number): Promise<ReadonlyMap<RequestId, CallToolResult>> {
    const late = ids.flatMap((id) => {
      const call = writes.get(id);
      return call === undefined ? [] : [{ id, call }];
    });
    // Decided for every late call at once, before any wait: from here none of them can begin a write.
    for (const { call } of late) if (call.finished === undefined) call.abandoned = true;
    const settled = new Map<RequestId, CallToolResult>();
    await Promise.all(late.map(async ({ id, call }) => {
      if (call.finished !== undefined) {
        settled.set(id, await call.finished);
        return;
      }
      const { tool, input, writeBegun } = call;
      const result = writeBegun ? toolErrorResult.outcomeUnknown(tool, seconds, deps.correlationId) : toolErrorResult.timedOutBeforeWrite(tool, seconds, deps.correlationId);
      await auditToolCall({ ...deps, caller, tool, input, structured: undefined, result, refused: false, ...(writeBegun && { outcome: 'unknown' as const }) });
      noteToolCall(tool.name, deps.catalog.tools, { isError: true, code: writeBegun ? 'outcome_unknown' : 'request_timeout' });
      if (writeBegun) settled.set(id, result);
    }));
    return settled;
  }

  return { server, authFailure: () => authFailure, settleLate, stateRefusal: () => stateRefusal, listedTools: () => listedTools };
}
