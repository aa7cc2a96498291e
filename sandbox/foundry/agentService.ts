// A local stand-in for Foundry Agent Service's OAuth identity passthrough, configured only from a Foundry connection's values.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FoundryConnection } from './connection.js';
import { listenOnLocalhost } from './localhostServer.js';
import { withUpstream } from './mcpUpstream.js';
import { createPassthrough, opaqueId, sendPage, type PassthroughEvent } from './passthrough.js';
import { listToolsAsFoundry, ResponsesApiError } from './toolSchemas.js';

export interface ToolCall {
  readonly name: string;
  readonly arguments?: Record<string, unknown>;
}

/** Like the Responses API's: a user's request, or the continuation of one with `previousResponseId`. */
export interface ResponseRequest {
  /** Who talks to the agent: the key Foundry stores OAuth tokens under (with the connection). */
  readonly user: string;
  /** The tool call the agent wants to make; a continuation repeats the pending one when left out. */
  readonly tool?: ToolCall;
  readonly previousResponseId?: string;
}

export interface ConsentRequestItem {
  readonly type: 'oauth_consent_request';
  readonly id: string;
  readonly consent_link: string;
  readonly server_label: string;
}

export interface McpCallItem {
  readonly type: 'mcp_call';
  readonly id: string;
  readonly server_label: string;
  readonly name: string;
  /** JSON, as the Responses API gives it. */
  readonly arguments: string;
  readonly output: string | null;
  readonly error: string | null;
  /** The tool's structured result, when there is one. */
  readonly structured_content?: unknown;
}

export type OutputItem = ConsentRequestItem | McpCallItem;

export interface AgentResponse {
  readonly id: string;
  readonly output: readonly OutputItem[];
}

/** What happened, step by step, for the rehearsal to print and the tests to check. */
export type AgentEvent = PassthroughEvent;

export interface AgentServiceOptions {
  readonly connection: FoundryConnection;
  /** The tenant of the Foundry project: only its users are served (see `crossTenantRefusal`). */
  readonly projectTenantId: string;
  /** 0 (default) picks a free port; the redirect URI is a loopback one, so any port is registered. */
  readonly port?: number;
  readonly serverLabel?: string;
  /** How the stand-in authenticates at the token endpoint (default client_secret_post). */
  readonly clientAuth?: 'client_secret_post' | 'client_secret_basic';
  /** The clock, in ms since the epoch: tests move it past an access token's expiry. */
  readonly now?: () => number;
  /** When to refresh: a minute before `expires_in` runs out (default), or only once the MCP server refuses the token. */
  readonly refresh?: 'early' | 'when-refused';
  readonly onEvent?: (event: AgentEvent) => void;
}

export interface AgentService {
  /** `http://localhost:<port>` */
  readonly url: string;
  /** The redirect URL Foundry would show after saving the connection. */
  readonly redirectUri: string;
  readonly events: readonly AgentEvent[];
  createResponse(request: ResponseRequest): Promise<AgentResponse>;
  /** Settles when the sign-in behind a consent request came back: resolves once tokens are stored, rejects with the OAuth error. */
  waitForConsent(consentRequestId: string): Promise<void>;
  /** Whether tokens are stored for `user` on this connection. */
  hasTokens(user: string): boolean;
  close(): Promise<void>;
}

interface StoredResponse {
  readonly user: string;
  readonly tool: ToolCall;
}

export async function startAgentService(options: AgentServiceOptions): Promise<AgentService> {
  const { connection } = options;
  const now = options.now ?? Date.now;
  const label = options.serverLabel ?? 'onbehalf';
  const responses = new Map<string, StoredResponse>();
  const events: AgentEvent[] = [];
  const emit = (event: AgentEvent) => {
    events.push(event);
    options.onEvent?.(event);
  };
  let url = '';
  const passthrough = createPassthrough({
    connection,
    projectTenantId: options.projectTenantId,
    origin: () => url,
    now,
    emit,
    ...(options.clientAuth !== undefined && { clientAuth: options.clientAuth }),
    ...(options.refresh !== undefined && { refresh: options.refresh }),
  });

  const consentRequest = (responseId: string, user: string): AgentResponse => {
    const consent = passthrough.consentLink(user);
    return { id: responseId, output: [{ type: 'oauth_consent_request', id: consent.id, consent_link: consent.link, server_label: label }] };
  };

  /** One MCP tools/call with the user's token, after listing the server's tools as Agent Service does. */
  const callTool = async (accessToken: string, tool: ToolCall): Promise<{ status?: number; refusal?: string; result?: CallToolResult; error?: string }> => {
    let schemaRefusal: ResponsesApiError | undefined;
    const outcome = await withUpstream(connection.mcpUrl, accessToken, async (client) => {
      await listToolsAsFoundry(client, label).catch((error: unknown) => {
        if (error instanceof ResponsesApiError) schemaRefusal = error;
        throw error;
      });
      return await client.callTool({ name: tool.name, arguments: tool.arguments ?? {} }) as CallToolResult;
    }, 'agent-service-stand-in');
    // Foundry fails the whole response on a tool schema outside its subset, not the one call.
    if (schemaRefusal !== undefined) throw schemaRefusal;
    if (outcome.refusal !== undefined) return { status: outcome.status, refusal: outcome.refusal, error: `${outcome.refusal}: the MCP server refused the user's token` };
    return outcome.error === undefined ? { result: outcome.value } : { error: outcome.error };
  };

  const createResponse = async (request: ResponseRequest): Promise<AgentResponse> => {
    let tool = request.tool;
    if (request.previousResponseId !== undefined) {
      const previous = responses.get(request.previousResponseId);
      if (previous?.user !== request.user) throw new Error(`previous_response_not_found: ${request.previousResponseId}`);
      tool ??= previous.tool;
    }
    if (tool === undefined) throw new Error('a response needs a tool call, or a previous response that had one');
    const responseId = opaqueId('resp');
    responses.set(responseId, { user: request.user, tool });

    const call = await passthrough.withUserToken(request.user, (accessToken) => callTool(accessToken, tool));
    if (call === 'consent_required') return consentRequest(responseId, request.user);
    const text = call.result?.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n') ?? null;
    const failed = call.error !== undefined || call.result?.isError === true;
    emit({ kind: 'tool_called', user: request.user, tool: tool.name, ok: !failed });
    return {
      id: responseId,
      output: [{
        type: 'mcp_call',
        id: opaqueId('mcp'),
        server_label: label,
        name: tool.name,
        arguments: JSON.stringify(tool.arguments ?? {}),
        output: call.error === undefined ? text : null,
        error: call.error ?? (call.result?.isError === true ? text : null),
        ...(call.result?.structuredContent !== undefined && { structured_content: call.result.structuredContent }),
      }],
    };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'GET') return sendPage(response, 405, 'Method not allowed', 'Only GET is served here.');
    if (await passthrough.handle(new URL(request.url ?? '/', url), response)) return;
    sendPage(response, 404, 'Not found', 'Nothing here.');
  };

  const server = await listenOnLocalhost(options.port ?? 0, handle);
  url = server.url;

  return {
    url,
    redirectUri: passthrough.redirectUri,
    events,
    createResponse,
    waitForConsent: passthrough.waitForConsent,
    hasTokens: passthrough.hasTokens,
    close: server.close,
  };
}
